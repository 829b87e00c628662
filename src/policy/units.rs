//! Units: what a number counts (a currency's code, `years`, `points`,
//! `percent`), declared on inputs, parameters and computed values and
//! shown beside their values where a person reads them (`explain`, `doc`,
//! `consolidate`). A unit is text: it changes no value and no computation,
//! and the decision's JSON (`eval --format json`, a batch's records) does
//! not carry it.
//!
//! `percent` alone has a meaning: the number is a fraction (0.20, as the
//! literal `20%` is), shown as the percent it is (`20%`).

use std::fmt::Write as _;

use crate::core::value::Value;
use crate::lang::types::Type;

/// The unit whose numbers are fractions, shown as percents.
pub const PERCENT: &str = "percent";

/// Why `unit` cannot be the unit of a value of type `ty`, if it cannot: it
/// is not one word, the type holds no number, or `percent` is given to
/// integers.
pub fn fault(unit: &str, ty: &Type) -> Option<UnitFault> {
    if unit.is_empty() || unit.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some(UnitFault::NotAWord);
    }
    let number = match ty {
        Type::List(t) => &**t,
        t => t,
    };
    match number {
        Type::Int if unit == PERCENT => Some(UnitFault::PercentOfInt),
        Type::Int | Type::Decimal | Type::Any => None,
        _ => Some(UnitFault::NotANumber),
    }
}

/// What is wrong with a unit (see [`fault`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitFault {
    NotAWord,
    NotANumber,
    PercentOfInt,
}

/// The first number of `v`, read from `data`, that is written as a plain
/// number (not a percent) above 1 or below -1: in `percent`, most likely
/// a number of percent written where its fraction belongs (`20` for 20%).
pub fn plain_above_one(data: &crate::core::yaml::Data, v: &Value) -> Option<Value> {
    use crate::core::yaml::Data as Y;
    match (data, v) {
        (Y::Tagged(t), _) => plain_above_one(&t.value, v),
        (Y::Number(_), Value::Decimal(d)) if d.abs() > rust_decimal::Decimal::ONE => {
            Some(v.clone())
        }
        (Y::Sequence(items), Value::List(vs)) => items
            .iter()
            .zip(vs.iter())
            .find_map(|(d, v)| plain_above_one(d, v)),
        _ => None,
    }
}

/// `v` with `unit` beside it: `1200.5 GBP`, `[1, 2] years`; in `percent`,
/// each number as the percent it is (`20%`, `[20%, 5%]`). An unknown, or
/// a value without a unit, as it is.
pub fn with_unit(v: &Value, unit: Option<&str>) -> String {
    match unit {
        None => v.to_string(),
        Some(_) if v.is_unknown() => v.to_string(),
        Some(PERCENT) => percent(v),
        Some(u) => format!("{v} {u}"),
    }
}

/// A fraction as a percent: 0.2 is `20%`; a list, each of its numbers.
fn percent(v: &Value) -> String {
    match v {
        Value::Decimal(d) => {
            let p = crate::lang::ast::percent_of(*d).normalize();
            format!("{p}%")
        }
        Value::Int(n) => match n.checked_mul(100) {
            Some(p) => format!("{p}%"),
            None => format!("{n} {PERCENT}"),
        },
        Value::List(items) => {
            let mut s = String::from("[");
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    s.push_str(", ");
                }
                let _ = write!(s, "{}", percent(x));
            }
            s.push(']');
            s
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;
    use std::sync::Arc;

    use rust_decimal::Decimal;

    use super::*;

    fn dec(s: &str) -> Value {
        Value::Decimal(Decimal::from_str(s).expect("a decimal"))
    }

    #[test]
    fn a_unit_stands_beside_its_number() {
        assert_eq!(with_unit(&dec("1200.50"), Some("GBP")), "1200.5 GBP");
        assert_eq!(with_unit(&Value::Int(3), Some("years")), "3 years");
        assert_eq!(with_unit(&Value::Int(3), None), "3");
        let list = Value::List(Arc::new(vec![Value::Int(1), Value::Int(2)]));
        assert_eq!(with_unit(&list, Some("points")), "[1, 2] points");
        assert_eq!(
            with_unit(&Value::unknown("rent"), Some("GBP")),
            "unknown (missing rent)"
        );
    }

    #[test]
    fn a_percent_is_shown_as_the_percent_its_fraction_is() {
        assert_eq!(with_unit(&dec("0.20"), Some(PERCENT)), "20%");
        assert_eq!(with_unit(&dec("0.125"), Some(PERCENT)), "12.5%");
        assert_eq!(with_unit(&dec("1.5"), Some(PERCENT)), "150%");
        assert_eq!(with_unit(&dec("-0.05"), Some(PERCENT)), "-5%");
        assert_eq!(with_unit(&dec("0"), Some(PERCENT)), "0%");
        let list = Value::List(Arc::new(vec![dec("0.2"), dec("0.05")]));
        assert_eq!(with_unit(&list, Some(PERCENT)), "[20%, 5%]");
    }

    #[test]
    fn a_unit_is_one_word_given_to_numbers() {
        assert_eq!(fault("GBP", &Type::Decimal), None);
        assert_eq!(fault("EUR/month", &Type::Int), None);
        assert_eq!(fault("złoty", &Type::Int), None);
        assert_eq!(fault("points", &Type::List(Box::new(Type::Int))), None);
        assert_eq!(fault("percent", &Type::Decimal), None);
        assert_eq!(fault("", &Type::Decimal), Some(UnitFault::NotAWord));
        assert_eq!(
            fault("pounds sterling", &Type::Decimal),
            Some(UnitFault::NotAWord)
        );
        assert_eq!(fault("days", &Type::Date), Some(UnitFault::NotANumber));
        assert_eq!(fault("GBP", &Type::String), Some(UnitFault::NotANumber));
        assert_eq!(fault("percent", &Type::Int), Some(UnitFault::PercentOfInt));
    }
}
