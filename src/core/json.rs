//! JSON data whose numbers keep their digits: what qagida prints as JSON or
//! YAML. `serde_json::Value` holds a number with a fraction as binary
//! floating point, so `100 / 3` would come out as `33.333333333333336`;
//! here a number is its text, a decimal's exact digits
//! (`33.333333333333333333333333333`), and is written as that text: a
//! JSON number, or a plain YAML scalar.

use std::cell::RefCell;
use std::fmt;

use indexmap::IndexMap;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::value::RawValue;

/// An object's members, in order.
pub type Map = IndexMap<String, Json>;

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Json {
    #[default]
    Null,
    Bool(bool),
    /// A number as its JSON text: an integer's digits, or a decimal's
    /// exact digits, normalized (see [`crate::core::decimal::Digits`]).
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Map),
}

static NULL: Json = Json::Null;

impl Json {
    /// A decimal's exact digits.
    pub fn decimal(d: &rust_decimal::Decimal) -> Json {
        Json::Number(crate::core::decimal::Digits(*d).to_string())
    }

    /// An object of these members, in this order.
    pub fn object<K: Into<String>>(members: impl IntoIterator<Item = (K, Json)>) -> Json {
        Json::Object(members.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(m) => m.get(key),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Json>> {
        match self {
            Json::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Json::Object(m) => Some(m),
            _ => None,
        }
    }

    /// YAML or JSON data as JSON, each number with its digits as written
    /// (see [`crate::core::yaml::keep_digits`]); a key that is not text as
    /// its YAML text, a tag other than the digits' left out, its value kept.
    pub fn of_data(data: &crate::core::yaml::Data) -> Json {
        use crate::core::yaml::{self, Data};
        if let Some(digits) = yaml::digits(data) {
            return Json::Number(digits.to_string());
        }
        match data {
            Data::Tagged(t) => Json::of_data(&t.value),
            Data::Sequence(items) => Json::Array(items.iter().map(Json::of_data).collect()),
            Data::Mapping(m) => Json::Object(
                m.iter()
                    .map(|(k, v)| {
                        let k = k
                            .as_str()
                            .map_or_else(|| yaml::to_string(k), str::to_string);
                        (k.trim_end().to_string(), Json::of_data(v))
                    })
                    .collect(),
            ),
            other => Json::from(serde_json::to_value(other).unwrap_or_default()),
        }
    }

    /// Reads JSON text, keeping each number's digits as written.
    pub fn parse(text: &str) -> Result<Json, serde_json::Error> {
        let raw: &RawValue = serde_json::from_str(text)?;
        Json::from_raw(raw.get())
    }

    /// A value from its raw text (which serde_json has checked is JSON):
    /// a collection's members are read as raw text in turn.
    fn from_raw(raw: &str) -> Result<Json, serde_json::Error> {
        Ok(match raw.as_bytes().first() {
            Some(b'{') => {
                let members: IndexMap<String, &RawValue> = serde_json::from_str(raw)?;
                let mut m = Map::with_capacity(members.len());
                for (k, v) in members {
                    m.insert(k, Json::from_raw(v.get())?);
                }
                Json::Object(m)
            }
            Some(b'[') => {
                let items: Vec<&RawValue> = serde_json::from_str(raw)?;
                let items: Result<Vec<Json>, _> =
                    items.iter().map(|v| Json::from_raw(v.get())).collect();
                Json::Array(items?)
            }
            Some(b'-' | b'0'..=b'9') => Json::Number(raw.to_string()),
            Some(b'"') => Json::String(serde_json::from_str(raw)?),
            Some(b't') => Json::Bool(true),
            Some(b'f') => Json::Bool(false),
            _ => Json::Null,
        })
    }

    /// The value as indented JSON, as `serde_json::to_string_pretty` writes
    /// it, every number with its digits.
    pub fn to_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The value as YAML, as the YAML library writes data, every number
    /// with its digits as a plain scalar. The library writes a number only
    /// from a float, so a number that no float writes alike is written as
    /// a placeholder text that appears nowhere else in the document, then
    /// replaced by its digits.
    pub fn to_yaml(&self) -> String {
        for n in 0usize.. {
            let prefix = format!("QAGIDA{n}DIGITS");
            let numbers = RefCell::new(Vec::new());
            let text = crate::core::yaml::to_string(&Yaml {
                json: self,
                prefix: &prefix,
                numbers: &numbers,
            });
            let numbers = numbers.into_inner();
            if numbers.is_empty() {
                return text;
            }
            // Each placeholder once, and nothing else like one: else try
            // another prefix.
            if text.matches(prefix.as_str()).count() != numbers.len() {
                continue;
            }
            let mut out = String::with_capacity(text.len());
            let mut pieces = text.split(prefix.as_str());
            out.push_str(pieces.next().unwrap_or_default());
            for piece in pieces {
                let (i, rest) = piece.split_once('X').unwrap_or((piece, ""));
                let digits = i.parse::<usize>().ok().and_then(|i| numbers.get(i));
                out.push_str(digits.copied().unwrap_or_default());
                out.push_str(rest);
            }
            return out;
        }
        String::new()
    }
}

impl std::ops::Index<&str> for Json {
    type Output = Json;

    /// The member `key`, or null.
    fn index(&self, key: &str) -> &Json {
        self.get(key).unwrap_or(&NULL)
    }
}

/// Compact JSON.
impl fmt::Display for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

/// How a number's text is written by a serializer.
enum Written {
    Int(i64),
    UInt(u64),
    /// As the float whose shortest text it is: the same text.
    Float(f64),
    /// Only as its text: no float is written with these digits.
    Digits,
}

fn written(text: &str) -> Written {
    if let Ok(i) = text.parse::<i64>() {
        return Written::Int(i);
    }
    if let Ok(u) = text.parse::<u64>() {
        return Written::UInt(u);
    }
    match text.parse::<f64>() {
        Ok(f) if serde_json::Number::from_f64(f).is_some_and(|n| n.to_string() == text) => {
            Written::Float(f)
        }
        _ => Written::Digits,
    }
}

/// JSON numbers are written with their digits (through serde_json's raw
/// values, which its writers copy as they are); to another serializer, a
/// number with more digits than a float holds is written as its text.
impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => s.serialize_unit(),
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Number(t) => match written(t) {
                Written::Int(i) => s.serialize_i64(i),
                Written::UInt(u) => s.serialize_u64(u),
                Written::Float(f) => s.serialize_f64(f),
                Written::Digits => match RawValue::from_string(t.clone()) {
                    Ok(raw) => raw.serialize(s),
                    Err(_) => s.serialize_str(t),
                },
            },
            Json::String(t) => s.serialize_str(t),
            Json::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// A value written to YAML (see [`Json::to_yaml`]): numbers that no float
/// writes alike become placeholders `{prefix}{i}X`, `i` their place in
/// `numbers`.
struct Yaml<'a, 'j> {
    json: &'j Json,
    prefix: &'a str,
    numbers: &'a RefCell<Vec<&'j str>>,
}

impl Serialize for Yaml<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let child = |json| Yaml {
            json,
            prefix: self.prefix,
            numbers: self.numbers,
        };
        match self.json {
            Json::Number(t) if matches!(written(t), Written::Digits) => {
                let mut numbers = self.numbers.borrow_mut();
                let token = format!("{}{}X", self.prefix, numbers.len());
                numbers.push(t);
                drop(numbers);
                s.serialize_str(&token)
            }
            Json::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&child(item))?;
                }
                seq.end()
            }
            Json::Object(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, &child(v))?;
                }
                map.end()
            }
            other => other.serialize(s),
        }
    }
}

impl From<serde_json::Value> for Json {
    fn from(v: serde_json::Value) -> Json {
        use serde_json::Value as J;
        match v {
            J::Null => Json::Null,
            J::Bool(b) => Json::Bool(b),
            J::Number(n) => Json::Number(n.to_string()),
            J::String(s) => Json::String(s),
            J::Array(items) => Json::Array(items.into_iter().map(Json::from).collect()),
            J::Object(m) => Json::Object(m.into_iter().map(|(k, v)| (k, Json::from(v))).collect()),
        }
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::String(s.to_string())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Json {
        Json::String(s)
    }
}

impl From<&String> for Json {
    fn from(s: &String) -> Json {
        Json::String(s.clone())
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Json {
        Json::Bool(b)
    }
}

impl From<i64> for Json {
    fn from(n: i64) -> Json {
        Json::Number(n.to_string())
    }
}

impl From<Vec<Json>> for Json {
    fn from(items: Vec<Json>) -> Json {
        Json::Array(items)
    }
}

impl From<Map> for Json {
    fn from(m: Map) -> Json {
        Json::Object(m)
    }
}

impl<T: Into<Json>> From<Option<T>> for Json {
    fn from(v: Option<T>) -> Json {
        v.map_or(Json::Null, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn third() -> Json {
        Json::decimal(&(rust_decimal::Decimal::from(100) / rust_decimal::Decimal::from(3)))
    }

    #[test]
    fn numbers_are_written_with_their_digits() {
        let v = Json::object([
            ("third", third()),
            ("half", Json::Number("0.5".into())),
            ("tiny", Json::Number("0.0000001".into())),
            ("big", Json::Number("123456789012345678901234".into())),
            ("n", Json::from(-3)),
            ("list", Json::Array(vec![third(), Json::Null, "x".into()])),
            ("empty", Json::Object(Map::new())),
        ]);
        assert_eq!(
            v.to_string(),
            r#"{"third":33.333333333333333333333333333,"half":0.5,"tiny":0.0000001,"big":123456789012345678901234,"n":-3,"list":[33.333333333333333333333333333,null,"x"],"empty":{}}"#
        );
        assert_eq!(
            v.to_pretty(),
            "{\n  \"third\": 33.333333333333333333333333333,\n  \"half\": 0.5,\n  \"tiny\": 0.0000001,\n  \"big\": 123456789012345678901234,\n  \"n\": -3,\n  \"list\": [\n    33.333333333333333333333333333,\n    null,\n    \"x\"\n  ],\n  \"empty\": {}\n}"
        );
        assert_eq!(
            v.to_yaml(),
            "third: 33.333333333333333333333333333\nhalf: 0.5\ntiny: 0.0000001\nbig: 123456789012345678901234\nn: -3\nlist:\n- 33.333333333333333333333333333\n- null\n- x\nempty: {}\n"
        );
        assert_eq!(Json::parse(&v.to_string()).unwrap(), v);
        assert_eq!(Json::parse(&v.to_pretty()).unwrap(), v);
    }

    #[test]
    fn yaml_placeholders_never_meet_the_documents_own_text() {
        // A string that looks like the first placeholder stays as it is.
        let v = Json::object([
            ("a", Json::from("QAGIDA0DIGITS0X")),
            ("b", third()),
            ("c", Json::from("QAGIDA1DIGITS")),
        ]);
        assert_eq!(
            v.to_yaml(),
            "a: QAGIDA0DIGITS0X\nb: 33.333333333333333333333333333\nc: QAGIDA1DIGITS\n"
        );
    }

    #[test]
    fn numbers_a_float_writes_alike_are_written_as_before() {
        // The same text as a serde_json value with the float writes.
        let v = Json::Array(vec![
            Json::Number("1.5".into()),
            Json::Number("300".into()),
            Json::Number("18446744073709551615".into()),
        ]);
        let old = serde_json::json!([1.5, 300, 18446744073709551615u64]);
        assert_eq!(v.to_pretty(), serde_json::to_string_pretty(&old).unwrap());
        assert_eq!(v.to_yaml(), crate::core::yaml::to_string(&old));
        assert_eq!(Json::from(old), v);
    }
}
