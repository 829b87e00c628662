//! Three-valued logic: `true`, `false` and unknown (Kleene's).
//!
//! Unknown stands for "true or false, but we do not know which". A result
//! is known whenever every way of filling in the unknowns gives the same
//! answer; otherwise it is unknown, and it carries the union of what the
//! unknowns were missing, so that a decision can say exactly what to supply.

use crate::core::value::{Missing, Value, union};

/// The truth value of a `bool` or unknown value.
#[derive(Clone, Debug, PartialEq)]
pub enum Tri {
    True,
    False,
    Unknown(Missing),
}

impl Tri {
    pub fn of(v: &Value) -> Tri {
        match v {
            Value::Bool(true) => Tri::True,
            Value::Bool(false) => Tri::False,
            other => Tri::Unknown(other.missing_shared()),
        }
    }

    pub fn into_value(self) -> Value {
        match self {
            Tri::True => Value::Bool(true),
            Tri::False => Value::Bool(false),
            Tri::Unknown(m) => Value::Unknown(m),
        }
    }

    /// `a and b`:
    /// - false and anything = false (one false input settles it);
    /// - true and b = b;
    /// - unknown and true = unknown; unknown and unknown = unknown, missing
    ///   both.
    pub fn and(self, b: Tri) -> Tri {
        match (self, b) {
            (Tri::False, _) | (_, Tri::False) => Tri::False,
            (Tri::True, b) => b,
            (a, Tri::True) => a,
            (Tri::Unknown(a), Tri::Unknown(b)) => Tri::Unknown(union(a, b)),
        }
    }

    /// `a or b`:
    /// - true or anything = true (one true input settles it);
    /// - false or b = b;
    /// - unknown or false = unknown; unknown or unknown = unknown, missing
    ///   both.
    pub fn or(self, b: Tri) -> Tri {
        match (self, b) {
            (Tri::True, _) | (_, Tri::True) => Tri::True,
            (Tri::False, b) => b,
            (a, Tri::False) => a,
            (Tri::Unknown(a), Tri::Unknown(b)) => Tri::Unknown(union(a, b)),
        }
    }

    /// `not a`: unknown stays unknown.
    pub fn negate(self) -> Tri {
        match self {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            u => u,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::sync::Arc;

    fn u(name: &str) -> Tri {
        Tri::Unknown(Arc::new(BTreeSet::from([name.to_string()])))
    }

    #[test]
    fn kleene_truth_tables() {
        use Tri::*;
        assert_eq!(False.and(u("x")), False);
        assert_eq!(u("x").and(False), False);
        assert_eq!(True.and(u("x")), u("x"));
        assert_eq!(True.or(u("x")), True);
        assert_eq!(u("x").or(True), True);
        assert_eq!(False.or(u("x")), u("x"));
        assert_eq!(u("x").negate(), u("x"));
        assert_eq!(
            u("x").and(u("y")),
            Tri::Unknown(Arc::new(BTreeSet::from(["x".into(), "y".into()])))
        );
        assert_eq!(True.and(True), True);
        assert_eq!(False.or(False), False);
    }
}
