//! Functions of catalogue entries.

use super::{Args, CallCheck, Function, Plain};
use crate::core::value::Value;
use crate::lang::ast::{ExprKind, Literal};
use crate::lang::env::TypeErrorKind;
use crate::lang::types::Type;

pub const FUNCTIONS: &[Function] = &[Function {
    name: "ancestor",
    signature: "ancestor(entry, \"kind\") -> entry",
    doc: "the entry itself or its nearest ancestor of that kind in its catalogue; unknown if there is none",
    plain: Some(Plain {
        args: Args::Strict,
        check: ancestor_type,
        eval: |c| {
            Ok(match (&c.args[0], &c.args[1]) {
                (Value::Ref(r), Value::Str(kind)) => c.ancestor(r, kind),
                (v, _) => v.clone(),
            })
        },
    }),
    quantifier: None,
}];

/// An entry of a catalogue and one of the catalogue's kinds, as a string
/// literal: an entry of the same catalogue.
fn ancestor_type(c: &mut CallCheck<'_, '_>) -> Option<Type> {
    let [Type::Ref(cat), _] = c.types.as_slice() else {
        return match c.types.len() {
            2 => c.mismatch(0, "an entry of a catalogue"),
            _ => c.arity("2 arguments"),
        };
    };
    let cat = cat.clone();
    let kinds: &[String] = match c.env().catalogues.get(cat.as_ref()) {
        Some(info) => &info.kinds,
        None => &[],
    };
    match &c.args[1].kind {
        ExprKind::Lit(Literal::Str(k)) if kinds.iter().any(|x| **x == **k) => Some(Type::Ref(cat)),
        _ => {
            let kind = TypeErrorKind::Mismatch {
                expected: format!("one of the kinds of `{cat}` as a string"),
                found: c.types[1].clone(),
            };
            let span = c.args[1].span;
            c.err_help(kind, span, format!("its kinds are {}", kinds.join(", ")))
        }
    }
}
