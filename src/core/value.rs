//! Run-time values, which may be unknown, and their conversion from data.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use rust_decimal::Decimal;

/// A length of time: a count of a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Duration {
    pub count: i64,
    pub unit: Unit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    Days,
    WorkingDays,
    Weeks,
    Months,
    Years,
}

impl Unit {
    pub fn name(self, count: i64) -> &'static str {
        let one = count == 1 || count == -1;
        match (self, one) {
            (Unit::Days, true) => "day",
            (Unit::Days, false) => "days",
            (Unit::WorkingDays, true) => "working day",
            (Unit::WorkingDays, false) => "working days",
            (Unit::Weeks, true) => "week",
            (Unit::Weeks, false) => "weeks",
            (Unit::Months, true) => "month",
            (Unit::Months, false) => "months",
            (Unit::Years, true) => "year",
            (Unit::Years, false) => "years",
        }
    }

    pub fn parse(word: &str) -> Option<Unit> {
        let w: Vec<&str> = word.split_whitespace().collect();
        Some(match w.as_slice() {
            ["day" | "days"] => Unit::Days,
            ["working", "day" | "days"] => Unit::WorkingDays,
            ["week" | "weeks"] => Unit::Weeks,
            ["month" | "months"] => Unit::Months,
            ["year" | "years"] => Unit::Years,
            _ => return None,
        })
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.count, self.unit.name(self.count))
    }
}

/// The names of the inputs and parameters whose absence made a value unknown.
/// Shared: an unknown passed on unchanged, or joined with a set it already
/// holds, is the same set, not a copy.
pub type Missing = Arc<BTreeSet<String>>;

/// `a` and `b` together; one of them, shared, when it holds the other.
pub fn union(a: Missing, b: Missing) -> Missing {
    if Arc::ptr_eq(&a, &b) || b.is_subset(&a) {
        a
    } else if a.is_subset(&b) {
        b
    } else {
        let mut m = Arc::unwrap_or_clone(a);
        m.extend(b.iter().cloned());
        Arc::new(m)
    }
}

/// A record's fields, in declaration order: their names, shared by every
/// record of a type (from the policy's schema), and each one's value.
/// Records are small, so a field is found by name by looking down the
/// names, and by the checker's slot directly; nothing is hashed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fields {
    names: Arc<[Arc<str>]>,
    values: Vec<Value>,
}

impl Fields {
    /// A record of `names` with `values`, one each in the same order (any
    /// beyond the shorter of the two are dropped).
    pub fn new(names: Arc<[Arc<str>]>, mut values: Vec<Value>) -> Fields {
        values.truncate(names.len());
        let names = if names.len() > values.len() {
            names[..values.len()].iter().cloned().collect()
        } else {
            names
        };
        Fields { names, values }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        let i = self.names.iter().position(|n| **n == *name)?;
        self.values.get(i)
    }

    /// The field `name`, looked for first in place `i` (where a record of
    /// its type keeps it: the name is then the type's own, and compared
    /// by address), else by name.
    pub fn get_at(&self, i: usize, name: &Arc<str>) -> Option<&Value> {
        match (self.names.get(i), self.values.get(i)) {
            (Some(n), Some(v)) if Arc::ptr_eq(n, name) || n == name => Some(v),
            _ => self.get(name),
        }
    }

    /// Whether the record's names are `names` itself (those of its type,
    /// shared), so that its fields stand in their places.
    pub fn shares_names(&self, names: &Arc<[Arc<str>]>) -> bool {
        Arc::ptr_eq(&self.names, names)
    }

    /// The field in place `i`, with its name.
    pub fn get_index(&self, i: usize) -> Option<(&Arc<str>, &Value)> {
        Some((self.names.get(i)?, self.values.get(i)?))
    }

    /// Sets the field `name`, adding it at the end if it is new.
    pub fn insert(&mut self, name: Arc<str>, value: Value) {
        match self.names.iter().position(|n| *n == name) {
            Some(i) => self.values[i] = value,
            None => {
                let mut names = self.names.to_vec();
                names.push(name);
                self.names = names.into();
                self.values.push(value);
            }
        }
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    pub fn keys(&self) -> impl Iterator<Item = &Arc<str>> {
        self.names.iter()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Arc<str>, &Value)> {
        self.names.iter().zip(&self.values)
    }
}

impl FromIterator<(Arc<str>, Value)> for Fields {
    fn from_iter<I: IntoIterator<Item = (Arc<str>, Value)>>(items: I) -> Fields {
        let (names, values): (Vec<Arc<str>>, Vec<Value>) = items.into_iter().unzip();
        Fields {
            names: names.into(),
            values,
        }
    }
}

/// A value at run time. `Unknown` stands for a value that cannot be known
/// because an input is absent or a parameter has no value; it records which.
///
/// Its tag is a whole word (`repr(u64)`), so that every part of a value
/// is an aligned word: a value written by one function and read by its
/// caller is then copied word by word, where a byte tag had the payload's
/// bytes straddle words, and each such read waited for the writes before
/// it to reach memory (about 18% of an evaluation's time, measured).
#[derive(Clone, Debug, PartialEq)]
#[repr(u64)]
pub enum Value {
    Int(i64),
    Decimal(Decimal),
    Bool(bool),
    Str(Arc<str>),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Time(NaiveTime),
    Duration(Duration),
    List(Arc<Vec<Value>>),
    Record(Arc<Fields>),
    /// An entry of a catalogue: the catalogue's and the entry's index, and
    /// the entry's id.
    Ref(Arc<EntryRef>),
    Unknown(Missing),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryRef {
    pub catalogue: usize,
    pub entry: usize,
    pub id: String,
}

impl Value {
    /// The addresses of this value's reference-counted parts, itself and
    /// anywhere inside it: two values that share none of them can be
    /// copied on two threads without touching the same count.
    pub fn shared_parts(&self, out: &mut Vec<usize>) {
        match self {
            Value::Str(s) => out.push(Arc::as_ptr(s) as *const u8 as usize),
            Value::List(items) => {
                out.push(Arc::as_ptr(items) as usize);
                items.iter().for_each(|v| v.shared_parts(out));
            }
            Value::Record(r) => {
                out.push(Arc::as_ptr(r) as usize);
                out.push(Arc::as_ptr(&r.names) as *const u8 as usize);
                for n in r.names.iter() {
                    out.push(Arc::as_ptr(n) as *const u8 as usize);
                }
                r.values.iter().for_each(|v| v.shared_parts(out));
            }
            Value::Ref(r) => out.push(Arc::as_ptr(r) as usize),
            Value::Unknown(m) => out.push(Arc::as_ptr(m) as usize),
            _ => {}
        }
    }

    /// An equal value that shares no reference-counted part with this
    /// one, for a plan of another thread's (see
    /// [`crate::engine::Plan::for_thread`]).
    pub fn unshared(&self) -> Value {
        match self {
            Value::Str(s) => Value::Str(Arc::from(&**s)),
            Value::List(items) => {
                Value::List(Arc::new(items.iter().map(Value::unshared).collect()))
            }
            Value::Record(r) => {
                let names: Arc<[Arc<str>]> = r.names.iter().map(|n| Arc::from(&**n)).collect();
                let values = r.values.iter().map(Value::unshared).collect();
                Value::Record(Arc::new(Fields { names, values }))
            }
            Value::Ref(r) => Value::Ref(Arc::new((**r).clone())),
            Value::Unknown(m) => Value::Unknown(Arc::new((**m).clone())),
            other => other.clone(),
        }
    }

    pub fn unknown(name: impl Into<String>) -> Value {
        Value::Unknown(Arc::new(BTreeSet::from([name.into()])))
    }

    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    /// The names this value is missing, itself or anywhere inside it,
    /// shared where the value is itself unknown.
    pub fn missing_shared(&self) -> Missing {
        match self {
            Value::Unknown(m) => m.clone(),
            other => Arc::new(other.missing()),
        }
    }

    /// The names this value is missing, itself or anywhere inside it.
    pub fn missing(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        self.collect_missing(&mut out);
        out
    }

    fn collect_missing(&self, out: &mut BTreeSet<String>) {
        match self {
            Value::Unknown(m) => out.extend(m.iter().cloned()),
            Value::List(items) => items.iter().for_each(|v| v.collect_missing(out)),
            _ => {}
        }
    }

    /// The value as JSON: unknown is `null`, a decimal its exact digits,
    /// dates are `YYYY-MM-DD`, durations are strings such as `"3 months"`.
    pub fn to_json(&self) -> crate::core::json::Json {
        use crate::core::json::Json as J;
        match self {
            Value::Int(n) => J::from(*n),
            Value::Decimal(d) => J::decimal(d),
            Value::Bool(b) => J::Bool(*b),
            Value::Unknown(_) => J::Null,
            Value::List(items) => J::Array(items.iter().map(Value::to_json).collect()),
            Value::Record(r) => J::Object(
                r.iter()
                    .map(|(k, v)| (k.to_string(), v.to_json()))
                    .collect(),
            ),
            other => J::String(other.to_string()),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Int(n) => write!(f, "{n}"),
            Value::Decimal(d) => write!(f, "{}", d.normalize()),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Str(s) => write!(f, "{s}"),
            Value::Ref(r) => write!(f, "{}", r.id),
            Value::Date(d) => f.write_str(&format_date(d)),
            Value::DateTime(d) => write!(f, "{}", format_datetime(d)),
            Value::Time(t) => write!(f, "{}", format_time(t)),
            Value::Duration(d) => write!(f, "{d}"),
            Value::List(items) => {
                write!(f, "[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    match v {
                        Value::Str(s) => write!(f, "{s:?}")?,
                        v => write!(f, "{v}")?,
                    }
                }
                write!(f, "]")
            }
            Value::Record(r) => {
                write!(f, "{{")?;
                for (i, (k, v)) in r.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                write!(f, "}}")
            }
            Value::Unknown(m) => {
                write!(f, "unknown")?;
                if !m.is_empty() {
                    write!(
                        f,
                        " (missing {})",
                        m.iter().cloned().collect::<Vec<_>>().join(", ")
                    )?;
                }
                Ok(())
            }
        }
    }
}

/// The years a date may have, whether read or computed: 0001 to 9999,
/// the years written with four digits. A computed date beyond them is an
/// evaluation error (never written `+10000-03-31`), a date read beyond
/// them is refused where it is written.
pub const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// Whether `d` is within [`YEARS`].
pub fn in_years(d: NaiveDate) -> bool {
    YEARS.contains(&d.year())
}

/// Reads `YYYY-MM-DD`, a date of the calendar within [`YEARS`], without
/// the sign or the longer years chrono's `%Y` also reads.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let b = t.as_bytes();
    (b.len() == 10 && b[..4].iter().all(u8::is_ascii_digit))
        .then(|| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
        .flatten()
        .filter(|d| in_years(*d))
}

/// The hint for text [`parse_date`] refuses: its years, if it is a date
/// beyond them, else how a date is written.
pub fn date_help(text: &str) -> &'static str {
    match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        Ok(_) => "a date is in the years 0001 to 9999, written YYYY-MM-DD",
        Err(_) => "dates are written YYYY-MM-DD",
    }
}

/// `YYYY-MM-DD`, as chrono's `%Y-%m-%d` writes it (written by hand for
/// the years 0 to 9999: chrono's formatter is slow in batch output).
pub fn format_date(d: &NaiveDate) -> String {
    match date_bytes(d) {
        Some(b) => b.iter().map(|&c| char::from(c)).collect(),
        None => d.format("%Y-%m-%d").to_string(),
    }
}

/// `YYYY-MM-DD` as ASCII bytes, for the years 0 to 9999.
pub fn date_bytes(d: &NaiveDate) -> Option<[u8; 10]> {
    let y = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let (m, day) = (d.month(), d.day());
    Some([
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(m / 10),
        digit(m),
        b'-',
        digit(day / 10),
        digit(day),
    ])
}

pub fn format_time(t: &NaiveTime) -> String {
    use chrono::Timelike;
    if t.second() == 0 {
        format!("{:02}:{:02}", t.hour(), t.minute())
    } else {
        format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
    }
}

pub fn format_datetime(d: &NaiveDateTime) -> String {
    format!("{}T{}", format_date(&d.date()), format_time(&d.time()))
}

/// Reads `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` and `YYYY-MM-DDTHH:MM:SS`
/// directly; `None` for anything else (then the literal grammar decides,
/// with its messages), and for impossible dates and times.
pub(crate) fn quick_datetime(s: &str) -> Option<Value> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        if part.iter().all(u8::is_ascii_digit) {
            Some(part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
        } else {
            None
        }
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
        .filter(|d| in_years(*d))?;
    match b.len() {
        10 => Some(Value::Date(date)),
        16 | 19 if b[10] == b'T' && b[13] == b':' => {
            let sec = if b.len() == 19 {
                if b[16] != b':' {
                    return None;
                }
                num(17..19)?
            } else {
                0
            };
            let time = NaiveTime::from_hms_opt(num(11..13)?, num(14..16)?, sec)?;
            Some(Value::DateTime(date.and_time(time)))
        }
        _ => None,
    }
}

/// Why a piece of data could not be read as a value of its declared type.
/// `path` leads from the converted value to the offending part.
#[derive(Clone, Debug, PartialEq)]
pub struct ConvertError {
    pub path: Vec<String>,
    pub message: String,
}

/// Equality of known values, numbers compared by value.
pub fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        // Texts of different lengths differ without comparing their bytes.
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Ref(r), Value::Str(s)) | (Value::Str(s), Value::Ref(r)) => r.id == s.as_ref(),
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equal(p, q))
        }
        _ => compare(a, b)
            .map(|o| o == std::cmp::Ordering::Equal)
            .unwrap_or(a == b),
    }
}

/// Orders two known values of the same kind; `None` if they do not compare.
pub fn compare(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Int(x), Value::Decimal(y)) => Some(Decimal::from(*x).cmp(y)),
        (Value::Decimal(x), Value::Int(y)) => Some(x.cmp(&Decimal::from(*y))),
        (Value::Decimal(x), Value::Decimal(y)) => Some(x.cmp(y)),
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::DateTime(x), Value::DateTime(y)) => Some(x.cmp(y)),
        (Value::Time(x), Value::Time(y)) => Some(x.cmp(y)),
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// A scalar of data, as a reader meets it: borrowed from a tree of data
/// ([`Scalar::of`]) or from the text of a JSON line as serde reads it (the
/// batch's direct reader), so that both convert it with `lang::convert::scalar`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar<'a> {
    Null,
    Bool(bool),
    /// An integer that fits 64 bits, signed.
    Int(i64),
    /// An integer above `i64::MAX`.
    UInt(u64),
    /// A number with a fraction or an exponent, or an integer beyond 64
    /// bits, as its text: the digits written in the JSON or YAML, which a
    /// decimal is read from exactly.
    Number(&'a str),
    /// Such a number as binary floating point, its digits not kept (data
    /// made in code): a decimal is read from its shortest text.
    Float(f64),
    Str(&'a str),
}

impl<'a> Scalar<'a> {
    /// The scalar `data` is, if it is one (not a list or a mapping); a
    /// tag is looked through.
    pub fn of(data: &'a crate::core::yaml::Data) -> Option<Scalar<'a>> {
        use crate::core::yaml::Data as Y;
        if let Some(digits) = crate::core::yaml::digits(data) {
            return Some(Scalar::Number(digits));
        }
        Some(match data {
            Y::Null => Scalar::Null,
            Y::Bool(b) => Scalar::Bool(*b),
            Y::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Scalar::Int(i),
                (None, Some(u)) => Scalar::UInt(u),
                (None, None) => Scalar::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Y::String(s) => Scalar::Str(s),
            Y::Tagged(t) => return Scalar::of(&t.value),
            Y::Sequence(_) | Y::Mapping(_) => return None,
        })
    }

    /// An unsigned integer, as the one or the other kind of integer.
    pub fn unsigned(n: u64) -> Scalar<'a> {
        match i64::try_from(n) {
            Ok(i) => Scalar::Int(i),
            Err(_) => Scalar::UInt(n),
        }
    }

    /// The text of a string, or of a number as YAML writes it (`1.5`,
    /// `1e20`, `.inf`), written on the stack; `None` for null and booleans.
    pub fn text(&self) -> Option<Text<'a>> {
        use std::fmt::Write as _;
        match *self {
            Scalar::Str(s) | Scalar::Number(s) => Some(Text::Str(s)),
            Scalar::Null | Scalar::Bool(_) => None,
            number => {
                let mut t = Text::Number(0, [0; NUMBER_BYTES]);
                match write!(t, "{}", Number(number)) {
                    Ok(()) => Some(t),
                    Err(_) => Some(Text::Owned(Number(number).to_string())),
                }
            }
        }
    }

    /// The scalar in words, for messages, as [`describe_data`] describes
    /// the data it is.
    pub fn describe(&self) -> String {
        match self {
            Scalar::Null => "nothing (null)".into(),
            Scalar::Bool(b) => format!("`{b}`"),
            Scalar::Str(s) => format!("the string {}", quote(s)),
            number => format!("the number `{}`", Number(*number)),
        }
    }
}

/// A scalar's number, written as the YAML library writes numbers: the
/// text the general reader has always shown, and read decimals from.
pub struct Number<'a>(pub Scalar<'a>);

impl fmt::Display for Number<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::core::yaml::Data as Y;
        match self.0 {
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::UInt(u) => write!(f, "{u}"),
            Scalar::Number(t) => f.write_str(t),
            Scalar::Float(x) => match Y::Number(x.into()) {
                Y::Number(n) => write!(f, "{n}"),
                _ => Ok(()),
            },
            _ => Ok(()),
        }
    }
}

/// Room for the longest number written (`-1.2345678901234567e-308`).
const NUMBER_BYTES: usize = 32;

/// A scalar's text: borrowed from the data, or a number written on the
/// stack (see [`Scalar::text`]).
#[derive(Clone, Debug)]
pub enum Text<'a> {
    Str(&'a str),
    /// The bytes used, and the bytes.
    Number(u8, [u8; NUMBER_BYTES]),
    Owned(String),
}

impl std::ops::Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::Str(s) => s,
            Text::Owned(s) => s,
            Text::Number(n, b) => std::str::from_utf8(&b[..usize::from(*n)]).unwrap_or_default(),
        }
    }
}

impl fmt::Write for Text<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let Text::Number(n, b) = self else {
            return Err(fmt::Error);
        };
        let at = usize::from(*n);
        let end = at + s.len();
        b.get_mut(at..end)
            .ok_or(fmt::Error)?
            .copy_from_slice(s.as_bytes());
        *n = u8::try_from(end).map_err(|_| fmt::Error)?;
        Ok(())
    }
}

/// A failure of conversion with `message`, at no path yet.
pub fn fail(message: String) -> ConvertError {
    ConvertError {
        path: vec![],
        message,
    }
}

/// Whether a string is a number written in digits that the YAML reader
/// kept as text because no number type holds it (`99999999999999999999`,
/// `1e400`).
pub fn too_large(s: &str) -> bool {
    let t = s.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    let plain = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let float = digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && t.parse::<f64>().is_ok_and(f64::is_infinite);
    plain && t.parse::<i64>().is_err() || float
}

pub use crate::core::text::quote;

/// A piece of data in words, for messages about data.
pub fn describe_data(data: &crate::core::yaml::Data) -> String {
    use crate::core::yaml::Data as Y;
    if let Some(digits) = crate::core::yaml::digits(data) {
        return format!("the number `{digits}`");
    }
    match data {
        Y::Null => "nothing (null)".into(),
        Y::Bool(b) => format!("`{b}`"),
        Y::Number(n) => format!("the number `{n}`"),
        Y::String(s) => format!("the string {}", quote(s)),
        Y::Sequence(_) => "a list".into(),
        Y::Mapping(_) => "a mapping".into(),
        Y::Tagged(t) => describe_data(&t.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_share_their_names_and_find_fields_by_name_or_place() {
        let names: Arc<[Arc<str>]> = ["a", "b"].map(Arc::from).into();
        let r = Fields::new(names.clone(), vec![Value::Int(1), Value::Int(2)]);
        let s = Fields::new(names.clone(), vec![Value::Int(3), Value::Int(4)]);
        assert!(Arc::ptr_eq(
            r.get_index(1).unwrap().0,
            s.get_index(1).unwrap().0
        ));
        assert_eq!(r.get("b"), Some(&Value::Int(2)));
        assert_eq!(r.get("c"), None);
        assert_eq!(r.len(), 2);
        // Fewer values than names: the names without one are dropped.
        let short = Fields::new(names, vec![Value::Int(5)]);
        assert_eq!(short.keys().map(|k| &**k).collect::<Vec<_>>(), ["a"]);
        let mut t: Fields = [(Arc::from("x"), Value::Int(1))].into_iter().collect();
        t.insert("x".into(), Value::Int(2));
        t.insert("y".into(), Value::Int(3));
        let all: Vec<(&str, &Value)> = t.iter().map(|(k, v)| (&**k, v)).collect();
        assert_eq!(all, [("x", &Value::Int(2)), ("y", &Value::Int(3))]);
    }

    #[test]
    fn an_unshared_copy_is_equal_and_shares_nothing() {
        let names: Arc<[Arc<str>]> = ["a", "b"].map(Arc::from).into();
        let text = Value::str("x");
        let list = Value::List(Arc::new(vec![text.clone(), Value::Int(1)]));
        let missing = Value::unknown("c");
        let r = EntryRef {
            catalogue: 0,
            entry: 2,
            id: "e".into(),
        };
        let fields = Fields::new(names, vec![list.clone(), missing.clone()]);
        let record = Value::Record(Arc::new(fields));
        for v in [
            text,
            list.clone(),
            missing,
            Value::Ref(Arc::new(r)),
            record.clone(),
        ] {
            let u = v.unshared();
            assert_eq!(u, v);
            let shares = match (&u, &v) {
                (Value::Str(a), Value::Str(b)) => Arc::ptr_eq(a, b),
                (Value::List(a), Value::List(b)) => Arc::ptr_eq(a, b),
                (Value::Ref(a), Value::Ref(b)) => Arc::ptr_eq(a, b),
                (Value::Unknown(a), Value::Unknown(b)) => Arc::ptr_eq(a, b),
                (Value::Record(a), Value::Record(b)) => {
                    Arc::ptr_eq(a, b) || Arc::ptr_eq(&a.names, &b.names)
                }
                _ => unreachable!(),
            };
            assert!(!shares, "{v:?}");
        }
        // Down into a record's fields and a list's elements.
        let (Value::Record(a), Value::Record(b)) = (record.unshared(), &record) else {
            unreachable!()
        };
        let (Value::List(x), Value::List(y)) = (&a.values[0], &b.values[0]) else {
            unreachable!()
        };
        assert!(!Arc::ptr_eq(x, y));
        let (Value::Str(p), Value::Str(q)) = (&x[0], &y[0]) else {
            unreachable!()
        };
        assert!(!Arc::ptr_eq(p, q));
    }

    #[test]
    fn a_field_is_found_at_its_place_or_else_by_name() {
        let names: Arc<[Arc<str>]> = ["a", "b"].map(Arc::from).into();
        let r = Fields::new(names.clone(), vec![Value::Int(1), Value::Int(2)]);
        assert!(r.shares_names(&names));
        let b = names[1].clone();
        assert_eq!(r.get_at(1, &b), Some(&Value::Int(2)));
        // Not there: found by name, wherever it is.
        assert_eq!(r.get_at(0, &b), Some(&Value::Int(2)));
        assert_eq!(r.get_at(7, &b), Some(&Value::Int(2)));
        assert_eq!(r.get_at(1, &Arc::from("a")), Some(&Value::Int(1)));
        assert_eq!(r.get_at(0, &Arc::from("c")), None);
        // A record built with other names of the same text.
        let other: Fields = [("b", 5), ("a", 6)]
            .map(|(k, v)| (Arc::from(k), Value::Int(v)))
            .into_iter()
            .collect();
        assert!(!other.shares_names(&names));
        assert_eq!(other.get_at(1, &b), Some(&Value::Int(5)));
        assert_eq!(other.get_at(0, &b), Some(&Value::Int(5)));
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let days = [
            (0, 1, 1),
            (7, 1, 9),
            (999, 12, 31),
            (1970, 1, 1),
            (2020, 2, 29),
            (2021, 10, 5),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 6, 15),
            (-44, 3, 15),
        ];
        for (y, m, d) in days {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(
                format_date(&date),
                date.format("%Y-%m-%d").to_string(),
                "{y}-{m}-{d}"
            );
        }
    }

    #[test]
    fn unknown_values_render_what_they_miss() {
        let u = Value::unknown("threshold");
        assert_eq!(u.to_string(), "unknown (missing threshold)");
        assert_eq!(u.to_json(), crate::core::json::Json::Null);
        let l = Value::List(Arc::new(vec![Value::Int(1), Value::unknown("a")]));
        assert_eq!(l.missing().into_iter().collect::<Vec<_>>(), vec!["a"]);
    }

    #[test]
    fn numbers_are_written_as_the_yaml_library_writes_them() {
        use crate::core::yaml::Data as Y;
        for f in [
            0.5,
            -0.0,
            1e20,
            1e-7,
            123456789.12345679,
            -1.2345678901234567e-308,
            f64::MAX,
            f64::INFINITY,
            f64::NAN,
        ] {
            let n = Y::Number(f.into());
            let Y::Number(m) = &n else { unreachable!() };
            let text = Scalar::Float(f).text().map(|t| t.to_string());
            assert_eq!(text, Some(m.to_string()), "{f}");
            assert_eq!(Scalar::Float(f).describe(), describe_data(&n));
        }
        let text = |s: Scalar<'_>| s.text().map(|t| t.to_string());
        assert_eq!(text(Scalar::Int(i64::MIN)), Some(i64::MIN.to_string()));
        assert_eq!(text(Scalar::UInt(u64::MAX)), Some(u64::MAX.to_string()));
        assert_eq!(text(Scalar::Null), None);
        assert_eq!(Scalar::unsigned(5), Scalar::Int(5));
        assert_eq!(Scalar::unsigned(u64::MAX), Scalar::UInt(u64::MAX));
    }
}
