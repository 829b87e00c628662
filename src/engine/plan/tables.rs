//! A plan's tables: each row's cells as values made once, and an index of
//! the rows by the text a column's cells equal, so that a lookup tests
//! only the rows that can match.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::core::value::{Value, compare, equal};
use crate::lang::ast::{BinOp, Cell, Literal};
use crate::lang::runtime::{EvalErrorKind, rank};
use crate::lang::types::{Members, Type};
use crate::policy::{Policy, Row, Table};

/// A table as a lookup runs it.
#[derive(Debug)]
pub(crate) struct TablePlan {
    /// The rows by the text a column's cells equal; `None` when no column
    /// allows it.
    pub(crate) index: Option<TableIndex>,
    pub(crate) rows: Vec<RowPlan>,
    pub(crate) default: Option<Value>,
    /// For each column of an enumeration with a range cell (`[a1, b1)`,
    /// `>= b1`), its members: the column's cells hold the members' places
    /// in their order of declaration, and a lookup compares the place of
    /// the column's value. Empty when no column is such.
    pub(crate) ranked: Vec<Option<Members>>,
}

#[derive(Debug)]
pub(crate) struct RowPlan {
    pub(crate) cells: Vec<CellPlan>,
    pub(crate) then: Value,
    /// For a row whose result is an expression, its operations (then
    /// `then` is not its result).
    pub(crate) expr: Option<super::code::Op>,
    /// The dates the row is in the table: `from` inclusive, `until`
    /// exclusive; open when absent.
    pub(crate) from: Option<NaiveDate>,
    pub(crate) until: Option<NaiveDate>,
}

impl RowPlan {
    /// Whether the row is in the table on `at`.
    #[inline]
    pub(crate) fn in_force(&self, at: NaiveDate) -> bool {
        self.from.is_none_or(|f| at >= f) && self.until.is_none_or(|u| at < u)
    }
}

/// A condition cell, its literals made values.
#[derive(Debug)]
pub(crate) enum CellPlan {
    Any,
    Interval {
        lower: Option<(Value, bool)>,
        upper: Option<(Value, bool)>,
    },
    Compare(BinOp, Value),
    OneOf(Vec<Value>),
}

/// Whether a cell compares its column's values by order.
fn ordering(cell: &Cell) -> bool {
    match cell {
        Cell::Interval { .. } => true,
        Cell::Compare(op, _) => matches!(op, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge),
        Cell::Any | Cell::OneOf(_) => false,
    }
}

impl TablePlan {
    pub(crate) fn compile(table: &Table) -> TablePlan {
        let ranked: Vec<Option<Members>> = table
            .columns
            .iter()
            .enumerate()
            .map(|(c, (_, ty))| match ty {
                Type::Enum(m)
                    if table
                        .rows
                        .iter()
                        .any(|r| r.cells.get(c).is_some_and(ordering)) =>
                {
                    Some(m.clone())
                }
                _ => None,
            })
            .collect();
        let rows = table
            .rows
            .iter()
            .map(|r| RowPlan {
                cells: r
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(c, cell)| {
                        // A member is its place in a ranked column. (The
                        // loader has checked that every one is a member.)
                        let v = |l: &Literal| match (ranked.get(c), l) {
                            (Some(Some(m)), Literal::Str(s)) => {
                                match m.iter().position(|x| **x == **s) {
                                    Some(i) => Value::Int(i as i64),
                                    None => super::code::constant(l),
                                }
                            }
                            _ => super::code::constant(l),
                        };
                        let bound =
                            |b: &Option<(Literal, bool)>| b.as_ref().map(|(l, inc)| (v(l), *inc));
                        match cell {
                            Cell::Any => CellPlan::Any,
                            Cell::Interval { lower, upper } => CellPlan::Interval {
                                lower: bound(lower),
                                upper: bound(upper),
                            },
                            Cell::Compare(op, l) => CellPlan::Compare(*op, v(l)),
                            Cell::OneOf(ls) => CellPlan::OneOf(ls.iter().map(v).collect()),
                        }
                    })
                    .collect(),
                then: r.then.unshared(),
                // Compiled with the program's other codes.
                expr: None,
                from: r.info.from,
                until: r.info.until,
            })
            .collect();
        TablePlan {
            index: TableIndex::build(&table.rows),
            rows,
            default: table.default.as_ref().map(Value::unshared),
            ranked: if ranked.iter().any(Option::is_some) {
                ranked
            } else {
                Vec::new()
            },
        }
    }

    /// The column values `args` as the rows' cells compare them: in a
    /// ranked column, a member's place; an error for a value there that is
    /// not a member, which has none.
    pub(crate) fn placed<'v>(&self, args: &'v [Value]) -> Result<Cow<'v, [Value]>, EvalErrorKind> {
        if self.ranked.is_empty() {
            return Ok(Cow::Borrowed(args));
        }
        args.iter()
            .zip(self.ranked.iter())
            .map(|(a, members)| match members {
                Some(m) => Ok(Value::Int(rank(a, m)? as i64)),
                None => Ok(a.clone()),
            })
            .collect::<Result<Vec<Value>, _>>()
            .map(Cow::Owned)
    }

    /// Whether row `i` matches the column values `args` (as
    /// [`TablePlan::placed`] gives them).
    pub(crate) fn fits(&self, i: usize, args: &[Value]) -> bool {
        let cells = &self.rows[i].cells;
        cells.iter().zip(args).all(|(cell, a)| cell.matches(a))
    }

    /// Whether row `i` is in the table on `at` and matches `args` (see
    /// [`TablePlan::fits`]).
    pub(crate) fn fits_at(&self, i: usize, args: &[Value], at: NaiveDate) -> bool {
        self.rows[i].in_force(at) && self.fits(i, args)
    }
}

/// The plans of the policy's tables, in its order.
pub(crate) fn compile(policy: &Policy) -> Vec<TablePlan> {
    policy.tables.iter().map(TablePlan::compile).collect()
}

impl CellPlan {
    pub(crate) fn matches(&self, v: &Value) -> bool {
        match self {
            CellPlan::Any => true,
            CellPlan::OneOf(ls) => ls.iter().any(|l| equal(l, v)),
            CellPlan::Compare(op, l) => {
                let o = compare(v, l);
                match op {
                    BinOp::Eq => o == Some(Ordering::Equal),
                    BinOp::Ne => o != Some(Ordering::Equal),
                    BinOp::Lt => o == Some(Ordering::Less),
                    BinOp::Le => matches!(o, Some(Ordering::Less | Ordering::Equal)),
                    BinOp::Gt => o == Some(Ordering::Greater),
                    BinOp::Ge => matches!(o, Some(Ordering::Greater | Ordering::Equal)),
                    _ => false,
                }
            }
            CellPlan::Interval { lower, upper } => {
                let lo_ok = match lower {
                    None => true,
                    Some((l, inclusive)) => match compare(v, l) {
                        Some(Ordering::Greater) => true,
                        Some(Ordering::Equal) => *inclusive,
                        _ => false,
                    },
                };
                let hi_ok = match upper {
                    None => true,
                    Some((u, inclusive)) => match compare(v, u) {
                        Some(Ordering::Less) => true,
                        Some(Ordering::Equal) => *inclusive,
                        _ => false,
                    },
                };
                lo_ok && hi_ok
            }
        }
    }
}

/// A table's rows by the text one column's cells equal: made for the
/// first column whose every cell is `-` or texts (`"a", "b"` or `== "a"`),
/// when the table has enough rows for it to pay. A lookup of a text (or
/// of a catalogue entry, compared by its id) then tests the rows that name
/// it and the rows with `-` there, in the table's order, which are the
/// rows of a full scan that can match: the result is the same.
#[derive(Clone, Debug)]
pub(crate) struct TableIndex {
    /// The column indexed.
    pub(crate) column: usize,
    /// For each text, the rows whose cell names it, in order.
    by_text: std::collections::HashMap<Arc<str>, Vec<usize>, foldhash::fast::FixedState>,
    /// The rows whose cell is `-`, in order.
    any: Vec<usize>,
}

impl TableIndex {
    /// Rows below this many are scanned: the index would not pay.
    pub(crate) const MIN_ROWS: usize = 8;

    /// The index of `rows`, over the first column it can be made for.
    pub(crate) fn build(rows: &[Row]) -> Option<TableIndex> {
        if rows.len() < Self::MIN_ROWS {
            return None;
        }
        let columns = rows.first()?.cells.len();
        'column: for column in 0..columns {
            let mut ix = TableIndex {
                column,
                by_text: Default::default(),
                any: Vec::new(),
            };
            for (i, row) in rows.iter().enumerate() {
                let texts: Vec<&Arc<str>> = match row.cells.get(column) {
                    Some(Cell::Any) => {
                        ix.any.push(i);
                        continue;
                    }
                    Some(Cell::OneOf(ls)) => ls
                        .iter()
                        .map(|l| match l {
                            Literal::Str(s) => Some(s),
                            _ => None,
                        })
                        .collect::<Option<_>>()
                        .unwrap_or_default(),
                    Some(Cell::Compare(BinOp::Eq, Literal::Str(s))) => vec![s],
                    _ => Vec::new(),
                };
                if texts.is_empty() {
                    continue 'column;
                }
                for t in texts {
                    let rows = ix.by_text.entry(t.clone()).or_default();
                    // A text named twice in one cell is one match.
                    if rows.last() != Some(&i) {
                        rows.push(i);
                    }
                }
            }
            if !ix.by_text.is_empty() {
                return Some(ix);
            }
        }
        None
    }

    /// The rows that can match `v` in the indexed column, in order; `None`
    /// when `v` is not a text or an entry (then every row is tested).
    pub(crate) fn candidates(&self, v: &Value) -> Option<std::borrow::Cow<'_, [usize]>> {
        let key: &str = match v {
            Value::Str(s) => s,
            Value::Ref(r) => &r.id,
            _ => return None,
        };
        let named = self.by_text.get(key).map_or(&[][..], Vec::as_slice);
        if self.any.is_empty() {
            return Some(named.into());
        }
        let mut rows: Vec<usize> = named.iter().chain(&self.any).copied().collect();
        rows.sort_unstable();
        Some(rows.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Info;

    fn text(s: &str) -> Literal {
        Literal::Str(s.into())
    }

    fn row(cells: Vec<Cell>) -> Row {
        Row {
            cells,
            then: Value::Int(0),
            then_code: None,
            info: Info::default(),
        }
    }

    fn rows(first: Vec<Cell>) -> Vec<Row> {
        first
            .into_iter()
            .map(|c| row(vec![Cell::Compare(BinOp::Ge, Literal::Int(1)), c]))
            .collect()
    }

    #[test]
    fn an_index_gives_the_rows_a_scan_would_test_in_order() {
        let mut cells: Vec<Cell> = (0..10)
            .map(|i| Cell::OneOf(vec![text(&format!("c{i}"))]))
            .collect();
        cells[3] = Cell::Any;
        cells[6] = Cell::OneOf(vec![text("c1"), text("c1"), text("x")]);
        cells[8] = Cell::Compare(BinOp::Eq, text("c1"));
        let ix = TableIndex::build(&rows(cells)).expect("an index");
        assert_eq!(ix.column, 1, "the first column compares numbers");
        let got = |s: &str| ix.candidates(&Value::str(s)).map(|c| c.into_owned());
        assert_eq!(got("c1"), Some(vec![1, 3, 6, 8]));
        assert_eq!(got("x"), Some(vec![3, 6]));
        assert_eq!(got("none"), Some(vec![3]));
        assert_eq!(ix.candidates(&Value::Int(1)), None, "not a text: scanned");
    }

    /// A column of an enumeration with ranges of its members matches them
    /// by their places in its order of declaration, not alphabetically.
    #[test]
    fn ranges_of_members_match_in_the_members_order() {
        let members: Members = Arc::new(
            ["below_a1", "a1", "a2", "b1", "b2"]
                .iter()
                .map(|m| Arc::from(*m))
                .collect(),
        );
        let cell = |text: &str| crate::lang::syntax::parse_member_cell(text).expect("a cell");
        let table = Table {
            name: "levels".into(),
            columns: vec![("level".into(), Type::Enum(members.clone()))],
            output: Type::Int,
            hit: crate::policy::HitPolicy::First,
            default: None,
            rows: [
                Cell::OneOf(vec![text("below_a1")]),
                cell("[a1, b1)"),
                cell(">= b1"),
            ]
            .into_iter()
            .enumerate()
            .map(|(i, c)| Row {
                cells: vec![c],
                then: Value::Int(i as i64),
                then_code: None,
                info: Info::default(),
            })
            .collect(),
            info: Info::default(),
        };
        let plan = TablePlan::compile(&table);
        assert!(plan.ranked[0].is_some());
        let row = |m: &str| {
            let args = [Value::str(m)];
            let placed = plan.placed(&args).expect("a member");
            (0..plan.rows.len()).find(|i| plan.fits(*i, &placed))
        };
        // Alphabetically `below_a1` would fall in `>= b1`, and `a2` in
        // `[a1, b1)` only by luck.
        assert_eq!(row("below_a1"), Some(0));
        assert_eq!(row("a1"), Some(1));
        assert_eq!(row("a2"), Some(1));
        assert_eq!(row("b1"), Some(2));
        assert_eq!(row("b2"), Some(2));
        assert_eq!(
            plan.placed(&[Value::str("c1")]).map(|_| ()),
            Err(EvalErrorKind::NotAMember {
                value: "c1".into(),
                members: "below_a1, a1, a2, b1, b2".into()
            })
        );
        // A table without ranges of members compares its values as they are.
        let plain = Table {
            rows: vec![row_of(Cell::OneOf(vec![text("a1")]))],
            ..table
        };
        let plan = TablePlan::compile(&plain);
        assert!(plan.ranked.is_empty());
        assert!(matches!(
            plan.placed(&[Value::str("zz")]),
            Ok(Cow::Borrowed(_))
        ));
    }

    fn row_of(cell: Cell) -> Row {
        row(vec![cell])
    }

    #[test]
    fn no_index_for_small_tables_or_columns_of_ranges() {
        let few: Vec<Cell> = (0..3)
            .map(|i| Cell::OneOf(vec![text(&format!("c{i}"))]))
            .collect();
        assert!(TableIndex::build(&rows(few)).is_none());
        let mut many: Vec<Cell> = (0..10)
            .map(|i| Cell::OneOf(vec![text(&format!("c{i}"))]))
            .collect();
        many[5] = Cell::Compare(BinOp::Lt, text("m"));
        assert!(TableIndex::build(&rows(many)).is_none());
        let all_any: Vec<Cell> = (0..10).map(|_| Cell::Any).collect();
        assert!(TableIndex::build(&rows(all_any)).is_none());
    }
}
