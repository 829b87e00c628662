//! The conversions of an application's fields into values, which both
//! readers call: the general reader ([`super::read`], over a tree of data)
//! and the batch's direct JSON reader ([`super::json`], over serde's
//! events, with nothing built in between). A scalar is converted by
//! [`crate::lang::convert::scalar`] from a [`Scalar`] borrowed from either; here are the
//! conversions that know the field and the plan: a bare date where a
//! date and time is expected, an entry of a catalogue by its id or name
//! (with a sibling field settling a name that several entries share), and
//! the unknown an absent field becomes; a record of its fields' values is
//! made by its layout in the plan.
//! Each reader walks lists and records in its own way, down to these, so
//! the two read every field alike and cannot drift apart. A conversion
//! that fails says why, in words the general reader shows; the direct
//! reader then gives up.

use crate::core::value::{ConvertError, Scalar, Value, compare};
use crate::core::yaml::Data;
use crate::engine::Plan;
use crate::engine::plan::inputs::FieldLayout;
use crate::lang::types::{FieldType, Type};
use crate::policy::catalogue::Unresolved;

/// A scalar as the value of field `ft` (not a record or an entry, which
/// the readers and `entry` take): a bare date where the field says what
/// time one stands for, else [`crate::lang::convert::scalar`].
pub fn field(ft: &FieldType, s: Scalar<'_>) -> Result<Value, ConvertError> {
    let v = match (&ft.ty, ft.options.bare_time, s) {
        (Type::DateTime, Some(t), Scalar::Str(text)) if bare_date(text).is_some() => {
            Value::DateTime(bare_date(text).unwrap_or_default().and_time(t))
        }
        _ => crate::lang::convert::scalar(&ft.ty, s)?,
    };
    within_bounds(ft, v)
}

/// `v` if it lies within the field's `min` and `max`, else why not.
fn within_bounds(ft: &FieldType, v: Value) -> Result<Value, ConvertError> {
    use std::cmp::Ordering::{Greater, Less};
    let o = &ft.options;
    let fault = match (&o.min, &o.max) {
        (Some(lo), _) if compare(&v, lo) == Some(Less) => Some(("less", lo, "least")),
        (_, Some(hi)) if compare(&v, hi) == Some(Greater) => Some(("more", hi, "greatest")),
        _ => None,
    };
    match fault {
        None => Ok(v),
        Some((than, bound, most)) => Err(ConvertError {
            path: Vec::new(),
            message: format!("{v} is {than} than {bound}, the {most} value it accepts"),
        }),
    }
}

/// A date alone, `YYYY-MM-DD`, where a date and time is expected.
fn bare_date(text: &str) -> Option<chrono::NaiveDate> {
    crate::core::value::parse_date(text)
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

/// The entry of field `ft`'s catalogue (the one its layout `fl` places)
/// that `text` (the field's text, if it is text or a number: see
/// [`Scalar::text`]) names by its id or official name, if it is of a kind
/// that the field accepts; `within` (see [`settled`]) settles a name that
/// several entries share. The reference is the plan's own, shared.
pub(crate) fn entry(
    plan: &Plan,
    ft: &FieldType,
    fl: &FieldLayout,
    text: Option<&str>,
    within: Option<usize>,
) -> Result<Value, EntryFault> {
    let ci = fl.catalogue.ok_or(EntryFault::NoCatalogue)?;
    let c = plan
        .policy()
        .catalogues
        .get(ci)
        .ok_or(EntryFault::NoCatalogue)?;
    let text = text.ok_or(EntryFault::NotText)?;
    match c.resolve(text, ft.options.kinds.as_deref(), within) {
        Ok(e) => Ok(plan
            .program()
            .catalogues
            .reference(ci, e)
            .unwrap_or_else(|| c.reference(ci, e))),
        Err(u) => Err(EntryFault::Unresolved(u)),
    }
}

/// The entry that settles the name in a field laid out as `fl`: the value
/// of the sibling the field is read within (`within`), which `sibling`
/// gives by its place in the record if it is read, if it is an entry.
pub(crate) fn settled<'v>(
    fl: &FieldLayout,
    sibling: impl FnOnce(usize) -> Option<&'v Value>,
) -> Option<usize> {
    match sibling(fl.within?)? {
        Value::Ref(r) => Some(r.entry),
        _ => None,
    }
}

/// The value of an absent optional field laid out as `fl`: unknown,
/// missing the field, as the plan made it once.
pub(crate) fn absent(fl: &FieldLayout) -> Value {
    fl.absent.clone()
}
