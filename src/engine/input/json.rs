//! Reads a JSON application (a batch line) straight into a record of the
//! policy's schema, without building a tree of data first. It takes on
//! only applications that read cleanly: at the first thing it does not
//! handle (an unknown or repeated key, a missing required field, a value
//! that does not convert, a name that matches no catalogue entry, a list
//! of records) it gives up, and the general reader ([`super::from_data`])
//! reads the line again and says what is wrong. Every field's data is
//! converted by the same functions as in the general reader
//! ([`super::convert`]), so the two agree on every application this one
//! takes: see `tests/input_agreement.rs`. A decimal is read from the raw
//! text of its value, digit for digit, never through binary floating
//! point; a number with a fraction or an exponent anywhere else (an
//! integer's field, an entry's name) is left to the general reader, which
//! reads it from its text too.

use std::fmt;
use std::sync::Arc;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use smallvec::SmallVec;

use super::convert;
use crate::core::value::{Scalar, Value};
use crate::engine::Plan;
use crate::engine::plan::inputs::{FieldLayout, Layout};
use crate::lang::types::{FieldType, RecordType, Type};

/// The application in `text` as a record of the plan's schema, or `None`
/// when the general reader must read it.
pub fn read(plan: &Plan, text: &str) -> Option<Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let record = RecordSeed {
        plan,
        schema: &plan.policy().input,
        layout: &plan.program().inputs.application,
    }
    .deserialize(&mut de)
    .ok()?;
    de.end().ok()?;
    // A field that a `required_when` makes required is the general
    // reader's to report.
    (!super::requires_more(plan, &record)).then_some(record)
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
    plan: &'a Plan,
    schema: &'a RecordType,
    /// The schema's layout in the plan.
    layout: &'a Layout,
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
        // Each field's value in its place, written there as it is read
        // (`false` until then), and what is known of it (on the stack for
        // records of up to 32 fields).
        let mut values: Vec<Value> = std::iter::repeat_with(|| Value::Bool(false))
            .take(fields.len())
            .collect();
        let mut read: SmallVec<[Read; 32]> = SmallVec::from_elem(Read::Not, fields.len());
        // Names of entries to resolve within a sibling (`within`), which
        // may come after them in the text.
        let mut later: SmallVec<[(usize, Held<'de>); 1]> = SmallVec::new();
        while let Some(i) = map.next_key_seed(KeySeed(self.layout))? {
            if read[i] != Read::Not {
                return Err(give_up());
            }
            let (ft, fl) = (&fields[i], self.layout.field(i));
            read[i] = match (&ft.ty, &ft.options.within) {
                (Type::Ref(_), Some(_)) => match map.next_value_seed(HeldSeed)? {
                    Some(held) => {
                        later.push((i, held));
                        Read::Held
                    }
                    None => Read::Null,
                },
                _ => match map.next_value_seed(FieldSeed {
                    plan: self.plan,
                    ty: &ft.ty,
                    field: Some(ft),
                    layout: fl,
                })? {
                    Some(v) => {
                        values[i] = v;
                        Read::Value
                    }
                    None => Read::Null,
                },
            };
        }
        // In the schema's order, as the general reader reads them.
        later.sort_by_key(|(i, _)| *i);
        for (i, held) in later {
            let (ft, fl) = (&fields[i], self.layout.field(i));
            let sibling = |w: usize| (read.get(w) == Some(&Read::Value)).then(|| &values[w]);
            let settled = convert::settled(fl, sibling);
            let text = held.scalar().text();
            let v = convert::entry(self.plan, ft, fl, text.as_deref(), settled);
            values[i] = v.map_err(|_| give_up())?;
            read[i] = Read::Value;
        }
        for (i, ft) in fields.values().enumerate() {
            match read[i] {
                Read::Value => {}
                _ if ft.optional => values[i] = convert::absent(self.layout.field(i)),
                _ => return Err(give_up()),
            }
        }
        Ok(self.layout.record(values))
    }
}

/// What a record's reader knows of one of its fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Read {
    /// Its key has not come.
    Not,
    /// It came with `null`: the field is absent.
    Null,
    /// It came with a name to resolve within a sibling, held until then.
    Held,
    /// Its value is in its place.
    Value,
}

/// The data of a field read within a sibling, held until the sibling is
/// read: borrowed from the text where it has no escapes.
enum Held<'de> {
    Scalar(Scalar<'de>),
    Owned(String),
}

impl Held<'_> {
    fn scalar(&self) -> Scalar<'_> {
        match self {
            Held::Scalar(s) => *s,
            Held::Owned(s) => Scalar::Str(s),
        }
    }
}

/// A scalar to hold (see [`Held`]); `None` for `null`, an absent field.
struct HeldSeed;

impl<'de> DeserializeSeed<'de> for HeldSeed {
    type Value = Option<Held<'de>>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for HeldSeed {
    type Value = Option<Held<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a scalar")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
        Ok(Some(Held::Scalar(Scalar::Bool(b))))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Some(Held::Scalar(Scalar::Int(n))))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Some(Held::Scalar(Scalar::unsigned(n))))
    }

    /// A number with a fraction or an exponent, whose digits serde does
    /// not keep: the general reader reads it from its text.
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Err(give_up())
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Held::Scalar(Scalar::Str(s))))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Some(Held::Owned(s.to_string())))
    }
}

/// A key: the place of its field in the schema, as its layout finds it.
struct KeySeed<'a>(&'a Layout);

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
        self.0.place(k).ok_or_else(give_up)
    }
}

/// A value of type `ty`: `None` for `null`, which stands for an absent
/// field (only a field's own value, not a list's element, may be null).
struct FieldSeed<'a> {
    plan: &'a Plan,
    ty: &'a Type,
    /// The field, for its options; `None` for the elements of a list.
    field: Option<&'a FieldType>,
    /// The field's layout, which a list's elements share.
    layout: &'a FieldLayout,
}

impl<'de> DeserializeSeed<'de> for FieldSeed<'_> {
    type Value = Option<Value>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        match self.ty {
            // A decimal is read from its digits as written, which serde
            // gives whole only as the raw text of the value.
            Type::Decimal => {
                let raw = <&'de serde_json::value::RawValue>::deserialize(d)?;
                self.raw(raw.get())
            }
            _ => d.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for FieldSeed<'_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::lang::convert::describe_type(self.ty))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Value>, E> {
        match self.field {
            Some(_) => Ok(None),
            None => self.leaf(Scalar::Null),
        }
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Option<Value>, E> {
        self.leaf(Scalar::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Option<Value>, E> {
        self.leaf(Scalar::Int(n))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Option<Value>, E> {
        self.leaf(Scalar::unsigned(n))
    }

    /// A number with a fraction or an exponent where no decimal is
    /// expected (an integer's, a string's, an entry's): the general reader
    /// says what is wrong, or reads an entry by the number's text.
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Option<Value>, E> {
        Err(give_up())
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<Value>, E> {
        self.leaf(Scalar::Str(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<Value>, A::Error> {
        let Type::List(elem) = self.ty else {
            return Err(give_up());
        };
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(4));
        let seed = || FieldSeed {
            plan: self.plan,
            ty: elem,
            field: None,
            layout: self.layout,
        };
        while let Some(v) = seq.next_element_seed(seed())? {
            out.push(v.ok_or_else(give_up)?);
        }
        Ok(Some(Value::List(Arc::new(out))))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        // A record is read only as a field of its own, as the general
        // reader reads it (a list's element is never a record there).
        let (Type::Record(schema), Some(_), Some(layout)) =
            (self.ty, self.field, &self.layout.record)
        else {
            return Err(give_up());
        };
        RecordSeed {
            plan: self.plan,
            schema,
            layout,
        }
        .visit_map(map)
        .map(Some)
    }
}

impl FieldSeed<'_> {
    /// A decimal's value from its raw JSON text: a number from its digits,
    /// text (`"300.50"`) as the general reader reads it, `null` as an
    /// absent field. Anything else is the general reader's to report.
    fn raw<E: de::Error>(&self, raw: &str) -> Result<Option<Value>, E> {
        match raw.as_bytes().first() {
            Some(b'-' | b'0'..=b'9') => self.leaf(Scalar::Number(raw)),
            Some(b'"') if !raw.contains('\\') => self.leaf(Scalar::Str(&raw[1..raw.len() - 1])),
            Some(b'n') if self.field.is_some() => Ok(None),
            _ => Err(give_up()),
        }
    }

    /// A scalar as the general reader converts it, with the same
    /// function: a field's value (an entry, or a scalar that may be a bare
    /// date) or a list's element. A member of an enumeration is found by
    /// the layout's table: the member that function finds.
    fn leaf<E: de::Error>(&self, s: Scalar<'_>) -> Result<Option<Value>, E> {
        let v = match (self.ty, self.field, s, &self.layout.members) {
            (Type::Enum(_), _, Scalar::Str(t), Some(m)) => m.find(t),
            (Type::Ref(_), Some(ft), ..) => {
                convert::entry(self.plan, ft, self.layout, s.text().as_deref(), None).ok()
            }
            (_, Some(ft), ..) => convert::field(ft, s).ok(),
            (ty, None, ..) => crate::lang::convert::scalar(ty, s).ok(),
        };
        v.map(Some).ok_or_else(give_up)
    }
}
