//! The plan: a checked [`Policy`] as it runs. The policy is what the
//! editor wrote, checked; the program compiled from it holds
//! everything an evaluation needs beyond that: the expressions in a form
//! made to run (constants folded, names resolved to places, the unknowns
//! they stand for made once, codes of the same meaning sharing a memo
//! slot), the indices of tables and the layouts of the records an
//! application is read into.
//!
//! A [`Plan`] is cheap to clone (both parts are shared). A worker thread
//! takes [`Plan::for_thread`]: the same policy, with a program compiled
//! again, so that the values its evaluations copy share no reference
//! count with another thread's (each such count on a shared cache line
//! costs about three times as much as on a line of its own).

mod catalogues;
pub(crate) mod code;
pub(crate) mod inputs;
pub(crate) mod tables;

use std::sync::Arc;

use chrono::NaiveDate;

use crate::core::value::Value;
use crate::lang::runtime::CalendarError;
use crate::policy::{Code, Info, Policy, ReportKind};
use code::Compiled;

/// A checked policy, ready to decide applications.
#[derive(Clone, Debug)]
pub struct Plan {
    policy: Arc<Policy>,
    program: Arc<Program>,
}

impl Plan {
    /// A plan of `policy` and its program (see the engine's `Plan::new`).
    pub(crate) fn from_parts(policy: Arc<Policy>, program: Program) -> Plan {
        Plan {
            policy,
            program: Arc::new(program),
        }
    }

    /// The policy, shared.
    pub(crate) fn shared_policy(&self) -> &Arc<Policy> {
        &self.policy
    }

    /// The policy as the editor wrote it, checked.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The compiled form the evaluation runs.
    pub(crate) fn program(&self) -> &Program {
        &self.program
    }

    /// How many memo slots an evaluation keeps: one for each meaning that
    /// more than one code of the policy has (`service == "issue"` written
    /// in many places).
    pub fn memo_slots(&self) -> usize {
        self.program.memo_slots
    }

    /// The memo slots of computed value `i`'s condition and code, where
    /// another code of the same meaning shares them.
    pub fn value_memo(&self, i: usize) -> (Option<usize>, Option<usize>) {
        self.program.values.get(i).map_or((None, None), |v| {
            (v.when.as_ref().and_then(|w| w.memo), v.code.memo)
        })
    }
}

/// A plan reads as its policy: `plan.meta`, `plan.values`.
impl std::ops::Deref for Plan {
    type Target = Policy;

    fn deref(&self) -> &Policy {
        &self.policy
    }
}

/// What a plan runs, compiled from its policy: each part mirrors the
/// policy's part of the same name, item for item.
#[derive(Debug)]
pub(crate) struct Program {
    /// How applications are read: the layouts of their records.
    pub(crate) inputs: inputs::Inputs,
    /// The references to catalogue entries, made once.
    pub(crate) catalogues: catalogues::Catalogues,
    pub(crate) values: Vec<ValuePlan>,
    /// The bodies of the package's functions, by place.
    pub(crate) functions: Vec<code::Op>,
    /// The computed values' names, in order, shared by the evaluations'
    /// [`crate::engine::eval::Values`].
    pub(crate) value_names: Arc<[Arc<str>]>,
    /// The decision's rules.
    pub(crate) rules: Vec<RulePlan>,
    /// Each warning's condition, and whether its provision is encoded.
    pub(crate) warnings: Vec<(Compiled, Option<Gate>)>,
    /// Each form's fields' codes.
    pub(crate) forms: Vec<Vec<Option<Compiled>>>,
    pub(crate) report: Vec<ReportPlan>,
    pub(crate) evaluation_date: Option<Compiled>,
    /// The condition of each of the policy's `required_when`.
    pub(crate) required_when: Vec<Compiled>,
    pub(crate) tables: Vec<tables::TablePlan>,
    /// Whether each table's provision is encoded.
    pub(crate) table_gates: Vec<Option<Gate>>,
    /// Whether each catalogue's provision is encoded.
    pub(crate) catalogue_gates: Vec<Option<Gate>>,
    /// Whether each parameter's provision is encoded.
    pub(crate) param_gates: Vec<Option<Gate>>,
    /// How many values an evaluation may keep by memo slot.
    pub(crate) memo_slots: usize,
    /// What is closed on the act's first day in force, for conditions over
    /// the inputs alone (`required_when`, the evaluation date).
    pub(crate) first_day: Closed,
    /// Each parameter's values by the date they apply from (see
    /// [`crate::policy::Param::values`]), the program's own.
    pub(crate) param_values: Vec<Vec<(NaiveDate, Option<Value>)>>,
    /// Each calendar with the index of its days, in the policy's order.
    pub(crate) calendars: Vec<CalendarPlan>,
    /// Each catalogue's entries' attributes, the program's own.
    pub(crate) attributes: Vec<Attributes>,
}

/// A working-day calendar with the index of its days.
#[derive(Debug)]
pub(crate) struct CalendarPlan {
    calendar: Arc<crate::policy::calendar::Calendar>,
    index: Option<crate::policy::calendar::DayIndex>,
}

impl CalendarPlan {
    /// The calendar answering through its index.
    pub(crate) fn indexed(&self) -> crate::policy::calendar::Indexed<'_> {
        crate::policy::calendar::Indexed {
            calendar: &self.calendar,
            index: self.index.as_ref(),
        }
    }
}

impl crate::lang::runtime::WorkingDays for CalendarPlan {
    fn is_working_day(&self, d: NaiveDate) -> Result<bool, CalendarError> {
        self.indexed().is_working_day(d)
    }

    fn next_working_day(&self, d: NaiveDate) -> Result<NaiveDate, CalendarError> {
        self.indexed().next_working_day(d)
    }

    fn add_working_days(&self, d: NaiveDate, n: i64) -> Result<NaiveDate, CalendarError> {
        self.indexed().add_working_days(d, n)
    }

    fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> Result<i64, CalendarError> {
        self.indexed().working_days_between(a, b)
    }
}

/// A catalogue's entries' attributes, the program's own: a row an entry,
/// a column each name any entry has an attribute of, so that a field read
/// of an entry finds its value by place rather than by hashing its name.
#[derive(Debug, Default)]
pub(crate) struct Attributes {
    names: Vec<String>,
    cells: Vec<Option<AttributeCell>>,
}

/// An entry's attribute as the program holds it.
#[derive(Debug)]
enum AttributeCell {
    Plain(Value),
    /// Values by the date each applies from, ascending (the unknown where
    /// the act gives none), and the unknown that names the attribute,
    /// before the first date.
    Dated(Vec<(NaiveDate, Value)>, Value),
}

impl Attributes {
    fn of(catalogue: &crate::policy::catalogue::Catalogue) -> Attributes {
        use crate::policy::catalogue::Attribute;
        let mut names: Vec<String> = Vec::new();
        for e in &catalogue.entries {
            for k in e.attributes.keys() {
                if !names.contains(k) {
                    names.push(k.clone());
                }
            }
        }
        let cells = catalogue
            .entries
            .iter()
            .flat_map(|e| {
                names.iter().map(|n| {
                    e.attributes.get(n).map(|a| match a {
                        Attribute::Plain(v) => AttributeCell::Plain(v.unshared()),
                        Attribute::Dated(ds) => {
                            let unknown =
                                Value::unknown(format!("{} {}.{n}", catalogue.name, e.id));
                            let value = |d: &crate::policy::DatedValue| {
                                d.value.as_ref().map_or(unknown.clone(), Value::unshared)
                            };
                            let values = ds.iter().map(|d| (d.from, value(d))).collect();
                            AttributeCell::Dated(values, unknown)
                        }
                    })
                })
            })
            .collect();
        Attributes { names, cells }
    }

    /// The place of the attribute `name`, if any entry has it.
    pub(crate) fn place(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Entry `entry`'s attribute at `place` on `at`, if it has it: for
    /// dated values, the one in force then, or before the first date the
    /// unknown that names the attribute.
    pub(crate) fn get(&self, entry: usize, place: usize, at: NaiveDate) -> Option<&Value> {
        let i = entry.checked_mul(self.names.len())?.checked_add(place)?;
        match self.cells.get(i)?.as_ref()? {
            AttributeCell::Plain(v) => Some(v),
            AttributeCell::Dated(values, unknown) => {
                let found = values.iter().rev().find(|(from, _)| *from <= at);
                Some(found.map_or(unknown, |(_, v)| v))
            }
        }
    }
}

/// A computed value as it runs.
#[derive(Debug)]
pub(crate) struct ValuePlan {
    pub(crate) when: Option<Compiled>,
    pub(crate) code: Compiled,
    /// The name as a JSON object's key, `"name":`, written once.
    pub(crate) json_key: Vec<u8>,
    /// The value it has where its `when` does not hold: unknown, naming it
    /// `(not applicable)`.
    pub(crate) not_applicable: Value,
    pub(crate) gate: Option<Gate>,
    /// For an `any_of` value, each option's condition, in order.
    pub(crate) options: Vec<Compiled>,
}

#[derive(Debug)]
pub(crate) struct RulePlan {
    pub(crate) when: Option<Compiled>,
    pub(crate) gate: Option<Gate>,
    /// Each reason's condition and gate.
    pub(crate) reasons: Vec<(Compiled, Option<Gate>)>,
}

#[derive(Debug)]
pub(crate) struct ReportPlan {
    pub(crate) when: Option<Compiled>,
    pub(crate) kind: ReportOps,
    /// For `values` and `items`: each name's place among the values.
    pub(crate) positions: Vec<Option<usize>>,
}

#[derive(Debug)]
pub(crate) enum ReportOps {
    Expr(Compiled),
    Values,
    Items { total: Option<Compiled> },
    Fields(Vec<Compiled>),
}

/// The tables and catalogues whose wording in force at a date is not
/// encoded, and the tables out of force then, each with the unknown it
/// stands for then.
#[derive(Clone, Debug, Default)]
pub(crate) struct Closed {
    pub(crate) tables: Vec<Option<Value>>,
    pub(crate) catalogues: Vec<Option<Value>>,
}

impl Closed {
    pub(crate) fn at(program: &Program, policy: &Policy, at: NaiveDate) -> Closed {
        let closed = |g: &Option<Gate>| Gate::closed(g, policy, at);
        // A table out of force on `at` (an amendment added it later or
        // removed it) is unknown, naming it.
        let tables = policy.tables.iter().zip(&program.table_gates);
        let table = |(t, g): (&crate::policy::Table, &Option<Gate>)| match t.info.exists(at) {
            true => closed(g),
            false => Some(Value::unknown(format!("{} (not in force)", t.name))),
        };
        Closed {
            tables: tables.map(table).collect(),
            catalogues: program.catalogue_gates.iter().map(closed).collect(),
        }
    }
}

/// The provision an item encodes, where the act's history records it:
/// the item is unknown (naming the provision) at a date when the wording
/// in force is not encoded.
#[derive(Debug)]
pub(crate) struct Gate {
    provision: usize,
    unknown: Value,
}

impl Gate {
    fn of(policy: &Policy, info: &Info) -> Option<Gate> {
        let p = info.provision.as_deref()?;
        Some(Gate {
            provision: policy.history.provisions.get_index_of(p)?,
            unknown: Value::unknown(p),
        })
    }

    /// The item's unknown, if the wording in force on `at` is not encoded.
    pub(crate) fn closed(gate: &Option<Gate>, policy: &Policy, at: NaiveDate) -> Option<Value> {
        let g = gate.as_ref()?;
        let (_, prov) = policy.history.provisions.get_index(g.provision)?;
        let encoded = prov.version_at(at).is_some_and(|v| v.encoded);
        (!encoded).then(|| g.unknown.clone())
    }
}

/// Whether condition `i` of the policy's `required_when` holds over a
/// record of the application (the evaluator answers, for the truth
/// tables of [`inputs::Inputs`]).
pub(crate) type Holds = fn(&Policy, &Program, usize, &Value) -> bool;

impl Program {
    /// Parameter `i`'s value in force on `at`: unknown when the act gives
    /// none (as [`crate::policy::Param::value_at`]).
    pub(crate) fn param_at(&self, policy: &Policy, i: usize, at: NaiveDate) -> Value {
        let v = self.param_values.get(i).and_then(|vs| {
            let found = vs.iter().rev().find(|(from, _)| *from <= at);
            found.and_then(|(_, v)| v.clone())
        });
        let name = || policy.params.get_index(i).map_or("", |(n, _)| n.as_str());
        v.unwrap_or_else(|| Value::unknown(name()))
    }

    pub(crate) fn compile(policy: &Policy, holds: Holds) -> Program {
        let attributes: Vec<Attributes> = policy.catalogues.iter().map(Attributes::of).collect();
        let inputs = inputs::Inputs::compile(policy);
        let mut c = code::Compiler::new(&attributes, &inputs.application);
        for_each_code(policy, &mut |code| c.count(code));
        let memo_slots = c.slots();
        let one = |code: &Code| c.compile(code);
        let gate = |info: &Info| Gate::of(policy, info);
        let values = policy
            .values
            .iter()
            .map(|v| ValuePlan {
                when: v.when.as_ref().map(one),
                code: one(&v.code),
                json_key: format!("{}:", serde_json::Value::from(v.name.as_str())).into_bytes(),
                not_applicable: Value::unknown(format!("{} (not applicable)", v.name)),
                gate: gate(&v.info),
                options: v.options.iter().map(|o| one(&o.when)).collect(),
            })
            .collect();
        let functions = policy.functions.iter().map(|f| c.body(&f.code)).collect();
        let mut tables = tables::compile(policy);
        for (plan, table) in tables.iter_mut().zip(&policy.tables) {
            for (row, r) in plan.rows.iter_mut().zip(&table.rows) {
                row.expr = r.then_code.as_ref().map(|code| c.body(code));
            }
        }
        let rules = policy.decision.iter().flat_map(|d| &d.rules);
        let rules = rules
            .map(|r| RulePlan {
                when: r.when.as_ref().map(one),
                gate: gate(&r.info),
                reasons: r
                    .reasons
                    .iter()
                    .map(|x| (one(&x.when), gate(&x.info)))
                    .collect(),
            })
            .collect();
        let position = |n: &String| policy.value_position(n);
        let report = policy
            .report
            .iter()
            .map(|r| ReportPlan {
                when: r.when.as_ref().map(one),
                kind: match &r.kind {
                    ReportKind::Expr(x) => ReportOps::Expr(one(x)),
                    ReportKind::Values(_) => ReportOps::Values,
                    ReportKind::Items { total, .. } => ReportOps::Items {
                        total: total.as_ref().map(one),
                    },
                    ReportKind::Fields(fs) => {
                        ReportOps::Fields(fs.iter().map(|(_, x)| one(x)).collect())
                    }
                },
                positions: match &r.kind {
                    ReportKind::Values(names) | ReportKind::Items { names, .. } => {
                        names.iter().map(position).collect()
                    }
                    _ => Vec::new(),
                },
            })
            .collect();
        let mut program = Program {
            first_day: Closed::default(),
            values,
            functions,
            value_names: policy
                .values
                .iter()
                .map(|v| Arc::from(v.name.as_str()))
                .collect(),
            rules,
            warnings: policy
                .warnings
                .iter()
                .map(|w| (one(&w.when), gate(&w.info)))
                .collect(),
            forms: policy
                .forms
                .iter()
                .map(|f| f.fields.iter().map(|x| x.expr.as_ref().map(one)).collect())
                .collect(),
            report,
            evaluation_date: policy.evaluation_date.as_ref().map(one),
            required_when: policy.required_when.iter().map(|(_, x)| one(x)).collect(),
            tables,
            table_gates: policy.tables.iter().map(|t| gate(&t.info)).collect(),
            catalogue_gates: policy.catalogues.iter().map(|x| gate(&x.info)).collect(),
            param_gates: policy.params.values().map(|x| gate(&x.info)).collect(),
            calendars: policy
                .calendars
                .values()
                .map(|c| CalendarPlan {
                    calendar: c.clone(),
                    index: crate::policy::calendar::DayIndex::of(c),
                })
                .collect(),
            param_values: policy
                .params
                .values()
                .map(|p| {
                    let own =
                        |(d, v): &(NaiveDate, Option<Value>)| (*d, v.as_ref().map(Value::unshared));
                    p.values.iter().map(own).collect()
                })
                .collect(),
            attributes,
            memo_slots,
            catalogues: catalogues::Catalogues::compile(policy),
            // Last: the codes above are placed in its layouts.
            inputs,
        };
        program.first_day = Closed::at(&program, policy, policy.meta.in_force_from);
        // The tables of conditions over the inputs, by running them.
        let truths = inputs::Inputs::truths(policy, &program, holds);
        for (r, t) in program.inputs.required.iter_mut().zip(truths) {
            r.truth = t;
        }
        program
    }
}

/// Calls `f` with every code of the policy that an evaluation runs, in
/// the order the compiler meets them (which numbers the memo slots).
pub(crate) fn for_each_code(policy: &Policy, f: &mut impl FnMut(&Code)) {
    for v in &policy.values {
        v.when.iter().for_each(&mut *f);
        f(&v.code);
        v.options.iter().for_each(|o| f(&o.when));
    }
    for r in policy.decision.iter().flat_map(|d| &d.rules) {
        r.when.iter().for_each(&mut *f);
        r.reasons.iter().for_each(|x| f(&x.when));
    }
    policy.warnings.iter().for_each(|w| f(&w.when));
    for x in policy.forms.iter().flat_map(|x| &x.fields) {
        x.expr.iter().for_each(&mut *f);
    }
    for r in &policy.report {
        r.when.iter().for_each(&mut *f);
        match &r.kind {
            ReportKind::Expr(x) => f(x),
            ReportKind::Values(_) => {}
            ReportKind::Items { total, .. } => total.iter().for_each(&mut *f),
            ReportKind::Fields(fs) => fs.iter().for_each(|(_, x)| f(x)),
        }
    }
    policy.evaluation_date.iter().for_each(&mut *f);
    policy.required_when.iter().for_each(|(_, x)| f(x));
}
