//! JSON Schema of a policy's application input, so that an editor's YAML
//! support can validate and complete applications.

use serde_json::{Map, Value as J, json};

use crate::lang::types::{RecordType, Type};
use crate::policy::Policy;

fn ty(policy: &Policy, t: &Type) -> J {
    match t {
        Type::Int => json!({"type": "integer"}),
        Type::Decimal => json!({"type": "number"}),
        Type::Bool => json!({"type": "boolean"}),
        Type::String | Type::Any => json!({"type": "string"}),
        Type::Date => json!({"type": "string", "format": "date"}),
        Type::DateTime => {
            json!({"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2})?)?$"})
        }
        Type::Time => json!({"type": "string", "pattern": "^\\d{2}:\\d{2}(:\\d{2})?$"}),
        Type::Duration => {
            json!({"type": "string", "pattern": "^-?\\d+ (working )?(day|week|month|year)s?$"})
        }
        Type::List(e) => json!({"type": "array", "items": ty(policy, e)}),
        Type::Enum(m) => {
            json!({"type": "string", "enum": m.iter().map(|m| &**m).collect::<Vec<_>>()})
        }
        Type::Record(r) => record(policy, r, ""),
        Type::Ref(c) => {
            let names: Vec<String> = policy
                .catalogues
                .iter()
                .find(|x| x.name == **c)
                .map(|cat| {
                    (0..cat.entries.len())
                        .map(|e| cat.official_name(e).to_string())
                        .collect()
                })
                .unwrap_or_default();
            let mut names = names;
            names.sort();
            names.dedup();
            json!({"type": ["string", "integer"], "description": format!("the id or official name of an entry of `{c}`"), "examples": names})
        }
    }
}

fn record(policy: &Policy, r: &RecordType, prefix: &str) -> J {
    let mut props = Map::new();
    let mut required = Vec::new();
    for (name, f) in &r.fields {
        let path = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}.{name}")
        };
        let mut s = match &f.ty {
            Type::Record(inner) => record(policy, inner, &path),
            other => ty(policy, other),
        };
        if let J::Object(m) = &mut s {
            let number = |v: &crate::core::value::Value| match v {
                crate::core::value::Value::Int(i) => Some(J::from(*i)),
                crate::core::value::Value::Decimal(d) => serde_json::from_str(&d.to_string()).ok(),
                _ => None,
            };
            if let Some(lo) = f.options.min.as_ref().and_then(number) {
                m.insert("minimum".into(), lo);
            }
            if let Some(hi) = f.options.max.as_ref().and_then(number) {
                m.insert("maximum".into(), hi);
            }
        }
        if let (J::Object(m), Some(info)) = (&mut s, policy.fields.get(&path)) {
            let mut desc = info.label.get("en").cloned().unwrap_or_default();
            if let Some(d) = &info.description {
                desc = if desc.is_empty() {
                    d.clone()
                } else {
                    format!("{desc}: {d}")
                };
            }
            let unit = match info.unit.as_deref() {
                Some(crate::policy::units::PERCENT) => {
                    Some("(in percent: a fraction, 0.2 for 20%)".to_string())
                }
                Some(u) => Some(format!("(in {u})")),
                None => None,
            };
            if let Some(u) = unit {
                desc = if desc.is_empty() {
                    u
                } else {
                    format!("{desc} {u}")
                };
            }
            if !info.cite.is_empty() {
                desc = format!("{desc} [{}]", info.cite).trim().to_string();
            }
            if !desc.is_empty() && !m.contains_key("description") {
                m.insert("description".into(), desc.into());
            }
        }
        if !f.optional {
            required.push(name.to_string());
        }
        props.insert(name.to_string(), s);
    }
    json!({"type": "object", "properties": props, "required": required, "additionalProperties": false})
}

/// The schema of a policy file, from the structs the loader reads.
pub fn policy() -> J {
    serde_json::to_value(schemars::schema_for!(crate::policy::model::PolicyFile)).unwrap_or(J::Null)
}

/// The schema of an application to `policy`.
pub fn input(policy: &Policy) -> J {
    let mut s = record(policy, &policy.input, "");
    if let J::Object(m) = &mut s {
        m.insert(
            "$schema".into(),
            "https://json-schema.org/draft/2020-12/schema".into(),
        );
        m.insert(
            "title".into(),
            format!("An application to {}", policy.meta.id).into(),
        );
    }
    s
}
