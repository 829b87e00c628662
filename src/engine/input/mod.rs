//! Reads an application (YAML or JSON) against a policy's input schema:
//! unknown keys, wrong types, missing required fields and names that match
//! no catalogue entry are errors with their place in the file; absent
//! optional fields become unknown values that name themselves.

use std::sync::Arc;

use crate::core::diag::Diagnostic;
use crate::core::source::{Loc, SourceFile};
use crate::core::suggest::did_you_mean;
use crate::core::text::escape;
use crate::core::value::{self, Value};
use crate::core::yaml::{self, Data, LazyIndex};
use crate::engine::Plan;
use crate::engine::plan::inputs::{FieldLayout, Layout};
use crate::lang::types::{FieldType, RecordType, Type};
use crate::policy::catalogue::Unresolved;

pub mod convert;
pub mod json;

/// Why an application was not read: what kind of fault, which decides
/// how a caller reports it (an exit status, an HTTP status).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFault {
    /// Not well-formed YAML or JSON.
    Malformed,
    /// It does not fit the schema (and may also name unknown entries).
    Schema,
    /// Every error is a name that matches no catalogue entry.
    UnknownEntry,
    /// Every error is a name that several catalogue entries share.
    AmbiguousEntry,
}

/// An application that was not read: the kind of fault and every
/// diagnostic, sorted.
#[derive(Clone, Debug)]
pub struct InputError {
    pub fault: InputFault,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the application in `file` as a record of the plan's schema.
pub fn read(plan: &Plan, file: &Arc<SourceFile>) -> Result<Value, Vec<Diagnostic>> {
    read_application(plan, file).map_err(|e| e.diagnostics)
}

/// [`read`], saying what kind of fault an application that is not read has.
pub fn read_application(plan: &Plan, file: &Arc<SourceFile>) -> Result<Value, InputError> {
    let mut data = yaml::value(&file.text).map_err(|e| InputError {
        fault: InputFault::Malformed,
        diagnostics: vec![
            Diagnostic::error("yaml", e.message)
                .at(e.offset.map(|o| Loc::new(file, o, e.end.unwrap_or(o + 1))))
                .in_file(file.name.clone()),
        ],
    })?;
    // Numbers are read from their digits as written; positions are found
    // only if a number or an error needs one.
    let built = yaml::keep_digits(&mut data, &file.text);
    let index = LazyIndex::with(file, built);
    let mut r = Reader::new(plan, file, Some(&index));
    let v = r.application(&data);
    r.required(&v);
    if r.diags.is_empty() {
        Ok(v)
    } else {
        crate::core::diag::sort(&mut r.diags);
        Err(r.into_error())
    }
}

/// Reads an application already parsed (a batch line, say), without
/// positions in a file; diagnostics name `name`.
pub fn from_data(plan: &Plan, data: &Data, name: &str) -> Result<Value, Vec<Diagnostic>> {
    read_data(plan, data, name).map_err(|e| e.diagnostics)
}

/// [`from_data`], saying what kind of fault an application that is not
/// read has.
pub fn read_data(plan: &Plan, data: &Data, name: &str) -> Result<Value, InputError> {
    let file = SourceFile::new(name, "");
    let mut r = Reader::new(plan, &file, None);
    let v = r.application(data);
    r.required(&v);
    if r.diags.is_empty() {
        return Ok(v);
    }
    for d in &mut r.diags {
        d.loc = None;
        d.file = Some(name.to_string());
    }
    Err(r.into_error())
}

/// `data` read as an application, or else the optional fields that a
/// `required_when` makes required and it leaves absent, by name: what a
/// generator of applications fills in. `None` when `data` does not read
/// for another reason.
pub fn read_or_required(plan: &Plan, data: &Data) -> Option<Result<Value, Vec<String>>> {
    let file = SourceFile::new("", "");
    let mut r = Reader::new(plan, &file, None);
    let v = r.application(data);
    if !r.diags.is_empty() || both_given(plan, &v).next().is_some() {
        return None;
    }
    let missing: Vec<String> = required_absent(plan, &v).map(|(n, _)| n.clone()).collect();
    Some(if missing.is_empty() {
        Ok(v)
    } else {
        Err(missing)
    })
}

/// The optional fields absent from `input` that a `required_when` makes
/// required, with the condition.
fn required_absent<'p>(
    plan: &'p Plan,
    input: &'p Value,
) -> impl Iterator<Item = &'p (String, crate::policy::Code)> {
    let policy = plan.policy();
    let inputs = &plan.program().inputs;
    let fields = match input {
        Value::Record(f) => Some(f),
        _ => None,
    };
    // Made at the first absent field whose condition has no table, if any.
    let mut over = None;
    let application = &inputs.application;
    let names = application.names();
    let conditions = policy
        .required_when
        .iter()
        .zip(&inputs.required)
        .enumerate();
    conditions.filter_map(move |(n, (rw @ (name, _), required))| {
        let fields = fields?;
        // Where the schema puts it, and a record read by it keeps it.
        let absent = match required.place.and_then(|i| Some((i, names.get(i)?))) {
            Some((i, key)) => fields.get_at(i, key),
            None => fields.get(name.as_str()),
        }
        .is_some_and(Value::is_unknown);
        let table = || required.truth.as_ref()?.holds(application, fields);
        let mut holds = || {
            table().unwrap_or_else(|| {
                let over =
                    over.get_or_insert_with(|| crate::engine::eval::OverInput::new(plan, input));
                matches!(over.required_when(n), Ok(Value::Bool(true)))
            })
        };
        (absent && holds()).then_some(rw)
    })
}

/// Whether a `required_when` makes an absent field of `input` required,
/// or a reference and the field for what its catalogue does not list are
/// given together.
fn requires_more(plan: &Plan, input: &Value) -> bool {
    required_absent(plan, input).next().is_some() || both_given(plan, input).next().is_some()
}

/// The pairs of a reference field and its `unlisted` field that `input`
/// gives both of.
fn both_given<'p>(plan: &'p Plan, input: &'p Value) -> impl Iterator<Item = &'p (String, String)> {
    let fields = match input {
        Value::Record(f) => Some(f),
        _ => None,
    };
    let given = move |name: &str| {
        fields
            .and_then(|f| f.get(name))
            .is_some_and(|v| !v.is_unknown())
    };
    plan.policy()
        .unlisted
        .iter()
        .filter(move |(r, u)| given(r) && given(u))
}

struct Reader<'a> {
    plan: &'a Plan,
    file: &'a Arc<SourceFile>,
    /// Where the application's nodes stand, when it was read from a file.
    index: Option<&'a LazyIndex>,
    diags: Vec<Diagnostic>,
    /// How many of `diags` are names of no entry, and names of several.
    unknown_entries: usize,
    ambiguous_entries: usize,
}

impl<'a> Reader<'a> {
    fn new(plan: &'a Plan, file: &'a Arc<SourceFile>, index: Option<&'a LazyIndex>) -> Reader<'a> {
        Reader {
            plan,
            file,
            index,
            diags: Vec::new(),
            unknown_entries: 0,
            ambiguous_entries: 0,
        }
    }

    /// The diagnostics as an error: a fault of the schema unless every one
    /// is a name of no entry, or every one a name of several.
    fn into_error(self) -> InputError {
        let n = self.diags.len();
        let fault = if self.unknown_entries == n {
            InputFault::UnknownEntry
        } else if self.ambiguous_entries == n {
            InputFault::AmbiguousEntry
        } else {
            InputFault::Schema
        };
        InputError {
            fault,
            diagnostics: self.diags,
        }
    }

    /// Reports optional fields that a `required_when` makes required, and
    /// a reference given together with its `unlisted` field.
    fn required(&mut self, input: &Value) {
        if !self.diags.is_empty() {
            return;
        }
        for (name, unlisted) in both_given(self.plan, input) {
            self.error(
                format!("`{name}` and `{unlisted}` are both given: an application names an entry it lists, or what it does not list, not both"),
                std::slice::from_ref(unlisted),
                true,
                format!("keep `{name}` if it is listed, else `{unlisted}`"),
            );
        }
        for (name, code) in required_absent(self.plan, input) {
            let ty = self
                .plan
                .policy()
                .input
                .fields
                .get(name.as_str())
                .map(|f| crate::lang::convert::describe_type(&f.ty))
                .unwrap_or_default();
            self.error(
                format!("the field `{name}` is required when {}", code.text.trim()),
                &[],
                false,
                format!("add `{name}:` with {ty}"),
            );
        }
    }

    fn loc(&self, path: &[String], key: bool) -> Option<Loc> {
        let index = self.index?.index();
        let pos = index.get(path).or_else(|| index.nearest(path))?;
        let (start, end) = match (key, pos.key) {
            (true, Some(k)) => {
                let len = path.last().map(String::len).unwrap_or(1);
                // A quoted key (as in JSON) is underlined with its quotes.
                let quoted = matches!(self.file.text.as_bytes().get(k), Some(b'"' | b'\''));
                (k, k + len + if quoted { 2 } else { 0 })
            }
            _ => (pos.start, pos.end),
        };
        // A key's end is reckoned from its text without escapes, so that
        // it may fall inside a character: move it to the character's end.
        let text = &self.file.text;
        let mut end = end.min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let end = text
            .get(start..end)
            .and_then(|s| s.find('\n'))
            .map(|n| start + n)
            .unwrap_or(end);
        Some(Loc::new(self.file, start, end))
    }

    fn error(&mut self, msg: String, path: &[String], key: bool, help: String) {
        self.error_code("input", msg, path, key, help);
    }

    fn error_code(
        &mut self,
        code: &'static str,
        msg: String,
        path: &[String],
        key: bool,
        help: String,
    ) {
        let loc = self.loc(path, key);
        self.diags.push(
            Diagnostic::error(code, msg)
                .at(loc)
                .in_file(self.file.name.clone())
                .help(help),
        );
    }

    /// The application in `data`, as a record of the schema.
    fn application(&mut self, data: &Data) -> Value {
        let plan = self.plan;
        let layout = &plan.program().inputs.application;
        self.record(&plan.policy().input, layout, data, None)
    }

    fn record(
        &mut self,
        schema: &RecordType,
        layout: &Layout,
        data: &Data,
        at: Option<&At<'_>>,
    ) -> Value {
        let path = || path_of(at);
        let dotted = || path_of(at).join(".");
        let what = || match at {
            None => "the application".to_string(),
            Some(a) => format!("`{}`", a.dotted()),
        };
        let map = match data {
            Data::Mapping(m) => m,
            Data::Tagged(t) if yaml::digits(data).is_none() => {
                return self.record(schema, layout, &t.value, at);
            }
            Data::Null if at.is_none() => {
                self.error(
                    "the application is empty".into(),
                    &[],
                    false,
                    "write its fields as `name: value`, one a line".into(),
                );
                return Value::unknown("");
            }
            other => {
                let msg = format!(
                    "{} must be a mapping of fields, found {}",
                    what(),
                    value::describe_data(other)
                );
                self.error(msg, &path(), false, String::new());
                return Value::unknown(dotted());
            }
        };
        // Each field's data, by its place in the schema.
        let mut given: Vec<Option<&Data>> = vec![None; schema.fields.len()];
        for (k, v) in map {
            let Some(k) = k.as_str() else {
                self.error(
                    format!("a key in {} is not text", what()),
                    &path(),
                    false,
                    String::new(),
                );
                continue;
            };
            match layout.place(k) {
                Some(i) => given[i] = Some(v),
                None => {
                    let here = At {
                        parent: at,
                        name: k,
                    };
                    let help = did_you_mean(k, schema.fields.keys().map(|k| &**k));
                    let help = if help.is_empty() {
                        let names: Vec<&str> = schema.fields.keys().map(|k| &**k).collect();
                        format!("the fields here are: {}", names.join(", "))
                    } else {
                        help.trim_start_matches("; ").to_string()
                    };
                    let msg = format!("unknown field `{}`", escape(&here.dotted()));
                    self.error(msg, &here.path(), true, help);
                }
            }
        }
        // A field that another settles (`within`) is read after that one.
        let fields = || schema.fields.iter().enumerate();
        let order = fields()
            .filter(|(_, (_, f))| f.options.within.is_none())
            .chain(fields().filter(|(_, (_, f))| f.options.within.is_some()));
        let mut slots: Vec<Option<Value>> = vec![None; schema.fields.len()];
        for (i, (name, ft)) in order {
            let here = At { parent: at, name };
            let fl = layout.field(i);
            let v = match given[i] {
                None | Some(Data::Null) => {
                    if !ft.optional {
                        self.error(
                            format!("the required field `{}` is missing", here.dotted()),
                            &path(),
                            false,
                            format!(
                                "add `{name}:` with {}",
                                crate::lang::convert::describe_type(&ft.ty)
                            ),
                        );
                    }
                    convert::absent(fl)
                }
                Some(data) => {
                    let settled = convert::settled(fl, |w| slots.get(w)?.as_ref());
                    self.field(ft, fl, data, &here, settled)
                }
            };
            slots[i] = Some(v);
        }
        // In the order of declaration: evaluation finds fields by their
        // place in it.
        // Every slot is filled above, each field in its place.
        let values = slots
            .into_iter()
            .map(|v| v.unwrap_or(Value::Unknown(Default::default())));
        layout.record(values.collect())
    }

    fn field(
        &mut self,
        ft: &FieldType,
        fl: &FieldLayout,
        data: &Data,
        at: &At<'_>,
        within: Option<usize>,
    ) -> Value {
        match (&ft.ty, &fl.record) {
            (Type::Record(r), Some(layout)) => return self.record(r, layout, data, Some(at)),
            (Type::Ref(c), _) => return self.entry(c, ft, fl, data, at, within),
            _ => {}
        }
        match convert::field_data(ft, data) {
            Ok(v) => v,
            Err(e) => {
                let mut p = at.path();
                p.extend(e.path.iter().cloned());
                self.error(
                    format!("`{}`: {}", at.dotted(), e.message),
                    &p,
                    false,
                    String::new(),
                );
                Value::unknown(at.dotted())
            }
        }
    }

    /// Resolves the id or official name of a catalogue entry.
    fn entry(
        &mut self,
        cat: &str,
        ft: &FieldType,
        fl: &FieldLayout,
        data: &Data,
        at: &At<'_>,
        within: Option<usize>,
    ) -> Value {
        let text = value::Scalar::of(data).and_then(|s| s.text());
        let unresolved = match convert::entry(self.plan, ft, fl, text.as_deref(), within) {
            Ok(v) => return v,
            Err(convert::EntryFault::NoCatalogue) => return Value::unknown(at.dotted()),
            Err(convert::EntryFault::NotText) => {
                let (dotted, path) = (&at.dotted(), &at.path());
                let msg = format!(
                    "`{dotted}`: expected {}, found {}",
                    crate::lang::convert::describe_type(&ft.ty),
                    value::describe_data(data)
                );
                self.error(msg, path, false, String::new());
                return Value::unknown(dotted);
            }
            Err(convert::EntryFault::Unresolved(u)) => u,
        };
        let text = text.as_deref().unwrap_or_default();
        let (dotted, path) = (&at.dotted(), &at.path());
        match unresolved {
            Unresolved::Unknown { suggestions } => {
                let mut help = match suggestions.as_slice() {
                    [] => format!("give the id or the official name of an entry of `{cat}`"),
                    s => {
                        let names: Vec<String> = s.iter().map(|n| format!("`{n}`")).collect();
                        format!("did you mean {}?", names.join(" or "))
                    }
                };
                if let Some(u) = &ft.options.unlisted {
                    help += &format!(
                        "; if it is not in `{cat}`, give it as `{u}: {}` instead of `{dotted}`",
                        yaml_text(text)
                    );
                }
                let msg = format!(
                    "`{dotted}`: `{}` is not the id or official name of an entry of `{cat}`",
                    escape(text)
                );
                self.unknown_entries += 1;
                self.error_code("unknown-entry", msg, path, false, help);
                Value::unknown(dotted)
            }
            Unresolved::Ambiguous { candidates } => {
                let list: Vec<String> = candidates
                    .iter()
                    .map(|(id, p)| format!("{id} ({p})"))
                    .collect();
                let help = match &ft.options.within {
                    Some(w) => format!("give `{w}` to choose, or the id"),
                    None => "give the id instead".to_string(),
                };
                let msg = format!(
                    "`{dotted}`: `{}` names {} entries: {}",
                    escape(text),
                    candidates.len(),
                    list.join("; ")
                );
                self.ambiguous_entries += 1;
                self.error_code("ambiguous-entry", msg, path, false, help);
                Value::unknown(dotted)
            }
            Unresolved::WrongKind { id, kind } => {
                let want = ft.options.kinds.clone().unwrap_or_default().join(" or ");
                self.error(
                    format!("`{dotted}`: `{id}` is a {kind}, not a {want}"),
                    path,
                    false,
                    String::new(),
                );
                Value::unknown(dotted)
            }
        }
    }
}

/// `text` as a YAML scalar a person can paste: plain where it reads back
/// as the same text, else in double quotes.
fn yaml_text(text: &str) -> String {
    let plain = !text.is_empty()
        && !text.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace())
        && !text.ends_with(char::is_whitespace)
        && !text.contains(": ")
        && !text.contains(" #")
        && text.parse::<f64>().is_err()
        && !matches!(text, "true" | "false" | "null" | "~")
        && !text.chars().any(crate::core::text::is_hidden);
    match plain {
        true => text.to_string(),
        false => serde_json::to_string(text).unwrap_or_default(),
    }
}

/// Where a field stands in the application: its name and its parent's
/// place. Built on the stack while reading, and turned into a path or a
/// dotted name only when a message or an unknown needs one.
struct At<'a> {
    parent: Option<&'a At<'a>>,
    name: &'a str,
}

impl At<'_> {
    /// The keys from the root, as positions are looked up.
    fn path(&self) -> Vec<String> {
        path_of(Some(self))
    }

    /// The keys joined with dots: `education.higher_in_specialty`.
    fn dotted(&self) -> String {
        self.path().join(".")
    }
}

/// The keys from the root to `at`; none at the root.
fn path_of(at: Option<&At<'_>>) -> Vec<String> {
    let mut p = Vec::new();
    let mut cur = at;
    while let Some(a) = cur {
        p.push(a.name.to_string());
        cur = a.parent;
    }
    p.reverse();
    p
}
