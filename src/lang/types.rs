//! The types of the expression language.

use std::fmt;
use std::sync::Arc;

use indexmap::IndexMap;

/// An enumeration's members, in their order of declaration.
pub type Members = Arc<Vec<Arc<str>>>;

/// The static type of an expression, an input field, a parameter, a table
/// column or a computed value. Every type may also be *unknown* at run time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    Int,
    Decimal,
    Bool,
    String,
    Date,
    DateTime,
    Time,
    Duration,
    List(Box<Type>),
    /// A string restricted to the listed members.
    Enum(Members),
    Record(Arc<RecordType>),
    /// An entry of the named catalogue.
    Ref(Arc<str>),
    /// The element type of the empty list `[]`: fits anything.
    Any,
}

/// The fields of a record, in declaration order. A plan lays out the
/// records of the input schema's types (their names, shared by every
/// record read): see `engine::plan`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RecordType {
    /// Hashed with foldhash: field names come from the policy, and
    /// every key of every application is looked up here.
    pub fields: IndexMap<Arc<str>, FieldType, foldhash::fast::RandomState>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldType {
    pub ty: Type,
    pub optional: bool,
    pub options: FieldOptions,
}

/// How an input field's data is read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldOptions {
    /// For `ref(...)`: the kinds of entry accepted.
    pub kinds: Option<Vec<String>>,
    /// For `ref(...)`: the sibling field naming an ancestor that settles a
    /// shared name.
    pub within: Option<String>,
    /// For `ref(...)`: the sibling field naming what the catalogue does
    /// not list.
    pub unlisted: Option<String>,
    /// For `datetime`: the time a bare date stands for.
    pub bare_time: Option<chrono::NaiveTime>,
    /// The least and the greatest value accepted, where declared.
    pub min: Option<crate::core::value::Value>,
    pub max: Option<crate::core::value::Value>,
}

/// The bounds are numbers, dates and times, none of which is unequal to
/// itself, so equality is total.
impl Eq for FieldOptions {}

impl Type {
    pub fn is_numeric(&self) -> bool {
        matches!(self, Type::Int | Type::Decimal)
    }

    pub fn is_stringy(&self) -> bool {
        matches!(self, Type::String | Type::Enum(_))
    }

    /// Whether values of the two types can be compared for order.
    pub fn is_ordered(&self) -> bool {
        matches!(
            self,
            Type::Int | Type::Decimal | Type::Date | Type::DateTime | Type::Time | Type::String
        ) || matches!(self, Type::Enum(_))
    }

    /// The common type of two types that may meet (in `==`, in the branches
    /// of an `if`, in the elements of a list), if there is one. An integer
    /// widens to a decimal; an enumeration widens to a string.
    pub fn unify(&self, other: &Type) -> Option<Type> {
        use Type::*;
        match (self, other) {
            (Any, t) | (t, Any) => Some(t.clone()),
            (a, b) if a == b => Some(a.clone()),
            (Int, Decimal) | (Decimal, Int) => Some(Decimal),
            (Enum(_), String) | (String, Enum(_)) | (Enum(_), Enum(_)) => Some(String),
            // An entry compares with the text of its id.
            (Ref(_), String) | (String, Ref(_)) => Some(String),
            (List(a), List(b)) => a.unify(b).map(|t| List(Box::new(t))),
            _ => None,
        }
    }

    /// Whether a value of type `self` may be used where `want` is declared.
    pub fn fits(&self, want: &Type) -> bool {
        use Type::*;
        match (self, want) {
            (Any, _) => true,
            (a, b) if a == b => true,
            (Int, Decimal) => true,
            (Enum(_), String) => true,
            (Enum(a), Enum(b)) => a.iter().all(|m| b.contains(m)),
            (List(a), List(b)) => a.fits(b),
            _ => false,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Int => write!(f, "int"),
            Type::Decimal => write!(f, "decimal"),
            Type::Bool => write!(f, "bool"),
            Type::String => write!(f, "string"),
            Type::Date => write!(f, "date"),
            Type::DateTime => write!(f, "datetime"),
            Type::Time => write!(f, "time"),
            Type::Duration => write!(f, "duration"),
            Type::List(t) => write!(f, "list<{t}>"),
            Type::Enum(m) => write!(f, "enum({})", m.join(", ")),
            Type::Record(r) => {
                write!(f, "record {{")?;
                for (i, (k, v)) in r.fields.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{k}{}: {}", if v.optional { "?" } else { "" }, v.ty)?;
                }
                write!(f, "}}")
            }
            Type::Ref(c) => write!(f, "ref({c})"),
            Type::Any => write!(f, "any"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_widen_to_decimals_and_enums_to_strings() {
        let e = Type::Enum(Arc::new(vec!["a".into()]));
        assert_eq!(Type::Int.unify(&Type::Decimal), Some(Type::Decimal));
        assert_eq!(e.unify(&Type::String), Some(Type::String));
        assert_eq!(Type::Int.unify(&Type::String), None);
        assert_eq!(
            Type::List(Box::new(Type::Any)).unify(&Type::List(Box::new(Type::Int))),
            Some(Type::List(Box::new(Type::Int)))
        );
        assert!(Type::Int.fits(&Type::Decimal));
        assert!(!Type::Decimal.fits(&Type::Int));
        assert!(e.fits(&Type::String));
        assert!(!Type::String.fits(&e));
    }
}
