//! How a plan reads applications: the layouts of the records of the input
//! schema (their fields' names, shared by every record read; the unknown
//! an absent field stands for; where each key's field stands), and the
//! place of each field a `required_when` makes required, with its
//! condition's values made once where it reads only fields of few values.

use std::sync::Arc;

use crate::core::value::{Fields, Value};
use crate::lang::types::{RecordType, Type};
use crate::policy::Policy;

#[derive(Debug)]
pub(crate) struct Inputs {
    /// The layout of an application: the schema's own record.
    pub(crate) application: Layout,
    /// For each of the policy's `required_when`, in its order, the place
    /// of its field and its condition's table.
    pub(crate) required: Vec<Required>,
}

impl Inputs {
    pub(crate) fn compile(policy: &Policy) -> Inputs {
        let application = Layout::compile(&policy.input, None, policy);
        let required = policy
            .required_when
            .iter()
            .map(|(name, _)| Required {
                place: policy.input.fields.get_index_of(name.as_str()),
                truth: None,
            })
            .collect();
        Inputs {
            application,
            required,
        }
    }

    /// The tables of the `required_when` conditions, made by evaluating
    /// them (`holds`, condition `i` over a record) with the program that
    /// holds these inputs.
    pub(crate) fn truths(
        policy: &Policy,
        program: &super::Program,
        holds: super::Holds,
    ) -> Vec<Option<Truth>> {
        let application = &program.inputs.application;
        let codes = policy.required_when.iter().enumerate();
        codes
            .map(|(i, (_, code))| {
                let holds = |record: &Value| holds(policy, program, i, record);
                Truth::compile(policy, application, code, &holds)
            })
            .collect()
    }
}

/// What a plan knows of a `required_when`.
#[derive(Debug)]
pub(crate) struct Required {
    /// The place of its field in an application's record.
    pub(crate) place: Option<usize>,
    /// Its condition's values, if it reads only fields of few values.
    pub(crate) truth: Option<Truth>,
}

/// The values of a condition over the application (a `required_when`)
/// that reads only fields of the application's own record with few
/// values (enumerations and booleans): whether it holds for each
/// combination of theirs, found once by evaluating it, so that an
/// application's reader looks it up rather than evaluates it.
#[derive(Debug)]
pub(crate) struct Truth {
    /// The places of the fields it reads, each with how many values it
    /// has (its members or `false` and `true`, then absent).
    reads: Box<[(usize, usize)]>,
    /// Whether it holds, for each combination, the first field's value
    /// varying slowest.
    holds: Box<[bool]>,
}

/// The most combinations a condition's table is made for.
const MOST_COMBINATIONS: usize = 1024;

impl Truth {
    /// The table of `code`, if it reads only fields of `application` with
    /// few values and they have few combinations.
    fn compile(
        policy: &Policy,
        application: &Layout,
        code: &crate::policy::Code,
        holds: &dyn Fn(&Value) -> bool,
    ) -> Option<Truth> {
        let fields = &policy.input.fields;
        let mut reads = Vec::new();
        // Each field's values, absent last.
        let mut domains: Vec<Vec<Value>> = Vec::new();
        for path in &code.refs {
            let place = fields.get_index_of(path.as_str())?;
            let (_, ft) = fields.get_index(place)?;
            let mut values: Vec<Value> = match &ft.ty {
                Type::Enum(members) => members.iter().map(|m| Value::Str(m.clone())).collect(),
                Type::Bool => vec![Value::Bool(false), Value::Bool(true)],
                _ => return None,
            };
            values.push(application.field(place).absent.clone());
            reads.push((place, values.len()));
            domains.push(values);
        }
        let size = domains
            .iter()
            .try_fold(1usize, |n, d| n.checked_mul(d.len()))
            .filter(|&n| n <= MOST_COMBINATIONS)?;
        let holds = (0..size).map(|combination| {
            let mut values: Vec<Value> = application
                .fields
                .iter()
                .map(|f| f.absent.clone())
                .collect();
            let mut rest = combination;
            for ((place, n), domain) in reads.iter().zip(&domains).rev() {
                values[*place] = domain[rest % n].clone();
                rest /= n;
            }
            let record = application.record(values);
            holds(&record)
        });
        Some(Truth {
            holds: holds.collect(),
            reads: reads.into(),
        })
    }

    /// Whether the condition holds over `record`, read by `application`;
    /// `None` if a field it reads has a value the table does not know
    /// (the condition is then evaluated).
    #[inline]
    pub(crate) fn holds(&self, application: &Layout, record: &Fields) -> Option<bool> {
        let mut at = 0;
        for &(place, n) in &self.reads {
            let fl = application.fields.get(place)?;
            let value = record.get_at(place, application.names.get(place)?)?;
            let i = match (value, &fl.members) {
                (Value::Unknown(m), _) => match &fl.absent {
                    Value::Unknown(a) if Arc::ptr_eq(m, a) => n - 1,
                    _ => return None,
                },
                (Value::Str(s), Some(members)) => members.place(s)?,
                (Value::Bool(b), None) => usize::from(*b),
                _ => return None,
            };
            at = at * n + i;
        }
        self.holds.get(at).copied()
    }
}

/// The layout of the records of one record type of the input schema, in
/// the order of its fields: the readers walk it beside the type.
#[derive(Debug)]
pub(crate) struct Layout {
    /// The fields' names, shared by every record of this layout (see
    /// [`Fields::shares_names`]).
    names: Arc<[Arc<str>]>,
    /// Each field's part, in the same order.
    fields: Box<[FieldLayout]>,
    /// Finds a key's field.
    keys: Keys,
}

/// What a plan knows of one field of a record beyond its type.
#[derive(Debug)]
pub(crate) struct FieldLayout {
    /// The value of the field when it is absent: unknown, missing its
    /// dotted name.
    pub(crate) absent: Value,
    /// For a record, or a list of records: the layout of the records.
    pub(crate) record: Option<Layout>,
    /// For an entry (`ref(...)`): the place of its catalogue among the
    /// policy's, if the policy has it.
    pub(crate) catalogue: Option<usize>,
    /// For an entry read within a sibling (`within`): the sibling's place.
    pub(crate) within: Option<usize>,
    /// For an enumeration, or a list of one: its members, found as keys
    /// are.
    pub(crate) members: Option<Members>,
}

/// The members of an enumeration, with a table that finds them. The
/// texts are the plan's own copies, so that the values of a thread's plan
/// (see [`crate::engine::Plan::for_thread`]) share no count with the
/// policy's or another thread's.
#[derive(Debug)]
pub(crate) struct Members {
    list: Box<[Arc<str>]>,
    keys: Keys,
}

impl Members {
    /// The member `text` is, as a value: the member's text, shared (as
    /// [`crate::lang::convert::scalar`] makes it, from its own copy).
    #[inline]
    pub(crate) fn find(&self, text: &str) -> Option<Value> {
        let i = self.place(text)?;
        Some(Value::Str(self.list[i].clone()))
    }

    /// The place of member `text` among the members.
    #[inline]
    fn place(&self, text: &str) -> Option<usize> {
        self.keys.find(&self.list, text.as_bytes())
    }
}

impl Layout {
    /// The layout of `schema`, whose fields' dotted names start with
    /// `prefix` (none for the application itself).
    fn compile(schema: &RecordType, prefix: Option<&str>, policy: &Policy) -> Layout {
        let names: Arc<[Arc<str>]> = schema.fields.keys().cloned().collect();
        let fields = schema.fields.iter().map(|(name, ft)| {
            let dotted = match prefix {
                Some(p) => format!("{p}.{name}"),
                None => name.to_string(),
            };
            let record = record_of(&ft.ty).map(|r| Layout::compile(r, Some(&dotted), policy));
            let catalogue = match &ft.ty {
                Type::Ref(cat) => policy.catalogues.iter().position(|c| *c.name == **cat),
                _ => None,
            };
            let within = ft.options.within.as_ref();
            let members = members_of(&ft.ty).map(|list| {
                let list: Box<[Arc<str>]> = list.iter().map(|m| Arc::from(&**m)).collect();
                Members {
                    keys: Keys::new(&list),
                    list,
                }
            });
            FieldLayout {
                absent: Value::unknown(dotted),
                record,
                catalogue,
                within: within.and_then(|w| schema.fields.get_index_of(w.as_str())),
                members,
            }
        });
        Layout {
            keys: Keys::new(&names),
            fields: fields.collect(),
            names,
        }
    }

    /// The fields' names in order, as every record of the layout shares
    /// them.
    pub(crate) fn names(&self) -> &Arc<[Arc<str>]> {
        &self.names
    }

    /// The part of field `i`.
    pub(crate) fn field(&self, i: usize) -> &FieldLayout {
        &self.fields[i]
    }

    /// How many fields the record has.
    pub(crate) fn len(&self) -> usize {
        self.fields.len()
    }

    /// The place of the field named `key`, if the record has one.
    #[inline]
    pub(crate) fn place(&self, key: &str) -> Option<usize> {
        self.keys.find(&self.names, key.as_bytes())
    }

    /// A record of this layout with its fields' values, in its order.
    pub(crate) fn record(&self, values: Vec<Value>) -> Value {
        Value::Record(Arc::new(Fields::new(self.names.clone(), values)))
    }
}

/// The record type of a field of type `ty`, or of its list's elements.
fn record_of(ty: &Type) -> Option<&RecordType> {
    match ty {
        Type::Record(r) => Some(r),
        Type::List(t) => record_of(t),
        _ => None,
    }
}

/// The members of an enumeration of type `ty`, or of its list's elements.
fn members_of(ty: &Type) -> Option<&Arc<Vec<Arc<str>>>> {
    match ty {
        Type::Enum(m) => Some(m),
        Type::List(t) => members_of(t),
        _ => None,
    }
}

/// How a record's keys are matched to its fields: by a hash without
/// collisions among the names (a key is then compared with one name
/// alone), found when the layout is made; else by a hash table.
#[derive(Debug)]
enum Keys {
    Perfect {
        /// Multiplies the mixed bytes of a key.
        factor: u64,
        /// Shifts the product to a place in `table`.
        shift: u32,
        /// One more than the place of the field whose name hashes here;
        /// 0 where none does.
        table: Box<[u16]>,
    },
    Hashed(std::collections::HashMap<Arc<str>, usize, foldhash::fast::RandomState>),
}

impl Keys {
    fn new(names: &[Arc<str>]) -> Keys {
        if names.len() < u16::MAX as usize {
            // Tables of 2 to 16 times as many places as names, so that a
            // hash without collisions is soon found.
            let least = (names.len() * 2).next_power_of_two().max(4);
            for size in (0..4).map(|i| least << i) {
                let shift = 64 - size.trailing_zeros();
                for seed in 0..64u64 {
                    let factor = odd_factor(seed);
                    let mut table = vec![0u16; size].into_boxed_slice();
                    let placed = names.iter().enumerate().all(|(i, n)| {
                        let at = &mut table[hash(n.as_bytes(), factor, shift)];
                        let free = *at == 0;
                        *at = i as u16 + 1;
                        free
                    });
                    if placed {
                        return Keys::Perfect {
                            factor,
                            shift,
                            table,
                        };
                    }
                }
            }
        }
        let mut places = std::collections::HashMap::default();
        for (i, n) in names.iter().enumerate() {
            // The first of a name written twice, as a search in order finds.
            places.entry(n.clone()).or_insert(i);
        }
        Keys::Hashed(places)
    }

    #[inline]
    fn find(&self, names: &[Arc<str>], key: &[u8]) -> Option<usize> {
        match self {
            Keys::Perfect {
                factor,
                shift,
                table,
            } => {
                let i = usize::from(table[hash(key, *factor, *shift)]).checked_sub(1)?;
                (names[i].as_bytes() == key).then_some(i)
            }
            Keys::Hashed(map) => {
                let key = std::str::from_utf8(key).ok()?;
                map.get(key).copied()
            }
        }
    }
}

/// The `seed`th of a sequence of odd numbers with their bits well mixed
/// (splitmix64's).
fn odd_factor(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    (z ^ (z >> 31)) | 1
}

/// A key's place in a table of `1 << (64 - shift)` places: its length and
/// its first and last eight bytes, mixed and multiplied by `factor`.
#[inline]
fn hash(key: &[u8], factor: u64, shift: u32) -> usize {
    let n = key.len();
    let (first, last) = if n >= 8 {
        let word = |at: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&key[at..at + 8]);
            u64::from_le_bytes(w)
        };
        (word(0), word(n - 8))
    } else {
        let mut w = [0u8; 8];
        w[..n].copy_from_slice(key);
        (u64::from_le_bytes(w), 0)
    };
    let mixed = first ^ last.rotate_left(29) ^ (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed.wrapping_mul(factor) >> shift) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A policy whose conditions read an enumeration and a boolean, a
    /// date and a nested field.
    fn policy() -> Policy {
        let text = r#"package:
  id: inline
  title: {en: Inline fixture}
  act: {cite: Fixture}
  languages: [en]
  official_language: en
  in_force: {from: 2020-01-01}
input:
  kind: {type: "enum(a, b, c)", optional: true}
  flag: {type: bool, optional: true}
  day: {type: date, optional: true}
  x: {type: int, optional: true, required_when: 'kind == "a" and not flag'}
  y: {type: int, optional: true, required_when: 'kind in ["b", "c"] or flag'}
  z: {type: int, optional: true, required_when: is_known(kind)}
  w: {type: int, optional: true, required_when: day < 2021-01-01}
"#;
        let read = move |rel: &str| match rel {
            "\0manifest" => Ok(("inline.yaml".to_string(), text.to_string())),
            _ => Err(format!("no file `{rel}`")),
        };
        match crate::policy::load_files(&read) {
            Ok(l) => l.policy,
            Err(d) => panic!("{}", crate::core::diag::human(&d, false)),
        }
    }

    #[test]
    fn a_conditions_table_holds_where_evaluating_it_does() {
        let plan = crate::engine::Plan::new(policy());
        let (policy, inputs) = (plan.policy(), &plan.program().inputs);
        let app = &inputs.application;
        let tables = inputs.required.iter().map(|r| r.truth.is_some());
        assert_eq!(tables.collect::<Vec<_>>(), [true, true, true, false]);
        let kinds = ["a", "b", "c"].map(Value::str);
        let kind = kinds.iter().cloned().chain([app.field(0).absent.clone()]);
        for kind in kind {
            let flags = [Value::Bool(false), Value::Bool(true)];
            for flag in flags.into_iter().chain([app.field(1).absent.clone()]) {
                let mut values: Vec<Value> = app.fields.iter().map(|f| f.absent.clone()).collect();
                values[0] = match &kind {
                    // As the readers make it: the member's own text.
                    Value::Str(s) => app.field(0).members.as_ref().unwrap().find(s).unwrap(),
                    other => other.clone(),
                };
                values[1] = flag.clone();
                let record = app.record(values);
                let Value::Record(fields) = &record else {
                    unreachable!()
                };
                let conditions = inputs.required.iter().zip(&policy.required_when);
                for (i, (required, (name, _))) in conditions.enumerate() {
                    let Some(truth) = &required.truth else {
                        continue;
                    };
                    let evaluated = plan.required_holds(i, &record);
                    let looked_up = truth.holds(app, fields);
                    assert_eq!(looked_up, Some(evaluated), "{name} at {kind}, {flag}");
                }
            }
        }
    }

    #[test]
    fn every_name_finds_its_place_and_nothing_else_does() {
        let sets: [&[&str]; 4] = [
            &[],
            &["a"],
            &[
                "service",
                "submitted_at",
                "profession",
                "education",
                "years",
            ],
            &[
                "a_long_name_that_differs_only_here_1_at_the_end",
                "a_long_name_that_differs_only_here_2_at_the_end",
                "a_long_name_that_differs_only_here_3_at_the_end",
            ],
        ];
        for names in sets {
            let names: Vec<Arc<str>> = names.iter().map(|&n| n.into()).collect();
            let keys = Keys::new(&names);
            for (i, n) in names.iter().enumerate() {
                assert_eq!(keys.find(&names, n.as_bytes()), Some(i), "{n}");
            }
            for other in ["", "b", "servic", "services", "submitted_a", "yearz"] {
                assert_eq!(keys.find(&names, other.as_bytes()), None, "{other}");
            }
        }
        let many: Vec<Arc<str>> = (0..300).map(|i| format!("field_{i}").into()).collect();
        let keys = Keys::new(&many);
        assert!(matches!(keys, Keys::Perfect { .. }));
        for (i, n) in many.iter().enumerate() {
            assert_eq!(keys.find(&many, n.as_bytes()), Some(i));
        }
    }
}
