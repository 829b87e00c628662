//! Reads an application (YAML or JSON) against a policy's input schema:
//! unknown keys, wrong types and missing required fields are errors with
//! their place in the file; absent optional fields become unknown values
//! that name themselves.

use std::sync::Arc;

use indexmap::IndexMap;

use crate::diag::Diagnostic;
use crate::source::{Loc, SourceFile};
use crate::suggest::did_you_mean;
use crate::types::{RecordType, Type};
use crate::value::{self, Value};
use crate::yaml::{self, PosIndex};

/// Reads the application in `file` as a record of `schema`.
pub fn read(schema: &RecordType, file: &Arc<SourceFile>) -> Result<Value, Vec<Diagnostic>> {
    let data = yaml::value(&file.text).map_err(|e| {
        vec![
            Diagnostic::error("yaml", e.message)
                .at(e.offset.map(|o| Loc::new(file, o, o + 1)))
                .in_file(file.name.clone()),
        ]
    })?;
    let index = PosIndex::new(&file.text);
    let mut r = Reader {
        file,
        index: &index,
        diags: Vec::new(),
    };
    let v = r.record(schema, &data, &[], "");
    if r.diags.is_empty() {
        Ok(v)
    } else {
        crate::diag::sort(&mut r.diags);
        Err(r.diags)
    }
}

/// Reads an application already parsed (a batch line, say), without
/// positions in a file.
pub fn from_data(
    schema: &RecordType,
    data: &crate::yaml::Data,
    name: &str,
) -> Result<Value, Vec<Diagnostic>> {
    let file = SourceFile::new(name, "");
    let index = PosIndex::default();
    let mut r = Reader {
        file: &file,
        index: &index,
        diags: Vec::new(),
    };
    let v = r.record(schema, data, &[], "");
    if r.diags.is_empty() {
        Ok(v)
    } else {
        for d in &mut r.diags {
            d.loc = None;
            d.file = Some(name.to_string());
        }
        Err(r.diags)
    }
}

struct Reader<'a> {
    file: &'a Arc<SourceFile>,
    index: &'a PosIndex,
    diags: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn loc(&self, path: &[String], key: bool) -> Option<Loc> {
        let pos = self.index.get(path).or_else(|| self.index.nearest(path))?;
        let (start, end) = match (key, pos.key) {
            (true, Some(k)) => (k, k + path.last().map(String::len).unwrap_or(1)),
            _ => (pos.start, pos.end),
        };
        let end = self.file.text[start..end.min(self.file.text.len())]
            .find('\n')
            .map(|n| start + n)
            .unwrap_or(end);
        Some(Loc::new(self.file, start, end))
    }

    fn error(&mut self, msg: String, path: &[String], key: bool, help: String) {
        let loc = self.loc(path, key);
        self.diags.push(
            Diagnostic::error("input", msg)
                .at(loc)
                .in_file(self.file.name.clone())
                .help(help),
        );
    }

    fn record(
        &mut self,
        schema: &RecordType,
        data: &crate::yaml::Data,
        path: &[String],
        dotted: &str,
    ) -> Value {
        let join = |k: &str| {
            if dotted.is_empty() {
                k.to_string()
            } else {
                format!("{dotted}.{k}")
            }
        };
        let map = match data {
            crate::yaml::Data::Mapping(m) => m,
            crate::yaml::Data::Tagged(t) => return self.record(schema, &t.value, path, dotted),
            other => {
                let what = if dotted.is_empty() {
                    "the application".to_string()
                } else {
                    format!("`{dotted}`")
                };
                self.error(
                    format!(
                        "{what} must be a mapping of fields, found {}",
                        value::describe_data(other)
                    ),
                    path,
                    false,
                    String::new(),
                );
                return Value::unknown(dotted);
            }
        };
        let mut out = IndexMap::new();
        for (k, _) in map {
            let Some(k) = k.as_str() else {
                self.error(
                    format!(
                        "a key in {} is not text",
                        if dotted.is_empty() {
                            "the application"
                        } else {
                            dotted
                        }
                    ),
                    path,
                    false,
                    String::new(),
                );
                continue;
            };
            if !schema.fields.contains_key(k) {
                let mut p = path.to_vec();
                p.push(k.to_string());
                let help = did_you_mean(k, schema.fields.keys().map(String::as_str));
                let help = if help.is_empty() {
                    format!(
                        "the fields here are: {}",
                        schema.fields.keys().cloned().collect::<Vec<_>>().join(", ")
                    )
                } else {
                    help.trim_start_matches("; ").to_string()
                };
                self.error(format!("unknown field `{}`", join(k)), &p, true, help);
            }
        }
        for (name, ft) in &schema.fields {
            let full = join(name);
            let mut p = path.to_vec();
            p.push(name.clone());
            let v = match map.get(name.as_str()) {
                None | Some(crate::yaml::Data::Null) => {
                    if !ft.optional {
                        self.error(
                            format!("the required field `{full}` is missing"),
                            path,
                            false,
                            format!("add `{name}:` with {}", value::describe_type(&ft.ty)),
                        );
                    }
                    Value::unknown(&full)
                }
                Some(data) => self.field(&ft.ty, data, &p, &full),
            };
            out.insert(name.clone(), v);
        }
        Value::Record(Arc::new(out))
    }

    fn field(
        &mut self,
        ty: &Type,
        data: &crate::yaml::Data,
        path: &[String],
        dotted: &str,
    ) -> Value {
        if let Type::Record(r) = ty {
            return self.record(r, data, path, dotted);
        }
        match value::from_data(data, ty) {
            Ok(v) => v,
            Err(e) => {
                let mut p = path.to_vec();
                p.extend(e.path.iter().cloned());
                self.error(
                    format!("`{dotted}`: {}", e.message),
                    &p,
                    false,
                    String::new(),
                );
                Value::unknown(dotted)
            }
        }
    }
}
