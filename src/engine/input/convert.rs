//! The conversions of an application's fields into values, which both
//! readers call: the general reader ([`super::read`], over a tree of data)
//! and the batch's direct JSON reader ([`super::json`], over serde's
//! events, with nothing built in between). A scalar is converted by
//! [`crate::lang::convert::scalar`] from a [`Scalar`] borrowed from either; here are the
//! conversions that know the field and the policy: a bare date where a
//! date and time is expected, an entry of a catalogue by its id or name
//! (with a sibling field settling a name that several entries share), the
//! unknown an absent field becomes, and a record of its fields' values.
//! Each reader walks lists and records in its own way, down to these, so
//! the two read every field alike and cannot drift apart. A conversion
//! that fails says why, in words the general reader shows; the direct
//! reader then gives up.

use std::sync::Arc;

use crate::core::value::{self, ConvertError, Scalar, Value};
use crate::core::yaml::Data;
use crate::lang::types::{FieldType, RecordType, Type};
use crate::policy::Policy;
use crate::policy::catalogue::Unresolved;

/// A scalar as the value of field `ft` (not a record or an entry, which
/// the readers and [`entry`] take): a bare date where the field says what
/// time one stands for, else [`crate::lang::convert::scalar`].
pub fn field(ft: &FieldType, s: Scalar<'_>) -> Result<Value, ConvertError> {
    if let (Type::DateTime, Some(t), Scalar::Str(text)) = (&ft.ty, ft.options.bare_time, s)
        && let Some(d) = bare_date(text)
    {
        return Ok(Value::DateTime(d.and_time(t)));
    }
    crate::lang::convert::scalar(&ft.ty, s)
}

/// A date alone, `YYYY-MM-DD`, where a date and time is expected.
fn bare_date(text: &str) -> Option<chrono::NaiveDate> {
    let t = text.trim();
    if t.len() != 10 {
        return None;
    }
    chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok()
}

/// Data as the value of field `ft` (not a record or an entry): a scalar
/// by [`field`], a list by [`crate::lang::convert::from_data`].
pub fn field_data(ft: &FieldType, data: &Data) -> Result<Value, ConvertError> {
    match Scalar::of(data) {
        Some(s) => field(ft, s),
        None => crate::lang::convert::from_data(data, &ft.ty),
    }
}

/// Why a field's data names no entry.
#[derive(Clone, Debug, PartialEq)]
pub enum EntryFault {
    /// The policy has no catalogue of that name.
    NoCatalogue,
    /// The data is neither text nor a number.
    NotText,
    Unresolved(Unresolved),
}

/// The entry of catalogue `cat` that `text` (the field's text, if it is
/// text or a number: see [`Scalar::text`]) names by its id or official
/// name, if it is of a kind that field `ft` accepts; `within` (see
/// [`settled`]) settles a name that several entries share.
pub fn entry(
    policy: &Policy,
    cat: &str,
    ft: &FieldType,
    text: Option<&str>,
    within: Option<usize>,
) -> Result<Value, EntryFault> {
    let (ci, c) = policy
        .catalogues
        .iter()
        .enumerate()
        .find(|(_, c)| c.name == cat)
        .ok_or(EntryFault::NoCatalogue)?;
    let text = text.ok_or(EntryFault::NotText)?;
    match c.resolve(text, ft.options.kinds.as_deref(), within) {
        Ok(e) => Ok(c.reference(ci, e)),
        Err(u) => Err(EntryFault::Unresolved(u)),
    }
}

/// The entry that settles field `ft`'s name: the value of the sibling the
/// field is read within (`within`), among `slots` (one for each field of
/// `schema`, in its order), if that sibling is read and is an entry.
pub fn settled(schema: &RecordType, ft: &FieldType, slots: &[Option<Value>]) -> Option<usize> {
    let w = ft.options.within.as_ref()?;
    match slots.get(schema.fields.get_index_of(w.as_str())?)? {
        Some(Value::Ref(r)) => Some(r.entry),
        _ => None,
    }
}

/// The value of an absent optional field: unknown, missing the field, as
/// the schema made it once when it was loaded. `None` if it did not; the
/// general reader then names the field by its place.
pub fn absent(ft: &FieldType) -> Option<Value> {
    ft.options.absent.clone().map(Value::Unknown)
}

/// A record of `schema` with its fields' values, in its order.
pub fn record(schema: &RecordType, values: Vec<Value>) -> Value {
    Value::Record(Arc::new(value::Fields::new(schema.names(), values)))
}
