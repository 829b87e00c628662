//! Values from what is written: a literal of the language, and data (an
//! application's, a parameter's) read as a value of a declared type. Both
//! readers of applications and the loader's reading of parameters convert
//! every scalar through [`scalar`], so that they cannot drift.

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::core::decimal::{self, DigitsError};
use crate::core::value::{
    ConvertError, Number, Scalar, Text, Value, describe_data, fail, quick_datetime, quote,
    too_large,
};
use crate::lang::ast::Literal;
use crate::lang::types::Type;

impl Value {
    pub fn from_literal(l: &Literal) -> Value {
        match l {
            Literal::Int(n) => Value::Int(*n),
            Literal::Decimal(d) | Literal::Percent(d) => Value::Decimal(*d),
            Literal::Bool(b) => Value::Bool(*b),
            Literal::Str(s) => Value::Str(s.clone()),
            Literal::Date(d) => Value::Date(*d),
            Literal::DateTime(d) => Value::DateTime(*d),
            Literal::Time(t) => Value::Time(*t),
            Literal::Duration(d) => Value::Duration(*d),
        }
    }
}

/// Reads YAML (or JSON, read as YAML) data as a value of type `ty`: a
/// scalar by [`scalar`], a list element by element. Records are read by
/// the caller that knows their schema; here they are an error.
pub fn from_data(data: &crate::core::yaml::Data, ty: &Type) -> Result<Value, ConvertError> {
    read(data, ty, false)
}

/// As [`from_data`], for data the policy or its caller writes as the act
/// does (a parameter's value, an overlay's, `--param`'s, a table's result,
/// a catalogue's attribute): a decimal may also be a percent, `20%` for
/// 0.20, read by the literal grammar. An application's data is read by
/// [`from_data`] alone.
pub fn from_policy_data(data: &crate::core::yaml::Data, ty: &Type) -> Result<Value, ConvertError> {
    read(data, ty, true)
}

fn read(data: &crate::core::yaml::Data, ty: &Type, percents: bool) -> Result<Value, ConvertError> {
    use crate::core::yaml::Data as Y;
    match (ty, data) {
        // A number kept with its digits is a scalar, not tagged data.
        (_, Y::Tagged(t)) if crate::core::yaml::digits(data).is_none() => {
            read(&t.value, ty, percents)
        }
        (Type::List(elem), Y::Sequence(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                out.push(read(item, elem, percents).map_err(|mut e| {
                    e.path.insert(0, i.to_string());
                    e
                })?);
            }
            Ok(Value::List(Arc::new(out)))
        }
        _ => match Scalar::of(data) {
            Some(Scalar::Str(t)) if percents && t.trim().ends_with('%') => match ty {
                Type::Decimal => percent(t.trim()),
                Type::Int => Err(fail(format!(
                    "`{}` is a percent, a fraction, which an integer cannot hold: declare it `decimal`",
                    t.trim()
                ))),
                _ => scalar(ty, Scalar::Str(t)),
            },
            Some(s) => scalar(ty, s),
            None => Err(expected(ty, &describe_data(data))),
        },
    }
}

/// `20%` (or `-5%`) as the decimal it stands for.
fn percent(text: &str) -> Result<Value, ConvertError> {
    match crate::lang::syntax::parse_literal(text) {
        Ok(Literal::Percent(d)) => Ok(Value::Decimal(d)),
        _ => Err(fail(format!(
            "`{text}` is not a percent such as `20%` or `12.5%`, a number and `%` without a space"
        ))),
    }
}
/// `expected <type>, found <what was found>`.
fn expected(ty: &Type, found: &str) -> ConvertError {
    fail(format!("expected {}, found {found}", describe_type(ty)))
}
/// A scalar as a value of type `ty`: an integer, a decimal (read from the
/// number's digits, exactly, or refused if a decimal cannot hold them all:
/// see [`decimal::parse`]), true or false, a string, a member of an
/// enumeration, a date, a date and time, a time or a duration. Anything
/// else (a list, a record, an entry) is not a scalar's to be. Both readers
/// of applications, and the loader's reading of parameters, convert every
/// scalar here.
pub fn scalar(ty: &Type, s: Scalar<'_>) -> Result<Value, ConvertError> {
    let want = || expected(ty, &s.describe());
    match (ty, s) {
        (Type::Int, Scalar::Int(i)) => Ok(Value::Int(i)),
        (Type::Int, Scalar::UInt(_)) => {
            Err(fail(format!("`{}` is too large for an integer", Number(s))))
        }
        // A JSON integer beyond 64 bits, read as a float.
        (Type::Int, Scalar::Float(f)) if f.fract() == 0.0 && f.abs() >= 9.2e18 => {
            Err(fail(format!("`{}` is too large for an integer", Number(s))))
        }
        // A whole number beyond 64 bits (`1e30`, or JSON's
        // `123456789012345678901234`); any other (`1.5`, `1e3`) is not
        // written as an integer.
        (Type::Int, Scalar::Number(t)) => match decimal::parse(t) {
            Err(DigitsError::TooLarge) => Err(too_large_int(t)),
            Ok(d) if d.fract().is_zero() && i64::try_from(d).is_err() => Err(too_large_int(t)),
            _ => Err(want()),
        },
        (Type::Decimal, Scalar::Int(i)) => Ok(Value::Decimal(Decimal::from(i))),
        (Type::Decimal, Scalar::UInt(u)) => Ok(Value::Decimal(Decimal::from(u))),
        (Type::Decimal, Scalar::Number(t)) => decimal::parse(t)
            .map(Value::Decimal)
            .map_err(|e| fail(e.message(&quote(t)))),
        // Digits not kept: the float's shortest text, which is the number
        // written whenever that had at most 15 significant digits.
        (Type::Decimal, Scalar::Float(_)) => {
            let text = s.text().unwrap_or(Text::Str(""));
            decimal::parse(&text)
                .map(Value::Decimal)
                .map_err(|e| fail(e.message(&quote(&text))))
        }
        (Type::Int | Type::Decimal, Scalar::Str(t)) if too_large(t) => Err(fail(format!(
            "{} is too large for {}",
            quote(t.trim()),
            describe_type(ty)
        ))),
        // Text in plain digits (`"300.50"`), as a number is written.
        (Type::Decimal, Scalar::Str(t)) if t.contains(['e', 'E']) => Err(want()),
        (Type::Decimal, Scalar::Str(t)) => match decimal::parse(t.trim()) {
            Ok(d) => Ok(Value::Decimal(d)),
            Err(DigitsError::NotANumber) => Err(want()),
            Err(e) => Err(fail(e.message(&quote(t.trim())))),
        },
        (Type::Bool, Scalar::Bool(b)) => Ok(Value::Bool(b)),
        (Type::String, Scalar::Str(t)) => Ok(Value::str(t)),
        (Type::Enum(members), Scalar::Str(t)) => {
            // The member's own text, shared rather than copied.
            match members.iter().find(|m| ***m == *t) {
                Some(m) => Ok(Value::Str(m.clone())),
                None => Err(fail(format!(
                    "`{}` is not one of {}{}",
                    crate::core::text::escape(t),
                    members.join(", "),
                    crate::core::suggest::did_you_mean(t, members.iter().map(|m| &**m))
                ))),
            }
        }
        (Type::Date | Type::DateTime, Scalar::Str(t))
            if let Some(v) = quick_datetime(t.trim()).filter(|v| {
                matches!(
                    (ty, v),
                    (Type::Date, Value::Date(_)) | (Type::DateTime, Value::DateTime(_))
                )
            }) =>
        {
            Ok(v)
        }
        (Type::Date | Type::DateTime | Type::Time | Type::Duration, Scalar::Str(t)) => {
            let lit = crate::lang::syntax::parse_literal(t.trim())
                .map_err(|e| fail(e.kind.to_string()))?;
            let v = Value::from_literal(&lit);
            let ok = matches!(
                (ty, &v),
                (Type::Date, Value::Date(_))
                    | (Type::DateTime, Value::DateTime(_))
                    | (Type::Time, Value::Time(_))
                    | (Type::Duration, Value::Duration(_))
            );
            if ok { Ok(v) } else { Err(want()) }
        }
        _ => Err(want()),
    }
}
/// `` `t` is too large for an integer ``.
fn too_large_int(t: &str) -> ConvertError {
    fail(format!("{} is too large for an integer", quote(t.trim())))
}

/// A type in words, for messages about data.
pub fn describe_type(ty: &Type) -> String {
    match ty {
        Type::Int => "an integer".into(),
        Type::Decimal => "a number".into(),
        Type::Bool => "true or false".into(),
        Type::String => "a string".into(),
        Type::Date => "a date (YYYY-MM-DD)".into(),
        Type::DateTime => "a date and time (YYYY-MM-DDTHH:MM)".into(),
        Type::Time => "a time (HH:MM)".into(),
        Type::Duration => "a duration such as `3 months`".into(),
        Type::List(t) => format!("a list of {}", describe_type(t)),
        Type::Enum(m) => format!("one of {}", m.join(", ")),
        Type::Record(_) => "a mapping".into(),
        Type::Ref(c) => format!("the id or official name of an entry of `{c}`"),
        Type::Any => "a value".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn y(s: &str) -> crate::core::yaml::Data {
        crate::core::yaml::value(s).expect("yaml")
    }

    #[test]
    fn quick_dates_agree_with_the_literal_grammar() {
        for s in [
            "2021-03-15",
            "2020-02-29",
            "2021-03-15T10:00",
            "2021-03-15T23:59:59",
            "0001-01-01",
            "9999-12-31T00:00",
        ] {
            let lit = crate::lang::syntax::parse_literal(s).expect("a literal");
            assert_eq!(quick_datetime(s), Some(Value::from_literal(&lit)), "{s}");
            assert_eq!(
                quick_datetime(s).map(|v| v.to_string()),
                Some(s.to_string())
            );
        }
        for s in [
            "2021-02-30",
            "2021-13-01",
            "2021-3-15",
            "2021-03-15T25:00",
            "2021-03-15 10:00",
            "+2021-03-15",
        ] {
            assert_eq!(quick_datetime(s), None, "{s}");
        }
    }

    #[test]
    fn data_is_read_by_declared_type() {
        assert_eq!(from_data(&y("6"), &Type::Int), Ok(Value::Int(6)));
        assert_eq!(
            from_data(&y("300.50"), &Type::Decimal).map(|v| v.to_string()),
            Ok("300.5".into())
        );
        assert_eq!(
            from_data(&y("2021-03-15"), &Type::Date).map(|v| v.to_string()),
            Ok("2021-03-15".into())
        );
        assert_eq!(
            from_data(&y("2021-03-15T10:00"), &Type::DateTime).map(|v| v.to_string()),
            Ok("2021-03-15T10:00".into())
        );
        assert_eq!(
            from_data(&y("3 months"), &Type::Duration).map(|v| v.to_string()),
            Ok("3 months".into())
        );
        assert_eq!(
            from_data(&y("[1, 2]"), &Type::List(Box::new(Type::Int))).map(|v| v.to_string()),
            Ok("[1, 2]".into())
        );
    }

    #[test]
    fn policy_data_may_write_a_decimal_as_a_percent() {
        let read = |s: &str, t: &Type| {
            from_policy_data(&y(s), t)
                .map(|v| v.to_string())
                .unwrap_or_else(|e| e.message)
        };
        assert_eq!(read("20%", &Type::Decimal), "0.2");
        assert_eq!(read("12.5%", &Type::Decimal), "0.125");
        assert_eq!(read("-5%", &Type::Decimal), "-0.05");
        assert_eq!(read("0.20", &Type::Decimal), "0.2");
        assert_eq!(
            read("[10%, 0.5]", &Type::List(Box::new(Type::Decimal))),
            "[0.1, 0.5]"
        );
        assert_eq!(
            read("20 %", &Type::Decimal),
            "`20 %` is not a percent such as `20%` or `12.5%`, a number and `%` without a space"
        );
        assert_eq!(
            read("20%", &Type::Int),
            "`20%` is a percent, a fraction, which an integer cannot hold: declare it `decimal`"
        );
        assert_eq!(read("20%", &Type::String), "20%");
        // An application's data is read as it always was.
        assert_eq!(
            from_data(&y("20%"), &Type::Decimal).unwrap_err().message,
            "expected a number, found the string `20%`"
        );
    }

    #[test]
    fn wrong_data_names_what_was_expected_and_where() {
        let e = from_data(&y("[1, x]"), &Type::List(Box::new(Type::Int))).unwrap_err();
        assert_eq!(e.path, vec!["1"]);
        assert_eq!(e.message, "expected an integer, found the string `x`");
        let e = from_data(&y("9999999999999999999"), &Type::Int).unwrap_err();
        assert!(e.message.contains("too large"), "{}", e.message);
        let e = from_data(&y("2021-02-30"), &Type::Date).unwrap_err();
        assert_eq!(e.message, "`2021-02-30` is not a date of the calendar");
        let members = Type::Enum(Arc::new(vec!["issue".into(), "extend".into()]));
        let e = from_data(&y("isue"), &members).unwrap_err();
        assert_eq!(
            e.message,
            "`isue` is not one of issue, extend; did you mean `issue`?"
        );
    }
}
