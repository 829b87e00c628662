//! A plan's tables: each row's cells as values made once, and an index of
//! the rows by the text a column's cells equal, so that a lookup tests
//! only the rows that can match.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::core::value::{Value, compare, equal};
use crate::lang::ast::{BinOp, Cell, Literal};
use crate::policy::{Policy, Row, Table};

/// A table as a lookup runs it.
#[derive(Debug)]
pub(crate) struct TablePlan {
    /// The rows by the text a column's cells equal; `None` when no column
    /// allows it.
    pub(crate) index: Option<TableIndex>,
    pub(crate) rows: Vec<RowPlan>,
    pub(crate) default: Option<Value>,
}

#[derive(Debug)]
pub(crate) struct RowPlan {
    pub(crate) cells: Vec<CellPlan>,
    pub(crate) then: Value,
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

impl TablePlan {
    pub(crate) fn compile(table: &Table) -> TablePlan {
        let v = super::code::constant;
        let bound = |b: &Option<(Literal, bool)>| b.as_ref().map(|(l, inc)| (v(l), *inc));
        let rows = table
            .rows
            .iter()
            .map(|r| RowPlan {
                cells: r
                    .cells
                    .iter()
                    .map(|c| match c {
                        Cell::Any => CellPlan::Any,
                        Cell::Interval { lower, upper } => CellPlan::Interval {
                            lower: bound(lower),
                            upper: bound(upper),
                        },
                        Cell::Compare(op, l) => CellPlan::Compare(*op, v(l)),
                        Cell::OneOf(ls) => CellPlan::OneOf(ls.iter().map(v).collect()),
                    })
                    .collect(),
                then: r.then.unshared(),
            })
            .collect();
        TablePlan {
            index: TableIndex::build(&table.rows),
            rows,
            default: table.default.as_ref().map(Value::unshared),
        }
    }

    /// Whether row `i` matches the column values `args`.
    pub(crate) fn fits(&self, i: usize, args: &[Value]) -> bool {
        let cells = &self.rows[i].cells;
        cells.iter().zip(args).all(|(cell, a)| cell.matches(a))
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
