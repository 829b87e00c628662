//! A loaded, checked policy package: what the evaluator runs.

pub mod calendar;
pub mod catalogue;
pub mod consolidate;
pub mod embedded;
pub mod history;
pub mod lint;
pub mod load;
pub mod model;
pub mod overlay;
pub mod schema;

use std::sync::Arc;

use chrono::NaiveDate;
use indexmap::IndexMap;

pub use load::{Loaded, load_dir, load_files};
pub use model::{HitPolicy, Label};

use crate::core::source::{Loc, SourceFile};
use crate::core::value::Value;
use crate::lang::ast::{Cell, Expr, ExprKind, Resolution};
use crate::lang::syntax::Span;
use crate::lang::types::{RecordType, Type};

/// The members of a decision's JSON object (and of a batch's line) that
/// the decision contract defines, so that a policy's report may not use
/// them as keys (the engine's `contract::MEMBERS`).
pub const RESERVED_REPORT_KEYS: &[&str] = &[
    "line", "error", "policy", "edition", "at", "outcome", "reasons", "missing", "warnings",
    "values",
];

#[derive(Debug)]
pub struct Policy {
    pub meta: Meta,
    /// The schema of an application.
    pub input: Arc<RecordType>,
    /// Labels and citations of input fields, by dotted path.
    pub fields: IndexMap<String, Info>,
    pub params: IndexMap<String, Param>,
    pub tables: Vec<Table>,
    /// Computed values, in an order where each comes after those it uses.
    pub values: Vec<Computed>,
    pub reasons: IndexMap<String, Info>,
    pub decision: Option<Decision>,
    /// Working-day calendars by name, the default first.
    pub calendars: IndexMap<String, Arc<crate::policy::calendar::Calendar>>,
    pub catalogues: Vec<catalogue::Catalogue>,
    pub history: history::History,
    pub warnings: Vec<WarningRule>,
    pub forms: Vec<Form>,
    /// Conditions under which optional input fields are required.
    pub required_when: Vec<(String, Code)>,
    /// The date an application is evaluated at by default.
    pub evaluation_date: Option<Code>,
    pub report: Vec<Report>,
    pub files: Vec<Arc<SourceFile>>,
    /// How many values an evaluation may keep (see [`Code::memo`]).
    pub memo_slots: usize,
    /// For each code key ([`Code::memo`]), its place among the values an
    /// evaluation keeps: only keys more than one code shares have one,
    /// since the others are never asked for again.
    pub memo_place: Vec<Option<usize>>,
    /// The computed values' names, listed once (see [`Policy::value_names`]).
    value_names: std::sync::OnceLock<Arc<[Arc<str>]>>,
    /// The computed values by name, indexed once (see [`Policy::value`]).
    value_index: std::sync::OnceLock<
        std::collections::HashMap<Arc<str>, usize, foldhash::fast::RandomState>,
    >,
    /// The id of the edition after each act (see [`Policy::edition_at`]),
    /// and last the original's, written once.
    editions: std::sync::OnceLock<Vec<String>>,
}

#[derive(Debug)]
pub struct Meta {
    pub id: String,
    pub title: Label,
    pub act: model::ActDecl,
    pub languages: Vec<String>,
    pub official_language: String,
    pub in_force_from: NaiveDate,
    pub in_force_until: Option<NaiveDate>,
    pub description: Option<String>,
}

/// Where an item comes from and how to read it: the citation of the act,
/// the note on an interpretation, labels, and its place in the policy.
#[derive(Clone, Debug, Default)]
pub struct Info {
    pub cite: String,
    pub interpretation: Option<String>,
    pub label: Label,
    pub description: Option<String>,
    pub loc: Option<Loc>,
    /// The provision of the act the item encodes, if declared.
    pub provision: Option<String>,
    /// The dates the item exists, where an amendment added or removed it:
    /// `from` inclusive, `until` exclusive.
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// The place of `provision` among the history's provisions, found at
    /// the first evaluation that asks (see [`Info::provision_in`]).
    pub provision_index: std::sync::OnceLock<Option<usize>>,
}

impl Info {
    /// The item's provision as the history records it, if it does.
    pub fn provision_in<'h>(
        &self,
        history: &'h history::History,
    ) -> Option<&'h history::Provision> {
        let p = self.provision.as_deref()?;
        let i = self
            .provision_index
            .get_or_init(|| history.provisions.get_index_of(p));
        match history.provisions.get_index(i.as_ref().copied()?) {
            Some((k, v)) if k == p => Some(v),
            // Another history than the one the place was found in.
            _ => history.provisions.get(p),
        }
    }

    /// Whether the item exists on `at`.
    pub fn exists(&self, at: NaiveDate) -> bool {
        self.from.is_none_or(|f| at >= f) && self.until.is_none_or(|u| at < u)
    }
}

/// Where an expression was written: maps its spans into its file.
#[derive(Clone, Debug)]
pub struct Site {
    pub file: Arc<SourceFile>,
    /// The file offset of each byte of the expression's text, and its end.
    pub offsets: Vec<usize>,
}

impl Site {
    pub fn loc(&self, span: Span) -> Loc {
        let at = |i: usize| {
            self.offsets
                .get(i)
                .or(self.offsets.last())
                .copied()
                .unwrap_or(0)
        };
        let end = if span.end > span.start {
            at(span.end - 1) + 1
        } else {
            at(span.end)
        };
        Loc::new(&self.file, at(span.start), end)
    }
}

/// An expression with its text, its place and the names it reads.
#[derive(Clone, Debug)]
pub struct Code {
    pub text: String,
    pub expr: Expr,
    pub site: Site,
    /// The inputs, parameters and values it reads, as dotted paths.
    pub refs: Vec<String>,
    /// Where an evaluation may keep this code's value once computed, shared
    /// by every code of the same text and meaning (see [`Code::memo_key`]).
    pub memo: Option<usize>,
}

impl Code {
    /// Computes once, after checking, the parts of the expression that do
    /// not depend on the application, so evaluation does not build them
    /// again for each one.
    pub fn fold_constants(&mut self) {
        fold(&mut self.expr);
    }

    /// What makes two codes compute the same value within an evaluation:
    /// the text and what each name in it stands for. `None` for a code
    /// that reads a computed value, which may be yet to compute where the
    /// code runs, or a name left unresolved.
    pub fn memo_key(&self) -> Option<String> {
        let mut key = self.text.trim().to_string();
        names(&self.expr, &mut |res| match res {
            Resolution::Value(_) | Resolution::Unresolved => false,
            other => {
                key.push_str(&format!("|{other:?}"));
                true
            }
        })
        .then_some(key)
    }

    /// Fills `refs` from the resolved expression.
    pub fn collect_refs(&mut self) {
        let mut out: Vec<String> = Vec::new();
        refs(&self.expr, &mut out);
        self.refs = out;
    }
}

fn fold(e: &mut Expr) {
    use crate::core::value::Value;
    match &mut e.kind {
        // A literal's value, made once, so that evaluation reads it in place.
        ExprKind::Lit(l) => e.folded = Some(Box::new(Value::from_literal(l))),
        ExprKind::Field(inner, _) | ExprKind::Neg(inner) | ExprKind::Not(inner) => fold(inner),
        ExprKind::List(items) => {
            items.iter_mut().for_each(fold);
            let literals: Option<Vec<Value>> = items
                .iter()
                .map(|i| match &i.kind {
                    ExprKind::Lit(l) => Some(Value::from_literal(l)),
                    _ => None,
                })
                .collect();
            if let Some(vs) = literals {
                e.folded = Some(Box::new(Value::List(std::sync::Arc::new(vs))));
            }
        }
        ExprKind::Binary(_, a, b) => {
            fold(a);
            fold(b);
        }
        ExprKind::If(c, t, f) => {
            fold(c);
            fold(t);
            fold(f);
        }
        ExprKind::Call(c) => c.args.iter_mut().for_each(fold),
        ExprKind::Quant(q) => {
            fold(&mut q.list);
            fold(&mut q.body);
        }
        ExprKind::Name(_) => {}
    }
}

fn refs(e: &Expr, out: &mut Vec<String>) {
    let global = |e: &Expr| {
        let mut root = e;
        while let ExprKind::Field(inner, _) = &root.kind {
            root = inner;
        }
        matches!(
            &root.kind,
            ExprKind::Name(n) if matches!(n.res, Resolution::Input(_) | Resolution::Param(_) | Resolution::Value(_))
        )
    };
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Field(..) if e.path().is_some() && global(e) => {
            let p = e.path().unwrap_or_default();
            if !out.contains(&p) {
                out.push(p);
            }
        }
        ExprKind::Field(inner, _) | ExprKind::Neg(inner) | ExprKind::Not(inner) => refs(inner, out),
        ExprKind::List(items) => items.iter().for_each(|i| refs(i, out)),
        ExprKind::Binary(_, a, b) => {
            refs(a, out);
            refs(b, out);
        }
        ExprKind::If(c, t, f) => {
            refs(c, out);
            refs(t, out);
            refs(f, out);
        }
        ExprKind::Call(c) => c.args.iter().for_each(|a| refs(a, out)),
        ExprKind::Quant(q) => {
            refs(&q.list, out);
            refs(&q.body, out);
        }
        _ => {}
    }
}

/// Calls `each` with the resolution of every name in `e`, in order, while
/// it returns true; whether it always did.
fn names(e: &Expr, each: &mut impl FnMut(&Resolution) -> bool) -> bool {
    match &e.kind {
        ExprKind::Name(n) => each(&n.res),
        ExprKind::Lit(_) => true,
        ExprKind::Field(inner, _) | ExprKind::Neg(inner) | ExprKind::Not(inner) => {
            names(inner, each)
        }
        ExprKind::List(items) => items.iter().all(|i| names(i, each)),
        ExprKind::Binary(_, a, b) => names(a, each) && names(b, each),
        ExprKind::If(c, t, f) => names(c, each) && names(t, each) && names(f, each),
        ExprKind::Call(c) => c.args.iter().all(|a| names(a, each)),
        ExprKind::Quant(q) => names(&q.list, each) && names(&q.body, each),
    }
}

/// A key of the report.
#[derive(Debug)]
pub struct Report {
    pub key: String,
    pub kind: ReportKind,
    pub when: Option<Code>,
    pub outcomes: Option<Vec<String>>,
    /// For `values` and `items`: each name's place in [`Policy::values`],
    /// found at the first evaluation written.
    pub positions: std::sync::OnceLock<Vec<Option<usize>>>,
}

#[derive(Debug)]
pub enum ReportKind {
    Expr(Code),
    Values(Vec<String>),
    Items {
        names: Vec<String>,
        key: String,
        total: Option<Code>,
    },
    Fields(Vec<(String, Code)>),
}

/// A form of the act, with its fields and wording.
#[derive(Debug)]
pub struct Form {
    pub id: String,
    pub title: Label,
    pub text: Vec<Label>,
    pub fields: Vec<FormField>,
    pub info: Info,
}

#[derive(Debug)]
pub struct FormField {
    pub id: String,
    pub label: Label,
    pub expr: Option<Code>,
    pub cite: Option<String>,
}

/// A warning an evaluation gives when its condition holds.
#[derive(Debug)]
pub struct WarningRule {
    pub id: String,
    pub when: Code,
    pub message: Label,
    pub info: Info,
}

#[derive(Debug)]
pub struct Param {
    pub name: String,
    pub ty: Type,
    /// Values by the date they apply from, ascending; `None` is a value the
    /// act does not give.
    pub values: Vec<(NaiveDate, Option<Value>)>,
    pub info: Info,
}

impl Param {
    /// The value in force on `at`: unknown when the act gives none.
    pub fn value_at(&self, at: NaiveDate) -> Value {
        let v = self
            .values
            .iter()
            .rev()
            .find(|(from, _)| *from <= at)
            .and_then(|(_, v)| v.clone());
        v.unwrap_or_else(|| Value::unknown(&self.name))
    }
}

#[derive(Debug)]
pub struct Table {
    pub name: String,
    pub columns: Vec<(String, Type)>,
    pub output: Type,
    pub hit: HitPolicy,
    pub default: Option<Value>,
    pub rows: Vec<Row>,
    pub info: Info,
    /// The rows by the text a column's cells equal, so that a lookup tests
    /// only the rows that can match; `None` when no column allows it.
    pub index: Option<TableIndex>,
}

/// A table's rows by the text one column's cells equal: made for the
/// first column whose every cell is `-` or texts (`"a", "b"` or `== "a"`),
/// when the table has enough rows for it to pay. A lookup of a text (or
/// of a catalogue entry, compared by its id) then tests the rows that name
/// it and the rows with `-` there, in the table's order, which are the
/// rows of a full scan that can match: the result is the same.
#[derive(Clone, Debug)]
pub struct TableIndex {
    /// The column indexed.
    pub column: usize,
    /// For each text, the rows whose cell names it, in order.
    by_text: std::collections::HashMap<Arc<str>, Vec<usize>, foldhash::fast::FixedState>,
    /// The rows whose cell is `-`, in order.
    any: Vec<usize>,
}

impl TableIndex {
    /// Rows below this many are scanned: the index would not pay.
    pub const MIN_ROWS: usize = 8;

    /// The index of `rows`, over the first column it can be made for.
    pub fn build(rows: &[Row]) -> Option<TableIndex> {
        use crate::lang::ast::{BinOp, Literal};
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
    pub fn candidates(&self, v: &Value) -> Option<std::borrow::Cow<'_, [usize]>> {
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

impl Table {
    /// The type a lookup returns.
    pub fn result_type(&self) -> Type {
        match self.hit {
            HitPolicy::Collect => Type::List(Box::new(self.output.clone())),
            _ => self.output.clone(),
        }
    }
}

#[derive(Debug)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub then: Value,
    pub info: Info,
}

#[derive(Debug)]
pub struct Computed {
    pub name: String,
    /// The name, shared by the records of values that evaluations make.
    pub key: Arc<str>,
    /// The name as a JSON object's key, `"name":`, written once.
    pub json_key: Vec<u8>,
    pub ty: Type,
    pub code: Code,
    pub when: Option<Code>,
    pub info: Info,
    /// The value it has where its `when` does not hold: unknown, naming it
    /// `(not applicable)`; made once, shared by every evaluation.
    pub not_applicable: crate::core::value::Value,
}

#[derive(Debug)]
pub struct Decision {
    pub outcomes: IndexMap<String, Info>,
    pub rules: Vec<Rule>,
    pub otherwise: String,
    pub info: Info,
}

#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub outcome: String,
    pub when: Option<Code>,
    pub reasons: Vec<RuleReason>,
    pub info: Info,
}

#[derive(Debug)]
pub struct RuleReason {
    pub id: String,
    pub when: Code,
    pub info: Info,
}

impl Policy {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    pub fn value(&self, name: &str) -> Option<&Computed> {
        self.value_position(name).and_then(|i| self.values.get(i))
    }

    /// The names of [`Policy::values`], in order, shared by the
    /// evaluations' [`crate::engine::eval::Values`].
    pub fn value_names(&self) -> Arc<[Arc<str>]> {
        let names = self
            .value_names
            .get_or_init(|| self.values.iter().map(|v| v.key.clone()).collect());
        names.clone()
    }

    /// The place of the computed value `name` in [`Policy::values`].
    pub fn value_position(&self, name: &str) -> Option<usize> {
        let index = self.value_index.get_or_init(|| {
            let names = self.values.iter().enumerate();
            names.map(|(i, v)| (v.key.clone(), i)).collect()
        });
        index.get(name).copied()
    }

    /// The id of the edition in force on `at`: the policy and the last act
    /// in force then (`id@act`), or `id@original`.
    pub fn edition_at(&self, at: NaiveDate) -> String {
        let acts = &self.history.acts;
        let editions = self.editions.get_or_init(|| {
            let ids = acts.iter().map(|a| a.id.as_str()).chain(["original"]);
            ids.map(|act| format!("{}@{act}", self.meta.id)).collect()
        });
        let i = acts
            .iter()
            .rposition(|a| a.from <= at)
            .unwrap_or(acts.len());
        editions[i].clone()
    }

    /// Whether `at` falls in the act's period of force.
    pub fn in_force(&self, at: NaiveDate) -> bool {
        at >= self.meta.in_force_from && self.meta.in_force_until.is_none_or(|u| at < u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::ast::{BinOp, Literal};

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
