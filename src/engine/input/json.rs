//! Reads a JSON application (a batch line) straight into a record of the
//! policy's schema, without building a tree of data first. It takes on
//! only applications that read cleanly: at the first thing it does not
//! handle (an unknown or repeated key, a missing required field, a value
//! of the wrong type, a name that matches no catalogue entry, a type that
//! is rare in applications) it gives up, and the general reader
//! ([`super::from_data`]) reads the line again and says what is wrong.
//! The two agree on every application this one takes: see the tests.

use std::fmt;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use smallvec::SmallVec;

use crate::core::value::{self, Value};
use crate::lang::types::{FieldType, RecordType, Type};
use crate::policy::Policy;

/// The application in `text` as a record of the policy's schema, or
/// `None` when the general reader must read it.
pub fn read(policy: &Policy, text: &str) -> Option<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let record = RecordSeed {
        policy,
        schema: &policy.input,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    // A field that a `required_when` makes required is the general
    // reader's to report.
    (!super::requires_more(policy, &record)).then_some(record)
}

/// Why this reader gave up; never shown, since the general reader then
/// reads the application and explains.
#[derive(Debug)]
struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("read by the general reader")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

fn give_up<E: de::Error>() -> E {
    E::custom(GiveUp)
}

struct RecordSeed<'a> {
    policy: &'a Policy,
    schema: &'a RecordType,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping of fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let fields = &self.schema.fields;
        // On the stack for records of up to 32 fields.
        let mut slots: SmallVec<[Option<Value>; 32]> = SmallVec::from_elem(None, fields.len());
        let mut seen: SmallVec<[bool; 32]> = SmallVec::from_elem(false, fields.len());
        // Names of entries to resolve within a sibling (`within`), which
        // may come after them in the text.
        let mut later: SmallVec<[(usize, String); 1]> = SmallVec::new();
        while let Some(i) = map.next_key_seed(KeySeed(self.schema))? {
            if std::mem::replace(&mut seen[i], true) {
                return Err(give_up());
            }
            let ft = &fields[i];
            match (&ft.ty, &ft.options.within) {
                (Type::Ref(_), Some(_)) => {
                    if let Some(text) = map.next_value::<Option<String>>()? {
                        later.push((i, text));
                    }
                }
                _ => {
                    slots[i] = map.next_value_seed(FieldSeed {
                        policy: self.policy,
                        ty: &ft.ty,
                        field: Some(ft),
                    })?;
                }
            }
        }
        for (i, text) in later {
            let ft = &fields[i];
            let Type::Ref(cat) = &ft.ty else {
                return Err(give_up());
            };
            let settled = ft.options.within.as_ref().and_then(|w| {
                match slots.get(fields.get_index_of(w.as_str())?)? {
                    Some(Value::Ref(r)) => Some(r.entry),
                    _ => None,
                }
            });
            slots[i] = Some(entry(self.policy, cat, ft, &text, settled).ok_or_else(give_up)?);
        }
        let mut values = Vec::with_capacity(fields.len());
        for (ft, slot) in fields.values().zip(slots) {
            values.push(match slot {
                Some(v) => v,
                None if ft.optional => {
                    Value::Unknown(ft.options.absent.clone().ok_or_else(give_up)?)
                }
                None => return Err(give_up()),
            });
        }
        let names = self.schema.names();
        Ok(Value::Record(Arc::new(value::Fields::new(names, values))))
    }
}

/// A key: the place of its field in the schema.
struct KeySeed<'a>(&'a RecordType);

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = usize;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field's name")
    }

    fn visit_str<E: de::Error>(self, k: &str) -> Result<usize, E> {
        self.0.fields.get_index_of(k).ok_or_else(give_up)
    }
}

/// A value of type `ty`: `None` for `null`, which stands for an absent
/// field (only a field's own value, not a list's element, may be null).
struct FieldSeed<'a> {
    policy: &'a Policy,
    ty: &'a Type,
    /// The field, for its options; `None` for the elements of a list.
    field: Option<&'a FieldType>,
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = Option<Value>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FieldSeed<'_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&value::describe_type(self.ty))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Value>, E> {
        match self.field {
            Some(_) => Ok(None),
            None => Err(give_up()),
        }
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Option<Value>, E> {
        match self.ty {
            Type::Bool => Ok(Some(Value::Bool(b))),
            _ => Err(give_up()),
        }
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Option<Value>, E> {
        match self.ty {
            Type::Int => Ok(Some(Value::Int(n))),
            _ => Err(give_up()),
        }
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Option<Value>, E> {
        match (self.ty, i64::try_from(n)) {
            (Type::Int, Ok(n)) => Ok(Some(Value::Int(n))),
            _ => Err(give_up()),
        }
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<Value>, E> {
        let v = match self.ty {
            Type::String => Value::str(s),
            Type::Enum(members) => match members.iter().find(|m| ***m == *s) {
                // The member's own text, shared rather than copied.
                Some(m) => Value::Str(m.clone()),
                None => return Err(give_up()),
            },
            Type::Date | Type::DateTime => self.date(s).ok_or_else(give_up)?,
            Type::Ref(cat) => {
                let ft = self.field.ok_or_else(give_up)?;
                entry(self.policy, cat, ft, s, None).ok_or_else(give_up)?
            }
            _ => return Err(give_up()),
        };
        Ok(Some(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Value>, A::Error> {
        let Type::List(elem) = self.ty else {
            return Err(give_up());
        };
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(4));
        let seed = || FieldSeed {
            policy: self.policy,
            ty: elem,
            field: None,
        };
        while let Some(v) = seq.next_element_seed(seed())? {
            out.push(v.ok_or_else(give_up)?);
        }
        Ok(Some(Value::List(Arc::new(out))))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        // A record is read only as a field of its own, as the general
        // reader reads it (a list's element is never a record there).
        let (Type::Record(schema), Some(_)) = (self.ty, self.field) else {
            return Err(give_up());
        };
        RecordSeed {
            policy: self.policy,
            schema,
        }
        .visit_map(map)
        .map(Some)
    }
}

impl FieldSeed<'_> {
    /// A date, or a date and time (with the time a bare date stands for,
    /// where the field declares one), as the general reader takes them.
    fn date(&self, s: &str) -> Option<Value> {
        let bare = self.field.and_then(|f| f.options.bare_time);
        if let (Type::DateTime, Some(t)) = (self.ty, bare)
            && s.trim().len() == 10
            && let Ok(d) = chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        {
            return Some(Value::DateTime(d.and_time(t)));
        }
        match (self.ty, value::quick_datetime(s.trim())?) {
            (Type::Date, v @ Value::Date(_)) | (Type::DateTime, v @ Value::DateTime(_)) => Some(v),
            _ => None,
        }
    }
}

/// The entry of catalogue `cat` that `text` names, if exactly one of the
/// kinds the field accepts.
fn entry(
    policy: &Policy,
    cat: &str,
    ft: &FieldType,
    text: &str,
    within: Option<usize>,
) -> Option<Value> {
    let (ci, c) = policy
        .catalogues
        .iter()
        .enumerate()
        .find(|(_, c)| c.name == cat)?;
    let e = c.resolve(text, ft.options.kinds.as_deref(), within).ok()?;
    Some(c.reference(ci, e))
}
