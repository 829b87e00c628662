//! A loaded, checked policy package: what the evaluator runs.

pub mod calendar;
pub mod catalogue;
pub mod citations;
pub mod consolidate;
pub mod embedded;
pub mod history;
pub mod layout;
pub mod lint;
pub mod load;
pub mod model;
pub mod overlay;
pub mod schema;
pub mod units;

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
    "line",
    "error",
    "policy",
    "edition",
    "at",
    "outcome",
    "reasons",
    "missing",
    "warnings",
    "values",
    "alternatives",
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
    /// The package's own functions, in declaration order (a call names
    /// its function by its place here).
    pub functions: Vec<Function>,
    pub reasons: IndexMap<String, Info>,
    pub decision: Option<Decision>,
    /// Working-day calendars by name, the default first.
    pub calendars: IndexMap<String, Arc<crate::policy::calendar::Calendar>>,
    pub catalogues: Vec<catalogue::Catalogue>,
    pub history: history::History,
    /// How the citations read in the package's other languages.
    pub citations: Option<citations::Citations>,
    pub warnings: Vec<WarningRule>,
    pub forms: Vec<Form>,
    /// Conditions under which optional input fields are required.
    pub required_when: Vec<(String, Code)>,
    /// Top-level reference fields and the field beside each that names
    /// what the catalogue does not list: the two are not given together.
    pub unlisted: Vec<(String, String)>,
    /// The date an application is evaluated at by default.
    pub evaluation_date: Option<Code>,
    pub report: Vec<Report>,
    pub files: Vec<Arc<SourceFile>>,
    /// The place of each computed value in `values`, by name, made the
    /// first time a name is looked up: a lookup by scanning would make a
    /// chain of values quadratic.
    pub value_places: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
    /// The content hash of the package as loaded: every policy file, in
    /// the order read, and every calendar's files (see
    /// [`crate::core::digest`]); the same wherever the package lies.
    pub digest: String,
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
    /// What a number counts (an input's, a parameter's, a value's), shown
    /// beside it where a person reads it (see [`Info::with_unit`]).
    pub unit: Option<String>,
}

impl Info {
    /// The item's provision as the history records it, if it does.
    pub fn provision_in<'h>(
        &self,
        history: &'h history::History,
    ) -> Option<&'h history::Provision> {
        history.provisions.get(self.provision.as_deref()?)
    }

    /// `v` as a person reads it, with the item's unit: `1200.5 GBP`; a
    /// fraction in `percent` as the percent it is, `20%`; unknown without
    /// a unit.
    pub fn with_unit(&self, v: &Value) -> String {
        units::with_unit(v, self.unit.as_deref())
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
}

impl Code {
    /// Fills `refs` from the resolved expression.
    pub fn collect_refs(&mut self) {
        let mut out: Vec<String> = Vec::new();
        refs(&self.expr, &mut out);
        self.refs = out;
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
            ExprKind::Name(n) if matches!(n.res, Resolution::Input(_) | Resolution::Param(_) | Resolution::Value(_) | Resolution::EvaluationDate)
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
        ExprKind::Binary(_, a, b, _) => {
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

/// A key of the report.
#[derive(Debug)]
pub struct Report {
    pub key: String,
    /// What the key is called in the package's languages.
    pub label: Option<Label>,
    pub kind: ReportKind,
    pub when: Option<Code>,
    pub outcomes: Option<Vec<String>>,
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
    /// The outcomes of the decisions the form is issued from; none when
    /// the form does not say.
    pub outcomes: Vec<String>,
    /// Its layout per language (see [`layout`]).
    pub layout: IndexMap<String, Vec<layout::Block>>,
    /// The words each reason is given in on the form, where declared.
    pub grounds: IndexMap<String, Label>,
}

impl Form {
    /// Whether the form is issued from a decision of `outcome`: only where
    /// it names its outcomes and `outcome` is one of them.
    pub fn issued_for(&self, outcome: &str) -> bool {
        self.outcomes.iter().any(|x| x == outcome)
    }
}

#[derive(Debug)]
pub struct FormField {
    pub id: String,
    pub label: Label,
    pub expr: Option<Code>,
    pub cite: Option<String>,
    /// Words per value, per language.
    pub words: IndexMap<String, Label>,
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
    /// The citation and reading each of `values` gives of its own, in the
    /// same order (empty where it gives none).
    pub notes: Vec<ValueNote>,
    /// Whether the parameter was written with dated `values` rather than
    /// one `value`.
    pub dated: bool,
    pub info: Info,
}

/// The citation and the reading one dated value gives of its own
/// (`{value: 34000, cite: "Appendix A, 2023"}`), beside its item's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValueNote {
    pub cite: Option<String>,
    pub interpretation: Option<String>,
}

impl ValueNote {
    /// Whether the value gives neither a citation nor a reading.
    pub fn is_empty(&self) -> bool {
        self.cite.is_none() && self.interpretation.is_none()
    }
}

/// One of an item's dated values: the date it applies from, the value
/// (`None` where the act gives none) and its own note.
#[derive(Clone, Debug, PartialEq)]
pub struct DatedValue {
    pub from: NaiveDate,
    pub value: Option<Value>,
    pub note: ValueNote,
}

/// The one of `values` (ascending by date) in force on `at`: the last
/// that applies from `at` or before; `None` before the first.
pub fn dated_at(values: &[DatedValue], at: NaiveDate) -> Option<&DatedValue> {
    values.iter().rev().find(|d| d.from <= at)
}

impl Param {
    /// The note of the value in force on `at`, where it gives one.
    pub fn note_at(&self, at: NaiveDate) -> Option<&ValueNote> {
        let i = self.values.iter().rposition(|(from, _)| *from <= at)?;
        self.notes.get(i).filter(|n| !n.is_empty())
    }

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
}

impl Table {
    /// The cell of column `column` as a person reads it in the policy: the
    /// members of an enumeration column and the text of a text column
    /// without the quotes of the expression language (`south, north`, not
    /// `"south", "north"`), unless the text needs them to be read back.
    pub fn cell_text(&self, column: usize, cell: &Cell) -> String {
        use crate::lang::ast::Literal;
        let text = |l: &Literal| match l {
            Literal::Str(s) => s.to_string(),
            other => other.to_string(),
        };
        match (cell, self.columns.get(column).map(|c| &c.1)) {
            (Cell::OneOf(ls), Some(Type::Enum(_))) => {
                ls.iter().map(text).collect::<Vec<_>>().join(", ")
            }
            (Cell::OneOf(ls), Some(Type::String)) => match ls.as_slice() {
                // A text column's plain cell is one value, as written.
                [Literal::Str(s)]
                    if !s.is_empty()
                        && s.trim() == &**s
                        && &**s != "-"
                        && !s.starts_with(['"', '\'']) =>
                {
                    s.to_string()
                }
                _ => cell.to_string(),
            },
            _ => cell.to_string(),
        }
    }

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
    /// The row's result; for a row with `then_expr`, an unknown that
    /// names the row (its result is `then_code`'s).
    pub then: Value,
    /// The expression that computes the row's result, if it has one.
    pub then_code: Option<Code>,
    pub info: Info,
}

impl Row {
    /// The row's result as the package writes it: its value, or its
    /// expression.
    pub fn then_text(&self) -> String {
        match &self.then_code {
            Some(c) => c.text.trim().to_string(),
            None => self.then.to_string(),
        }
    }
}

#[derive(Debug)]
pub struct Computed {
    pub name: String,
    pub ty: Type,
    /// The value's expression; for an `any_of` value, its options joined
    /// by `or` (what it means), while `options` is what runs.
    pub code: Code,
    pub when: Option<Code>,
    pub info: Info,
    /// For a value declared with `any_of`: its options, in order. The value
    /// holds when any option's condition holds.
    pub options: Vec<Alternative>,
}

/// A function the package declares: what calls of it run.
#[derive(Debug)]
pub struct Function {
    pub name: String,
    /// Its parameters, in order, with their types.
    pub params: Vec<(String, Type)>,
    pub returns: Type,
    /// Its body, over its parameters (locals `0..`) and the policy's
    /// parameters.
    pub code: Code,
    pub info: Info,
}

/// One option of an `any_of` value.
#[derive(Debug)]
pub struct Alternative {
    pub id: String,
    pub when: Code,
    pub info: Info,
}

#[derive(Debug)]
pub struct Decision {
    pub outcomes: IndexMap<String, Info>,
    /// The outcomes whose labels depend on the application, by outcome:
    /// see [`Policy::outcome_label`].
    pub label_by: IndexMap<String, LabelBy>,
    pub rules: Vec<Rule>,
    pub otherwise: String,
    pub info: Info,
}

/// An outcome's labels by the member of an input (`label_by`).
#[derive(Debug)]
pub struct LabelBy {
    /// The input field whose member picks the label, as a dotted path.
    pub input: String,
    /// The label of each member that has one of its own.
    pub cases: IndexMap<String, Label>,
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
    /// The citation `cite` as a reader of `lang` reads it: by the policy's
    /// `citations` terms, or as written where the policy has none or some
    /// word of it has no wording in `lang` (which `check` reports).
    pub fn cite_in(&self, cite: &str, lang: &str) -> String {
        match &self.citations {
            Some(c) => c.translate(cite, lang).unwrap_or_else(|_| cite.to_string()),
            None => cite.to_string(),
        }
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    pub fn value(&self, name: &str) -> Option<&Computed> {
        self.values.get(self.value_position(name)?)
    }

    /// The unit of the input, parameter or computed value a dotted path
    /// names (`income`, `study.year`), if it declares one.
    pub fn unit_of(&self, path: &str) -> Option<&str> {
        let info = match self.fields.get(path) {
            Some(i) => Some(i),
            None if path.contains('.') => None,
            None => self
                .params
                .get(path)
                .map(|p| &p.info)
                .or_else(|| self.value(path).map(|v| &v.info)),
        };
        info?.unit.as_deref()
    }

    /// The place of the computed value `name` in [`Policy::values`].
    pub fn value_position(&self, name: &str) -> Option<usize> {
        let places = self.value_places.get_or_init(|| {
            let places = self.values.iter().enumerate();
            places.map(|(i, v)| (v.name.clone(), i)).collect()
        });
        places.get(name).copied()
    }

    /// The id of the edition in force on `at`: the policy and the last act
    /// in force then (`id@act`), or `id@original`.
    pub fn edition_at(&self, at: NaiveDate) -> String {
        let acts = &self.history.acts;
        let amends = |a: &history::ActEvent| a.kind == history::ActKind::Amendment;
        let act = match acts.iter().rposition(|a| amends(a) && a.from <= at) {
            Some(i) => acts[i].id.as_str(),
            None => "original",
        };
        format!("{}@{act}", self.meta.id)
    }

    /// The member of `input` (an application as read) that picks the label
    /// of `outcome`: the value of the input its `label_by` names, if it
    /// declares one and the application gives it.
    pub fn label_case<'v>(&self, outcome: &str, input: &'v Value) -> Option<&'v str> {
        let by = self.decision.as_ref()?.label_by.get(outcome)?;
        let mut v = input;
        for name in by.input.split('.') {
            v = match v {
                Value::Record(fields) => fields.get(name)?,
                _ => return None,
            };
        }
        match v {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The label of `outcome` in `lang`, for an application whose input
    /// that the outcome's `label_by` names has the member `case` (see
    /// [`Policy::label_case`]): the case's label where it has one in
    /// `lang`, else the outcome's own; `None` when neither has that
    /// language (or the outcome is not declared, as `undetermined`).
    ///
    /// ```
    /// let policy = qagida::policy::load_dir("tests/policies/example".as_ref()).unwrap().policy;
    /// assert_eq!(policy.outcome_label("grant", Some("renewal"), "en"), Some("Renewed"));
    /// assert!(policy.outcome_label("grant", Some("grant"), "kk").is_some());
    /// assert_eq!(policy.outcome_label("grant", None, "en"), Some("Granted"));
    /// assert_eq!(policy.outcome_label("undetermined", None, "en"), None);
    /// ```
    pub fn outcome_label(&self, outcome: &str, case: Option<&str>, lang: &str) -> Option<&str> {
        let d = self.decision.as_ref()?;
        let by_case = d
            .label_by
            .get(outcome)
            .zip(case)
            .and_then(|(by, case)| by.cases.get(case)?.get(lang));
        by_case
            .or_else(|| d.outcomes.get(outcome)?.label.get(lang))
            .map(String::as_str)
    }

    /// Whether `at` falls in the act's period of force, or in the window
    /// of a repeal whose date is uncertain, where the act is applied with a
    /// warning (see [`history::History::repeal_in_doubt`]).
    pub fn in_force(&self, at: NaiveDate) -> bool {
        at >= self.meta.in_force_from
            && (self.meta.in_force_until.is_none_or(|u| at < u)
                || self.history.repeal_in_doubt(at).is_some())
    }

    /// The last day the act may be in force when a repeal's uncertain date
    /// leaves its end in doubt: the day before the repeal's latest date,
    /// or `None` when every later day is in doubt. `Some` only for such a
    /// repeal.
    pub fn doubt_until(&self) -> Option<Option<NaiveDate>> {
        self.history.repeal_window().map(|(_, last)| last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::ast::Literal;

    #[test]
    fn cells_read_as_written() {
        let t = Table {
            name: "t".into(),
            columns: vec![
                (
                    "region".into(),
                    Type::Enum(vec!["north".into(), "south".into()].into()),
                ),
                ("note".into(), Type::String),
                ("n".into(), Type::Int),
            ],
            output: Type::Int,
            hit: HitPolicy::First,
            default: None,
            rows: vec![],
            info: Info::default(),
        };
        let text = |s: &str| Literal::Str(s.into());
        let one_of = |ls: Vec<Literal>| Cell::OneOf(ls);
        assert_eq!(
            t.cell_text(0, &one_of(vec![text("south"), text("north")])),
            "south, north"
        );
        assert_eq!(t.cell_text(1, &one_of(vec![text("a, b")])), "a, b");
        // Text that would read otherwise keeps its quotes.
        assert_eq!(t.cell_text(1, &one_of(vec![text("-")])), "\"-\"");
        assert_eq!(t.cell_text(1, &one_of(vec![text(" x")])), "\" x\"");
        assert_eq!(
            t.cell_text(1, &one_of(vec![text("a"), text("b")])),
            "\"a\", \"b\""
        );
        assert_eq!(t.cell_text(1, &Cell::Any), "-");
        assert_eq!(t.cell_text(2, &one_of(vec![Literal::Int(3)])), "3");
    }
}
