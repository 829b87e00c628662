//! Files to a checked policy: reads the manifest and its includes, converts
//! every declaration, type-checks every expression, and gathers every
//! diagnostic rather than stopping at the first.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use indexmap::IndexMap;

use super::model::{self, FieldDecl, PolicyFile};
use super::{
    Code, Computed, Decision, Info, Meta, Param, Policy, Row, Rule, RuleReason, Site, Table,
};
use crate::ast::{BinOp, Cell, ExprKind, Literal, Resolution};
use crate::check::{self, Env};
use crate::diag::Diagnostic;
use crate::source::{Loc, SourceFile};
use crate::suggest::did_you_mean;
use crate::syntax::{self, SyntaxError};
use crate::types::{FieldType, RecordType, Type};
use crate::value::{self, Value};
use crate::yaml::{self, PosIndex};

/// Gives a file's display name and text for a path relative to a package.
/// `Sync` so that files can be read while others are parsed.
pub type ReadFile<'a> = dyn Fn(&str) -> Result<(String, String), String> + Sync + 'a;

/// A computed value as declared: name, file, expression, declared type, info.
type ValueSlot = (
    String,
    usize,
    Option<Code>,
    Option<Type>,
    Info,
    Option<Code>,
);

/// A policy that loaded, with the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    pub policy: Policy,
    pub warnings: Vec<Diagnostic>,
}

/// The file a package directory's manifest is read from.
pub const MANIFEST: &str = "policy.yaml";

/// Loads a package from a directory (its `policy.yaml`) or a manifest file.
pub fn load_dir(path: &Path) -> Result<Loaded, Vec<Diagnostic>> {
    let (dir, manifest) = if path.is_dir() {
        (path.to_path_buf(), path.join(MANIFEST))
    } else {
        (
            path.parent().map(Path::to_path_buf).unwrap_or_default(),
            path.to_path_buf(),
        )
    };
    let name = |rel: &str| {
        if rel == "\0manifest" {
            manifest.display().to_string()
        } else {
            normalize(&dir.join(rel)).display().to_string()
        }
    };
    let read = |rel: &str| -> Result<(String, String), String> {
        let p = if rel == "\0manifest" {
            manifest.clone()
        } else {
            normalize(&dir.join(rel))
        };
        std::fs::read_to_string(&p)
            .map(|t| (name(rel), t))
            .map_err(|e| format!("cannot read `{}`: {}", p.display(), io_reason(&e)))
    };
    load_files(&read)
}

/// `a/b/../c` as `a/c`, without touching the file system, so that names in
/// diagnostics read as a person would write them.
pub fn normalize(p: &Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// Words for an I/O error, without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::InvalidData => "it is not UTF-8 text".into(),
        std::io::ErrorKind::IsADirectory => "it is a directory".into(),
        _ => e.to_string(),
    }
}

/// Loads a package through `read`, which gives a file's display name and
/// text for a path relative to the package (`"\0manifest"` for the
/// manifest). Lets a package be loaded from memory as well as from disk.
pub fn load_files(read: &ReadFile) -> Result<Loaded, Vec<Diagnostic>> {
    let mut ld = Loader::default();
    let manifest = match read("\0manifest") {
        Ok(x) => x,
        Err(e) => return Err(vec![Diagnostic::error("io", e)]),
    };
    let Some(first) = ld.parse_file(manifest.0, manifest.1) else {
        return Err(ld.diags);
    };
    let includes = std::mem::take(&mut ld.parsed[first].1.include);
    // The manifest's calendars load on a thread of their own while the
    // included files are read in order, parsed in parallel, and then taken
    // in order.
    let calendar_paths: Vec<String> = ld.parsed[first].1.calendars.values().cloned().collect();
    let (texts, prepared, preloaded) = std::thread::scope(|s| {
        let calendars = s.spawn(|| {
            calendar_paths
                .iter()
                .map(|p| (p.clone(), crate::calendar::load(read, p)))
                .collect::<HashMap<_, _>>()
        });
        let texts: Vec<Result<(String, String), String>> =
            includes.iter().map(|rel| read(rel)).collect();
        let prepared = crate::par::map(&texts, |t| {
            t.as_ref()
                .ok()
                .map(|(name, text)| prepare(name.clone(), text.clone()))
        });
        // Should that thread fail, `build` loads the calendars itself.
        (texts, prepared, calendars.join().unwrap_or_default())
    });
    ld.preloaded = preloaded;
    let mut prepared = prepared.into_iter();
    for (i, t) in texts.into_iter().enumerate() {
        let p = prepared.next().flatten();
        match (t, p) {
            (Ok(_), Some(p)) => {
                if let Some(ix) = ld.add_file(p)
                    && (ld.parsed[ix].1.package.is_some() || !ld.parsed[ix].1.include.is_empty())
                {
                    let loc = ld.loc(ix, &["package"], true);
                    ld.error(
                        "structure",
                        "an included file may not have `package` or `include`",
                        loc,
                    );
                }
            }
            (Err(e), _) => {
                let loc = ld.loc(first, &["include", &i.to_string()], false);
                ld.error("io", e, loc);
            }
            (Ok(_), None) => {}
        }
    }
    // A file that is not read leaves its names undeclared: checking the
    // rest would bury its error under names reported unknown.
    if ld.diags.iter().any(|d| d.code == "yaml") {
        return Err(ld.diags);
    }
    ld.build(read)
}

/// Where a YAML error points, and a hint: an unknown key is underlined
/// whole, with the nearest expected key suggested.
pub fn yaml_error_place(file: &Arc<SourceFile>, e: &yaml::YamlError) -> (Option<Loc>, String) {
    let Some(o) = e.offset else {
        return (None, String::new());
    };
    let quoted = |from: &str| -> Option<String> {
        let rest = &e.message[e.message.find(from)? + from.len()..];
        Some(rest.split('`').next()?.to_string())
    };
    if let Some(key) = quoted("unknown field `") {
        let expected: Vec<String> = e
            .message
            .split("expected one of ")
            .nth(1)
            .map(|l| {
                l.split(", ")
                    .map(|k| k.trim_matches('`').to_string())
                    .collect()
            })
            .unwrap_or_default();
        let help = match crate::suggest::closest(&key, expected.iter().map(String::as_str)) {
            _ if key.contains([')', ']', '"']) => {
                "inside `{...}`, a comma ends the value: quote an expression that has commas"
                    .to_string()
            }
            Some(c) => format!("did you mean `{c}`?"),
            None => "remove the key, or check its spelling and indentation".to_string(),
        };
        return (Some(Loc::new(file, o, o + key.len())), help);
    }
    (Some(Loc::new(file, o, o + 1)), String::new())
}

/// The catalogue a type names, for `ref(name)`.
fn ref_name(ty: &str) -> Option<String> {
    match crate::syntax::parse_type(ty) {
        Ok(Type::Ref(c)) => Some(c.to_string()),
        _ => None,
    }
}

/// The top-level input fields and the catalogue each refers to, if any.
fn input_siblings(input: &IndexMap<String, From<FieldDecl>>) -> HashMap<String, Option<String>> {
    input
        .iter()
        .map(|(k, (_, d))| (k.clone(), d.ty.as_deref().and_then(ref_name)))
        .collect()
}

/// The table names given as first arguments of `lookup`, which name
/// tables rather than values.
fn table_args(e: &crate::ast::Expr) -> Vec<&crate::ast::Expr> {
    let mut out = Vec::new();
    e.walk(&mut |x| {
        if let ExprKind::Call(c) = &x.kind
            && c.func.node == "lookup"
            && let Some(first) = c.args.first()
        {
            out.push(first);
        }
    });
    out
}

/// The fields every item declaration has.
struct Common<'a> {
    cite: &'a str,
    interpretation: &'a Option<String>,
    label: &'a Option<model::Label>,
    description: &'a Option<String>,
    provision: &'a Option<String>,
}

impl<'a> Common<'a> {
    fn of<D: Item>(d: &'a D) -> Common<'a> {
        d.common()
    }
}

/// A declaration with the common fields of an item.
trait Item {
    fn common(&self) -> Common<'_>;
}

macro_rules! item {
    ($($t:ty),*) => {$(
        impl Item for $t {
            fn common(&self) -> Common<'_> {
                Common {
                    cite: &self.cite,
                    interpretation: &self.interpretation,
                    label: &self.label,
                    description: &self.description,
                    provision: &self.provision,
                }
            }
        }
    )*};
}
item!(
    model::ParamDecl,
    model::TableDecl,
    model::ValueDecl,
    model::ReasonDecl,
    model::CatalogueDecl
);

/// A policy file with its positions and its parse, ready for the loader.
type Prepared = (
    Arc<SourceFile>,
    PosIndex,
    Result<PolicyFile, yaml::YamlError>,
);

/// Reads a file's positions and structure: the part of loading that needs
/// nothing but the file, so files can be prepared in parallel.
fn prepare(name: String, text: String) -> Prepared {
    let file = SourceFile::new(name, text);
    let index = PosIndex::new(&file.text);
    let parsed = yaml::from_str::<PolicyFile>(&file.text);
    (file, index, parsed)
}

#[derive(Default)]
struct Loader {
    diags: Vec<Diagnostic>,
    /// The provisions the history declares.
    provisions: Vec<String>,
    files: Vec<(Arc<SourceFile>, PosIndex)>,
    parsed: Vec<(usize, PolicyFile)>,
    /// Expressions and types already parsed, by their text: a policy says
    /// `service == "issue"` many times, and parsing is most of checking.
    parsed_exprs: HashMap<String, crate::ast::Expr>,
    parsed_types: HashMap<String, Type>,
    /// The memo slot of each code key (see `Code::memo_key`).
    memo_ids: HashMap<String, usize>,
    /// How many codes share each memo slot.
    memo_uses: Vec<usize>,
    /// Calendars loaded ahead, by their declared path.
    preloaded: HashMap<String, Result<Arc<crate::calendar::Calendar>, Vec<Diagnostic>>>,
}

/// An item's declaration and the file it came from.
type From<T> = (usize, T);

impl Loader {
    fn error(&mut self, code: &'static str, msg: impl Into<String>, loc: Option<Loc>) {
        self.diags.push(Diagnostic::error(code, msg).at(loc));
    }

    fn error_help(
        &mut self,
        code: &'static str,
        msg: impl Into<String>,
        loc: Option<Loc>,
        help: String,
    ) {
        self.diags
            .push(Diagnostic::error(code, msg).at(loc).help(help));
    }

    fn parse_file(&mut self, name: String, text: String) -> Option<usize> {
        self.add_file(prepare(name, text))
    }

    /// Takes a file read by [`prepare`].
    fn add_file(&mut self, prepared: Prepared) -> Option<usize> {
        let (file, index, parsed) = prepared;
        let ix = self.files.len();
        self.files.push((file.clone(), index));
        match parsed {
            Ok(p) => {
                self.parsed.push((ix, p));
                Some(self.parsed.len() - 1)
            }
            Err(e) => {
                let (loc, help) = yaml_error_place(&file, &e);
                self.diags.push(
                    Diagnostic::error("yaml", e.message)
                        .at(loc)
                        .in_file(file.name.clone())
                        .help(help),
                );
                None
            }
        }
    }

    /// The place of the node at `path` in file `f` (of its key if `key`).
    fn loc(&self, f: usize, path: &[&str], key: bool) -> Option<Loc> {
        let (file, index) = self.files.get(f)?;
        let path: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        let exact = index.get(&path);
        let pos = exact.or_else(|| index.nearest(&path))?;
        let (start, end) = match (key, pos.key) {
            (true, Some(k)) => {
                let len = path.last().map(|s| s.len()).unwrap_or(1);
                (k, k + len)
            }
            _ => (
                pos.start,
                if exact.is_some() {
                    pos.end
                } else {
                    pos.start + 1
                },
            ),
        };
        // A collection's span runs to its end; point at its first line.
        let end = file.text[start..end.min(file.text.len())]
            .find('\n')
            .map(|n| start + n)
            .unwrap_or(end);
        Some(Loc::new(file, start, end))
    }

    fn info(
        &mut self,
        f: usize,
        path: &[&str],
        cite: &str,
        interpretation: &Option<String>,
        label: &Option<model::Label>,
        description: &Option<String>,
    ) -> Info {
        if cite.trim().is_empty() {
            let mut p: Vec<&str> = path.to_vec();
            p.push("cite");
            let loc = self.loc(f, &p, false);
            self.error("citation", "the citation is empty", loc);
        }
        Info {
            cite: cite.to_string(),
            interpretation: interpretation.clone(),
            label: label.clone().unwrap_or_default(),
            description: description.clone(),
            loc: self.loc(f, path, true),
            provision: None,
            from: None,
            until: None,
            provision_index: Default::default(),
        }
    }

    /// Reads an item's `in_force` into its info.
    fn interval(
        &mut self,
        f: usize,
        path: &[&str],
        i: &Option<model::IntervalDecl>,
        info: &mut Info,
    ) {
        let Some(i) = i else { return };
        let mut p = path.to_vec();
        p.extend(["in_force", "from"]);
        info.from = self.date(f, &p, &i.from);
        if let Some(u) = &i.until {
            p.pop();
            p.push("until");
            info.until = self.date(f, &p, u);
        }
    }

    /// An item's provenance with its provision checked and labels checked
    /// against the package's languages.
    fn item(&mut self, f: usize, path: &[&str], c: Common<'_>, langs: &[String]) -> Info {
        let mut info = self.info(f, path, c.cite, c.interpretation, c.label, c.description);
        info.provision = self.prov(f, path, c.provision);
        let mut lp = path.to_vec();
        lp.push("label");
        self.labels(langs, f, &lp, &info.label);
        info
    }

    /// Parses an expression written at `path` in file `f`.
    fn code(&mut self, f: usize, path: &[&str], text: &str) -> Option<Code> {
        let site = self.site(f, path, text);
        let parsed = match self.parsed_exprs.get(text) {
            Some(e) => Ok(e.clone()),
            None => syntax::parse_expr(text).inspect(|e| {
                self.parsed_exprs.insert(text.to_string(), e.clone());
            }),
        };
        match parsed {
            Ok(expr) => Some(Code {
                text: text.to_string(),
                expr,
                site,
                refs: vec![],
                memo: None,
            }),
            Err(e) => {
                self.syntax_error(&site, text, &e);
                None
            }
        }
    }

    fn site(&self, f: usize, path: &[&str], text: &str) -> Site {
        let (file, index) = &self.files[f];
        let p: Vec<String> = path.iter().map(|s| s.to_string()).collect();
        let offsets = match index.get(&p) {
            Some(pos) => index.align(&file.text, pos, text),
            None => vec![0; text.len() + 1],
        };
        Site {
            file: file.clone(),
            offsets,
        }
    }

    fn syntax_error(&mut self, site: &Site, text: &str, e: &SyntaxError) {
        let help = e.help(text).unwrap_or_default();
        self.error_help("syntax", e.to_string(), Some(site.loc(e.span)), help);
    }

    fn ty(&mut self, f: usize, path: &[&str], text: &str) -> Option<Type> {
        if let Some(t) = self.parsed_types.get(text) {
            return Some(t.clone());
        }
        match syntax::parse_type(text) {
            Ok(t) => {
                self.parsed_types.insert(text.to_string(), t.clone());
                Some(t)
            }
            Err(e) => {
                let site = self.site(f, path, text);
                let word: String = text
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let names = [
                    "int", "decimal", "bool", "string", "date", "datetime", "time", "duration",
                    "list", "enum",
                ];
                let help = match crate::suggest::closest(&word, names) {
                    Some(n) if n != word => format!("did you mean `{n}`?"),
                    _ => "types are int, decimal, bool, string, date, datetime, time, duration, list<T> and enum(a, b)".into(),
                };
                let loc = site.loc(crate::syntax::Span::new(0, text.len()));
                self.error_help("syntax", format!("`{text}` is not a type"), Some(loc), help);
                let _ = e;
                None
            }
        }
    }

    fn date(&mut self, f: usize, path: &[&str], text: &str) -> Option<NaiveDate> {
        match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(d) => Some(d),
            Err(_) => {
                let loc = self.loc(f, path, false);
                self.error_help(
                    "date",
                    format!("`{text}` is not a date"),
                    loc,
                    "dates are written YYYY-MM-DD".into(),
                );
                None
            }
        }
    }

    /// A date written as a mapping key, such as a dated value's.
    fn date_key(&mut self, f: usize, path: &[&str], text: &str) -> Option<NaiveDate> {
        let d = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
        if d.is_none() {
            let loc = self.loc(f, path, true);
            self.error_help(
                "date",
                format!("`{text}` is not a date"),
                loc,
                "dates are written YYYY-MM-DD".into(),
            );
        }
        d
    }

    fn data(
        &mut self,
        f: usize,
        path: &[&str],
        data: &crate::yaml::Data,
        ty: &Type,
    ) -> Option<Value> {
        match value::from_data(data, ty) {
            Ok(v) => Some(v),
            Err(e) => {
                let mut p: Vec<&str> = path.to_vec();
                p.extend(e.path.iter().map(String::as_str));
                let loc = self.loc(f, &p, false);
                self.error("type", e.message, loc);
                None
            }
        }
    }

    fn labels(&mut self, langs: &[String], f: usize, path: &[&str], label: &model::Label) {
        for (k, v) in label {
            let ok = if k == "official" {
                langs.contains(v)
            } else {
                langs.contains(k)
            };
            if !ok {
                let mut p: Vec<&str> = path.to_vec();
                p.push(k);
                let loc = self.loc(f, &p, k != "official");
                let what = if k == "official" { v } else { k };
                let help = if what.contains(char::is_whitespace) {
                    "inside `{...}`, a comma ends the value: quote text that has commas".to_string()
                } else {
                    format!("the package's languages are {}", langs.join(", "))
                };
                self.error_help(
                    "label",
                    format!("`{what}` is not one of the package's languages"),
                    loc,
                    help,
                );
            }
        }
    }

    fn build(mut self, read: &ReadFile<'_>) -> Result<Loaded, Vec<Diagnostic>> {
        // Gather every section, remembering each item's file.
        let parsed = std::mem::take(&mut self.parsed);
        let mut package = None;
        let mut input: IndexMap<String, From<FieldDecl>> = IndexMap::new();
        let mut params = IndexMap::new();
        let mut tables = IndexMap::new();
        let mut values = IndexMap::new();
        let mut reasons = IndexMap::new();
        let mut decision = None;
        let mut calendars: IndexMap<String, (usize, String)> = IndexMap::new();
        let mut catalogues = IndexMap::new();
        let mut history = None;
        let mut warnings = IndexMap::new();
        let mut forms = IndexMap::new();
        let mut report = IndexMap::new();
        for (f, file) in parsed {
            if let Some(h) = file.history {
                if history.is_some() {
                    let loc = self.loc(f, &["history"], true);
                    self.error("duplicate", "`history` is declared twice", loc);
                } else {
                    history = Some((f, h));
                }
            }
            for (k, v) in file.calendars {
                if calendars.contains_key(&k) {
                    let loc = self.loc(f, &["calendars", &k], true);
                    self.error(
                        "duplicate",
                        format!("calendar `{k}` is declared twice"),
                        loc,
                    );
                } else {
                    calendars.insert(k, (f, v));
                }
            }
            if let Some(p) = file.package {
                package = Some((f, p));
            }
            macro_rules! merge {
                ($section:literal, $src:expr, $dst:expr) => {
                    for (k, v) in $src {
                        if $dst.contains_key(&k) {
                            let loc = self.loc(f, &[$section, &k], true);
                            self.error(
                                "duplicate",
                                format!("`{k}` is declared twice in `{}`", $section),
                                loc,
                            );
                        } else {
                            $dst.insert(k, (f, v));
                        }
                    }
                };
            }
            merge!("input", file.input, input);
            merge!("parameters", file.parameters, params);
            merge!("tables", file.tables, tables);
            merge!("values", file.values, values);
            merge!("reasons", file.reasons, reasons);
            merge!("catalogues", file.catalogues, catalogues);
            merge!("warnings", file.warnings, warnings);
            merge!("forms", file.forms, forms);
            merge!("report", file.report, report);
            if let Some(d) = file.decision {
                if decision.is_some() {
                    let loc = self.loc(f, &["decision"], true);
                    self.error("duplicate", "`decision` is declared twice", loc);
                } else {
                    decision = Some((f, d));
                }
            }
        }
        let Some((pf, pkg)) = package else {
            let name = self
                .files
                .first()
                .map(|f| f.0.name.clone())
                .unwrap_or_default();
            self.diags.push(
                Diagnostic::error("structure", "the manifest has no `package` section")
                    .in_file(name),
            );
            return Err(self.diags);
        };
        let langs = pkg.languages.clone();
        if !langs.contains(&pkg.official_language) {
            let loc = self.loc(pf, &["package", "official_language"], false);
            self.error(
                "label",
                format!(
                    "`{}` is not one of the package's languages",
                    pkg.official_language
                ),
                loc,
            );
        }
        self.labels(&langs, pf, &["package", "title"], &pkg.title);
        let from = self.date(pf, &["package", "in_force", "from"], &pkg.in_force.from);
        let until = match &pkg.in_force.until {
            Some(u) => self.date(pf, &["package", "in_force", "until"], u),
            None => None,
        };
        if let (Some(a), Some(b)) = (from, until)
            && b <= a
        {
            let loc = self.loc(pf, &["package", "in_force", "until"], false);
            self.error("date", "the act ends before it starts", loc);
        }

        // The act's history, before the items that name its provisions.
        let out_history = match &history {
            Some((f, h)) => {
                self.provisions = h.provisions.keys().cloned().collect();
                self.history(*f, h, from)
            }
            None => Default::default(),
        };

        // The input schema.
        let mut field_info = IndexMap::new();
        let mut schema = RecordType::default();
        for (name, (f, decl)) in &input {
            if let Some(ft) = self.field(*f, &["input", name], name, decl, &langs, &mut field_info)
            {
                schema.fields.insert(name.as_str().into(), ft);
            }
        }
        let schema = Arc::new(schema);

        // Parameters.
        let mut out_params = IndexMap::new();
        for (name, (f, d)) in &params {
            let f = *f;
            let base = ["parameters", name.as_str()];
            let info = self.item(f, &base, Common::of(d), &langs);
            let Some(ty) = self.ty(f, &[base[0], base[1], "type"], &d.ty) else {
                continue;
            };
            let mut dated = Vec::new();
            match (&d.value, &d.values) {
                (Some(v), None) => {
                    let v = if v.is_null() {
                        None
                    } else {
                        self.data(f, &[base[0], base[1], "value"], v, &ty)
                    };
                    dated.push((from.unwrap_or(NaiveDate::MIN), v));
                }
                (None, Some(map)) => {
                    let mut last: Option<NaiveDate> = None;
                    for (k, v) in map {
                        let path = [base[0], base[1], "values", k.as_str()];
                        let Some(day) = self.date_key(f, &path, k) else {
                            continue;
                        };
                        if last.is_some_and(|l| l >= day) {
                            let loc = self.loc(f, &path, true);
                            self.error(
                                "date",
                                "dated values must be in ascending order of date",
                                loc,
                            );
                        }
                        last = Some(day);
                        let v = if v.is_null() {
                            None
                        } else {
                            self.data(f, &path, v, &ty)
                        };
                        dated.push((day, v));
                    }
                }
                _ => {
                    let loc = self.loc(f, &base, true);
                    self.error_help(
                        "structure",
                        format!("parameter `{name}` needs exactly one of `value` and `values`"),
                        loc,
                        "write `value: null` for a value the act does not give".into(),
                    );
                    continue;
                }
            }
            out_params.insert(
                name.clone(),
                Param {
                    name: name.clone(),
                    ty,
                    values: dated,
                    info,
                },
            );
        }

        // Tables.
        let mut out_tables = Vec::new();
        for (name, (f, d)) in &tables {
            if let Some(t) = self.table(*f, name, d, &langs) {
                out_tables.push(t);
            }
        }

        // Names must not collide across inputs, parameters and values.
        let mut owner: HashMap<&str, &str> = HashMap::new();
        for n in input.keys() {
            owner.insert(n, "an input field");
        }
        for (n, (f, _)) in &params {
            if let Some(o) = owner.insert(n, "a parameter") {
                let loc = self.loc(*f, &["parameters", n], true);
                self.error(
                    "duplicate",
                    format!("`{n}` is both {o} and a parameter"),
                    loc,
                );
            }
        }
        for (n, (f, _)) in &values {
            if let Some(o) = owner.insert(n, "a value") {
                let loc = self.loc(*f, &["values", n], true);
                self.error(
                    "duplicate",
                    format!("`{n}` is both {o} and a computed value"),
                    loc,
                );
            }
        }

        // Computed values: parse, order by dependency, then check.
        let mut parsed_values: Vec<ValueSlot> = Vec::new();
        for (name, (f, d)) in &values {
            let f = *f;
            let base = ["values", name.as_str()];
            let mut info = self.item(f, &base, Common::of(d), &langs);
            self.interval(f, &base, &d.in_force, &mut info);
            let declared = match &d.ty {
                Some(t) => self.ty(f, &[base[0], base[1], "type"], t),
                None => None,
            };
            let code = self.code(f, &[base[0], base[1], "expr"], &d.expr);
            let when = d
                .when
                .as_ref()
                .and_then(|w| self.code(f, &[base[0], base[1], "when"], w));
            parsed_values.push((name.clone(), f, code, declared, info, when));
        }
        let order = self.order(&parsed_values);

        let mut out_catalogues: Vec<super::catalogue::Catalogue> = Vec::new();
        for (name, (f, d)) in &catalogues {
            if let Some(c) = self.catalogue(*f, name, d, &pkg.official_language, &langs) {
                out_catalogues.push(c);
            }
        }
        for (name, (f, decl)) in &input {
            self.check_refs(
                *f,
                &["input", name],
                decl,
                &input_siblings(&input),
                &out_catalogues,
            );
        }

        let mut out_calendars = IndexMap::new();
        for (name, (f, path)) in &calendars {
            let loaded = self
                .preloaded
                .remove(path)
                .unwrap_or_else(|| crate::calendar::load(read, path));
            match loaded {
                Ok(c) => {
                    out_calendars.insert(name.clone(), c);
                }
                Err(diags) => {
                    let loc = self.loc(*f, &["calendars", name], false);
                    self.error(
                        "calendar",
                        format!("calendar `{name}` at `{path}` does not load"),
                        loc,
                    );
                    self.diags.extend(diags);
                }
            }
        }

        let mut env = Env {
            calendars: calendars.keys().cloned().collect(),
            ..Env::default()
        };
        for c in &out_catalogues {
            env.catalogues.insert(
                c.name.clone(),
                crate::check::CatalogueInfo {
                    kinds: c.kinds.clone(),
                    attributes: c
                        .attributes
                        .iter()
                        .map(|(k, (t, _))| (k.clone(), t.clone()))
                        .collect(),
                    ids: c.by_id.keys().cloned().collect(),
                },
            );
        }
        for (i, (name, ft)) in schema.fields.iter().enumerate() {
            env.globals
                .insert(name.to_string(), (Resolution::Input(i), ft.ty.clone()));
        }
        for (i, (name, p)) in out_params.iter().enumerate() {
            env.globals
                .insert(name.clone(), (Resolution::Param(i), p.ty.clone()));
        }
        for (i, t) in out_tables.iter().enumerate() {
            let cols = t.columns.iter().map(|c| c.1.clone()).collect();
            env.tables
                .insert(t.name.clone(), (i, cols, t.result_type()));
        }
        // Every value is visible from the start, as `any` until checked, so
        // that a value in a cycle (already reported) raises no more errors.
        for (name, ..) in &parsed_values {
            env.globals
                .insert(name.clone(), (Resolution::Value(usize::MAX), Type::Any));
        }
        let mut out_values = Vec::new();
        let mut slots = std::mem::take(&mut parsed_values)
            .into_iter()
            .map(Some)
            .collect::<Vec<_>>();
        for ix in order {
            let Some((name, f, code, declared, info, when)) = slots[ix].take() else {
                continue;
            };
            let ty = match code {
                Some(mut code) => {
                    let found = self.check_code(&mut code, &env);
                    let ty = match (&declared, found) {
                        (Some(d), Some(t)) if !t.fits(d) => {
                            let loc = Some(code.site.loc(code.expr.span));
                            self.error(
                                "type",
                                format!("the value is declared `{d}` but its expression is `{t}`"),
                                loc,
                            );
                            d.clone()
                        }
                        (Some(d), _) => d.clone(),
                        (None, Some(t)) => t,
                        (None, None) => Type::Any,
                    };
                    let ty = if ty == Type::Any && declared.is_none() {
                        Type::Any
                    } else {
                        ty
                    };
                    let when = when.and_then(|mut w| self.check_bool(&mut w, &env).then_some(w));
                    out_values.push(Computed {
                        name: name.clone(),
                        key: name.as_str().into(),
                        json_key: format!("{}:", serde_json::Value::from(name.as_str()))
                            .into_bytes(),
                        ty: ty.clone(),
                        code,
                        when,
                        info,
                        not_applicable: Value::unknown(format!("{name} (not applicable)")),
                    });
                    ty
                }
                None => declared.unwrap_or(Type::Any),
            };
            let _ = f;
            let res = Resolution::Value(out_values.len().saturating_sub(1));
            env.globals.insert(name, (res, ty));
        }

        // Reasons and the decision.
        let mut out_reasons = IndexMap::new();
        for (id, (f, d)) in &reasons {
            let info = self.item(*f, &["reasons", id], Common::of(d), &langs);
            out_reasons.insert(id.clone(), info);
        }
        let out_decision =
            decision.and_then(|(f, d)| self.decision(f, d, &env, &out_reasons, &langs));

        let mut out_warnings = Vec::new();
        for (id, (f, w)) in &warnings {
            let base = ["warnings", id.as_str()];
            let mut info = self.info(
                *f,
                &base,
                &w.cite,
                &w.interpretation,
                &Some(w.message.clone()),
                &None,
            );
            info.provision = self.prov(*f, &base, &w.provision);
            self.labels(&langs, *f, &["warnings", id, "message"], &w.message);
            let code = self
                .code(*f, &["warnings", id, "when"], &w.when)
                .and_then(|mut c| self.check_bool(&mut c, &env).then_some(c));
            if let Some(when) = code {
                out_warnings.push(super::WarningRule {
                    id: id.clone(),
                    when,
                    message: w.message.clone(),
                    info,
                });
            }
        }

        let mut out_report = Vec::new();
        for (key, (f, d)) in &report {
            let f = *f;
            let base = ["report", key.as_str()];
            if crate::contract::MEMBERS.contains(&key.as_str()) {
                let loc = self.loc(f, &base, true);
                self.error_help(
                    "structure",
                    format!("report key `{key}` is a member of every decision already"),
                    loc,
                    format!(
                        "choose another key; the decision's own members are {}",
                        crate::contract::MEMBERS.join(", ")
                    ),
                );
                continue;
            }
            let code = |this: &mut Self, k: &str, text: &str| {
                let mut c = this.code(f, &[base[0], base[1], k], text)?;
                this.check_code(&mut c, &env).map(|_| c)
            };
            let value_names = |this: &mut Self, k: &str, names: &[String]| {
                for (i, n) in names.iter().enumerate() {
                    if !out_values.iter().any(|v| v.name == *n) {
                        let loc = this.loc(f, &[base[0], base[1], k, &i.to_string()], false);
                        let help = did_you_mean(n, out_values.iter().map(|v| v.name.as_str()));
                        this.error_help(
                            "unknown-name",
                            format!("unknown computed value `{n}`"),
                            loc,
                            help.trim_start_matches("; ").into(),
                        );
                    }
                }
                names.to_vec()
            };
            let kind = match (&d.expr, &d.values, &d.items, &d.fields) {
                (Some(e), None, None, None) => {
                    code(&mut self, "expr", e).map(super::ReportKind::Expr)
                }
                (None, Some(v), None, None) => Some(super::ReportKind::Values(value_names(
                    &mut self, "values", v,
                ))),
                (None, None, Some(v), None) => {
                    let names = value_names(&mut self, "items", v);
                    let total = match &d.total {
                        Some(t) => code(&mut self, "total", t),
                        None => None,
                    };
                    let key = d.item_key.clone().unwrap_or_else(|| "value".into());
                    if key == "id" || key == "cite" {
                        let loc = self.loc(f, &[base[0], base[1], "item_key"], false);
                        self.error_help(
                            "structure",
                            format!("`item_key` `{key}` is a member every item has already"),
                            loc,
                            "each item is `{id, KEY, cite}`: choose another key".into(),
                        );
                    }
                    Some(super::ReportKind::Items { names, key, total })
                }
                (None, None, None, Some(fs)) => {
                    let mut out = Vec::new();
                    for (k, e) in fs {
                        let mut c = self.code(f, &["report", key, "fields", k], e);
                        if let Some(c2) = c.as_mut()
                            && self.check_code(c2, &env).is_none()
                        {
                            c = None;
                        }
                        if let Some(c) = c {
                            out.push((k.clone(), c));
                        }
                    }
                    Some(super::ReportKind::Fields(out))
                }
                _ => {
                    let loc = self.loc(f, &base, true);
                    self.error("structure", format!("report `{key}` needs exactly one of `expr`, `values`, `items` and `fields`"), loc);
                    None
                }
            };
            let when = d.when.as_ref().and_then(|w| {
                let mut c = self.code(f, &["report", key, "when"], w)?;
                self.check_bool(&mut c, &env).then_some(c)
            });
            if let Some(kind) = kind {
                out_report.push(super::Report {
                    key: key.clone(),
                    kind,
                    when,
                    outcomes: d.outcomes.clone(),
                    positions: Default::default(),
                });
            }
        }

        let mut out_forms = Vec::new();
        for (id, (f, d)) in &forms {
            let base = ["forms", id.as_str()];
            let mut info = self.info(
                *f,
                &base,
                &d.cite,
                &None,
                &Some(d.title.clone()),
                &d.description,
            );
            info.provision = self.prov(*f, &base, &d.provision);
            self.labels(&langs, *f, &["forms", id, "title"], &d.title);
            let mut fields = Vec::new();
            for (i, fd) in d.fields.iter().enumerate() {
                let is = i.to_string();
                self.labels(
                    &langs,
                    *f,
                    &["forms", id, "fields", &is, "label"],
                    &fd.label,
                );
                let expr = fd.expr.as_ref().and_then(|e| {
                    let mut c = self.code(*f, &["forms", id, "fields", &is, "expr"], e)?;
                    self.check_code(&mut c, &env).map(|_| c)
                });
                fields.push(super::FormField {
                    id: fd.id.clone(),
                    label: fd.label.clone(),
                    expr,
                    cite: fd.cite.clone(),
                });
            }
            out_forms.push(super::Form {
                id: id.clone(),
                title: d.title.clone(),
                text: d.text.clone(),
                fields,
                info,
            });
        }

        // Conditions that make optional inputs required, over inputs only.
        let mut input_env = Env::default();
        for (i, (name, ft)) in schema.fields.iter().enumerate() {
            input_env
                .globals
                .insert(name.to_string(), (Resolution::Input(i), ft.ty.clone()));
        }
        input_env.catalogues = std::mem::take(&mut env.catalogues);
        let mut required_when = Vec::new();
        for (name, (f, d)) in &input {
            if let Some(w) = &d.required_when {
                if !d.optional {
                    let loc = self.loc(*f, &["input", name, "required_when"], true);
                    self.error(
                        "structure",
                        "`required_when` applies to optional fields only",
                        loc,
                    );
                }
                if let Some(c) = self
                    .code(*f, &["input", name, "required_when"], w)
                    .and_then(|mut c| self.check_bool(&mut c, &input_env).then_some(c))
                {
                    required_when.push((name.clone(), c));
                }
            }
        }

        let evaluation_date = pkg.evaluation_date.as_ref().and_then(|e| {
            let mut c = self.code(pf, &["package", "evaluation_date"], e)?;
            match self.check_code(&mut c, &input_env) {
                Some(Type::Date) => Some(c),
                Some(t) => {
                    let loc = Some(c.site.loc(c.expr.span));
                    self.error(
                        "type",
                        format!("`evaluation_date` must be a `date`, not `{t}`"),
                        loc,
                    );
                    None
                }
                None => None,
            }
        });

        crate::diag::sort(&mut self.diags);
        if self.diags.iter().any(Diagnostic::is_error) {
            return Err(self.diags);
        }
        let meta = Meta {
            id: pkg.id,
            title: pkg.title,
            act: pkg.act,
            languages: pkg.languages,
            official_language: pkg.official_language,
            in_force_from: from.unwrap_or(NaiveDate::MIN),
            in_force_until: until,
            description: pkg.description,
        };
        let policy = Policy {
            meta,
            input: schema,
            fields: field_info,
            params: out_params,
            tables: out_tables,
            values: out_values,
            reasons: out_reasons,
            decision: out_decision,
            calendars: out_calendars,
            catalogues: out_catalogues,
            history: out_history,
            warnings: out_warnings,
            forms: out_forms,
            required_when,
            evaluation_date,
            report: out_report,
            files: self.files.iter().map(|(f, _)| f.clone()).collect(),
            editions: Default::default(),
            memo_slots: self.memo_uses.iter().filter(|n| **n > 1).count(),
            memo_place: {
                let mut next = 0;
                let shared = self.memo_uses.iter().map(|n| *n > 1);
                shared
                    .map(|s| {
                        s.then(|| {
                            next += 1;
                            next - 1
                        })
                    })
                    .collect()
            },
            value_index: Default::default(),
            value_names: Default::default(),
            required_places: Default::default(),
        };
        let mut warnings = self.diags;
        warnings.extend(crate::lint::lint(&policy));
        crate::diag::sort(&mut warnings);
        Ok(Loaded { policy, warnings })
    }

    /// Checks the `ref(...)` fields of an input declaration: the catalogue
    /// exists, `kinds` are its kinds, `within` names a sibling reference.
    fn check_refs(
        &mut self,
        f: usize,
        path: &[&str],
        decl: &FieldDecl,
        siblings: &HashMap<String, Option<String>>,
        cats: &[super::catalogue::Catalogue],
    ) {
        if let Some(fields) = &decl.fields {
            let sib: HashMap<String, Option<String>> = fields
                .iter()
                .map(|(k, v)| (k.clone(), v.ty.as_deref().and_then(ref_name)))
                .collect();
            for (k, sub) in fields {
                let mut p = path.to_vec();
                p.push("fields");
                p.push(k);
                self.check_refs(f, &p, sub, &sib, cats);
            }
            return;
        }
        let Some(cat) = decl.ty.as_deref().and_then(ref_name) else {
            return;
        };
        let mut tp = path.to_vec();
        tp.push("type");
        let Some(c) = cats.iter().find(|c| c.name == cat) else {
            let loc = self.loc(f, &tp, false);
            let help = did_you_mean(&cat, cats.iter().map(|c| c.name.as_str()));
            self.error_help(
                "unknown-name",
                format!("unknown catalogue `{cat}`"),
                loc,
                help.trim_start_matches("; ").into(),
            );
            return;
        };
        for (i, k) in decl.kinds.iter().flatten().enumerate() {
            if !c.kinds.contains(k) {
                let mut kp = path.to_vec();
                kp.push("kinds");
                let is = i.to_string();
                kp.push(&is);
                let loc = self.loc(f, &kp, false);
                self.error_help(
                    "unknown-name",
                    format!("catalogue `{cat}` has no kind `{k}`"),
                    loc,
                    format!("its kinds are {}", c.kinds.join(", ")),
                );
            }
        }
        if let Some(w) = &decl.within
            && siblings.get(w).and_then(|x| x.as_ref()) != Some(&cat)
        {
            let mut wp = path.to_vec();
            wp.push("within");
            let loc = self.loc(f, &wp, false);
            self.error(
                "structure",
                format!("`within: {w}` must name a sibling field of type `ref({cat})`"),
                loc,
            );
        }
    }

    fn catalogue(
        &mut self,
        f: usize,
        name: &str,
        d: &model::CatalogueDecl,
        official: &str,
        langs: &[String],
    ) -> Option<super::catalogue::Catalogue> {
        use super::catalogue::{Catalogue, Entry};
        const RESERVED: [&str; 6] = ["id", "kind", "name", "parent", "in_force", "wording"];
        let base = ["catalogues", name];
        let info = self.item(f, &base, Common::of(d), langs);
        let mut attributes = IndexMap::new();
        let mut defaults: IndexMap<String, Value> = IndexMap::new();
        for (a, decl) in &d.attributes {
            let ap = ["catalogues", name, "attributes", a.as_str()];
            if RESERVED.contains(&a.as_str()) {
                let loc = self.loc(f, &ap, true);
                self.error(
                    "structure",
                    format!("`{a}` is a built-in field of entries and cannot be an attribute"),
                    loc,
                );
                continue;
            }
            let tp = ["catalogues", name, "attributes", a.as_str(), "type"];
            if let Some(t) = self.ty(f, &tp, &decl.ty) {
                if let Some(dv) = decl.default.as_ref().filter(|d| !d.is_null()) {
                    let dp = ["catalogues", name, "attributes", a.as_str(), "default"];
                    if let Some(v) = self.data(f, &dp, dv, &t) {
                        defaults.insert(a.clone(), v);
                    }
                }
                attributes.insert(a.clone(), (t, decl.inherit));
            }
        }
        let mut cat = Catalogue {
            name: name.to_string(),
            kinds: d.kinds.clone(),
            attributes,
            entries: Vec::new(),
            by_id: Default::default(),
            by_name: Default::default(),
            written: Default::default(),
            official: official.to_string(),
            provision: d.provision.clone(),
            info,
            refs: Default::default(),
        };
        // Depth-first, parents before children.
        let mut stack: Vec<(Vec<String>, &model::EntryDecl, Option<usize>)> = d
            .entries
            .iter()
            .enumerate()
            .rev()
            .map(|(i, e)| {
                (
                    vec![
                        "catalogues".into(),
                        name.into(),
                        "entries".into(),
                        i.to_string(),
                    ],
                    e,
                    None,
                )
            })
            .collect();
        while let Some((path, e, parent)) = stack.pop() {
            let p: Vec<&str> = path.iter().map(String::as_str).collect();
            let kind_ix = cat.kinds.iter().position(|k| *k == e.kind);
            let parent_kind = parent
                .and_then(|pi: usize| cat.kinds.iter().position(|k| *k == cat.entries[pi].kind));
            match kind_ix {
                None => {
                    let mut kp = p.clone();
                    kp.push("kind");
                    let loc = self.loc(f, &kp, false);
                    let help = did_you_mean(&e.kind, cat.kinds.iter().map(String::as_str));
                    self.error_help(
                        "unknown-name",
                        format!("`{}` is not a kind of catalogue `{name}`", e.kind),
                        loc,
                        if help.is_empty() {
                            format!("its kinds are {}", cat.kinds.join(", "))
                        } else {
                            help.trim_start_matches("; ").into()
                        },
                    );
                }
                Some(k) if parent_kind.is_some_and(|pk| k <= pk) => {
                    let mut kp = p.clone();
                    kp.push("kind");
                    let loc = self.loc(f, &kp, false);
                    self.error(
                        "structure",
                        format!(
                            "a `{}` cannot stand inside a `{}`",
                            e.kind,
                            cat.entries[parent.unwrap_or(0)].kind
                        ),
                        loc,
                    );
                }
                _ => {}
            }
            let mut ip = p.clone();
            ip.push("id");
            if e.id.trim().is_empty() {
                let loc = self.loc(f, &ip, false);
                self.error("structure", "an entry's id is empty", loc);
            }
            if cat.by_id.contains_key(&e.id) {
                let loc = self.loc(f, &ip, false);
                self.error(
                    "duplicate",
                    format!("entry id `{}` is used twice in catalogue `{name}`", e.id),
                    loc,
                );
            }
            let mut np = p.clone();
            np.push("name");
            self.labels(langs, f, &np, &e.name);
            let mut einfo = self.info(
                f,
                &p,
                &e.cite,
                &e.interpretation,
                &Some(e.name.clone()),
                &None,
            );
            einfo.loc = self.loc(f, &ip, false);
            let mut attrs = IndexMap::default();
            for (a, data) in &e.attributes {
                let mut ap = p.clone();
                ap.push(a);
                match cat.attributes.get(a) {
                    Some((t, _)) => {
                        let t = t.clone();
                        if let Some(v) = self.data(f, &ap, data, &t) {
                            attrs.insert(a.clone(), v);
                        }
                    }
                    None => {
                        let loc = self.loc(f, &ap, true);
                        let mut known: Vec<&str> =
                            cat.attributes.keys().map(String::as_str).collect();
                        known.extend([
                            "id",
                            "kind",
                            "name",
                            "wording",
                            "aliases",
                            "cite",
                            "interpretation",
                            "note",
                            "in_force",
                            "children",
                        ]);
                        let help = did_you_mean(a, known.iter().copied());
                        self.error_help(
                            "yaml",
                            format!("unknown field `{a}` in an entry of catalogue `{name}`"),
                            loc,
                            if help.is_empty() {
                                "declare it under the catalogue's `attributes`".into()
                            } else {
                                help.trim_start_matches("; ").into()
                            },
                        );
                    }
                }
            }
            if let Some(pi) = parent {
                for (a, (_, inherit)) in &cat.attributes {
                    if *inherit
                        && !attrs.contains_key(a)
                        && let Some(v) = cat.entries[pi].attributes.get(a)
                    {
                        attrs.insert(a.clone(), v.clone());
                    }
                }
            }
            for (a, v) in &defaults {
                if !attrs.contains_key(a) {
                    attrs.insert(a.clone(), v.clone());
                }
            }
            let (from, until) = match &e.in_force {
                Some(i) => {
                    let mut fp = p.clone();
                    fp.extend(["in_force", "from"]);
                    let a = self.date(f, &fp, &i.from);
                    let b = i.until.as_ref().and_then(|u| {
                        let mut up = p.clone();
                        up.extend(["in_force", "until"]);
                        self.date(f, &up, u)
                    });
                    (a, b)
                }
                None => (None, None),
            };
            let ix = cat.entries.len();
            cat.by_id.insert(e.id.clone(), ix);
            if let Some(pi) = parent {
                cat.entries[pi].children.push(ix);
            }
            cat.entries.push(Entry {
                id: e.id.clone(),
                kind: e.kind.clone(),
                name: e.name.clone(),
                wording: e.wording.clone(),
                aliases: e.aliases.clone(),
                parent,
                children: Vec::new(),
                attributes: attrs,
                from,
                until,
                note: e.note.clone(),
                info: einfo,
            });
            for (i, c) in e.children.iter().enumerate().rev() {
                let mut cp = path.clone();
                cp.extend(["children".to_string(), i.to_string()]);
                stack.push((cp, c, Some(ix)));
            }
        }
        cat.index_names();
        Some(cat)
    }

    /// Checks that an item's `provision` is declared in the history.
    fn prov(&mut self, f: usize, path: &[&str], p: &Option<String>) -> Option<String> {
        let p = p.as_ref()?;
        if !self.provisions.contains(p) {
            let mut pp = path.to_vec();
            pp.push("provision");
            let loc = self.loc(f, &pp, false);
            let help = did_you_mean(p, self.provisions.iter().map(String::as_str));
            let help = if help.is_empty() {
                "declare it under `history.provisions`".to_string()
            } else {
                help.trim_start_matches("; ").to_string()
            };
            self.error_help(
                "unknown-name",
                format!("unknown provision `{p}`"),
                loc,
                help,
            );
        }
        Some(p.clone())
    }

    /// Builds the act's history: its acts with their dates of entry into
    /// force, and the versions of its provisions.
    fn history(
        &mut self,
        f: usize,
        h: &model::HistoryDecl,
        start: Option<NaiveDate>,
    ) -> super::history::History {
        use super::history::{ActEvent, History, Provision, Version};
        let mut out = History::default();
        for (i, a) in h.acts.iter().enumerate() {
            let is = i.to_string();
            let p = ["history", "acts", is.as_str()];
            let mut info = self.info(f, &p, &a.cite, &a.interpretation, &a.title, &a.description);
            info.loc = self.loc(f, &["history", "acts", &is, "id"], false);
            let ip = ["history", "acts", is.as_str(), "in_force"];
            let at = |this: &mut Self, k: &str, v: &Option<String>| {
                v.as_ref()
                    .and_then(|d| this.date(f, &["history", "acts", &is, "in_force", k], d))
            };
            let date = at(self, "date", &a.in_force.date);
            let earliest = at(self, "earliest", &a.in_force.earliest);
            let latest = at(self, "latest", &a.in_force.latest);
            let (from, exact) = match (date, earliest) {
                (Some(d), None) => (d, true),
                (None, Some(e)) => (e, false),
                _ => {
                    let loc = self.loc(f, &ip, true);
                    self.error_help(
                        "structure",
                        format!("act `{}` needs exactly one of `in_force.date` and `in_force.earliest`", a.id),
                        loc,
                        "give `earliest` (and `latest` if known) when the date hangs on an unrecorded publication".into(),
                    );
                    continue;
                }
            };
            if latest.is_some_and(|l| l < from) {
                let loc = self.loc(f, &["history", "acts", &is, "in_force", "latest"], false);
                self.error("date", "`latest` is before `earliest`", loc);
            }
            if out.acts.iter().any(|x: &ActEvent| x.id == a.id) {
                let loc = self.loc(f, &["history", "acts", &is, "id"], false);
                self.error(
                    "duplicate",
                    format!("act `{}` is recorded twice", a.id),
                    loc,
                );
            }
            let signed = a
                .signed
                .as_ref()
                .and_then(|d| self.date(f, &["history", "acts", &is, "signed"], d));
            out.acts.push(ActEvent {
                id: a.id.clone(),
                kind: a.kind,
                title: a.title.clone().unwrap_or_default(),
                number: a.number.clone(),
                signed,
                from,
                exact,
                latest,
                rule: a.in_force.rule.clone(),
                changes: a.changes.clone(),
                info,
            });
        }
        out.acts.sort_by_key(|a| a.from);
        for (id, p) in &h.provisions {
            let base = ["history", "provisions", id.as_str()];
            let mut info = self.info(f, &base, &p.cite, &None, &p.title, &p.description);
            info.provision = Some(id.clone());
            let mut versions: Vec<Version> = Vec::new();
            for (i, v) in p.versions.iter().enumerate() {
                let is = i.to_string();
                let vp = [
                    "history",
                    "provisions",
                    id.as_str(),
                    "versions",
                    is.as_str(),
                ];
                let from = match (&v.from, &v.act) {
                    (Some(d), None) => {
                        self.date(f, &[vp[0], vp[1], vp[2], vp[3], vp[4], "from"], d)
                    }
                    (None, Some(act)) => match out.act(act) {
                        Some(a) => Some(a.from),
                        None => {
                            let loc =
                                self.loc(f, &[vp[0], vp[1], vp[2], vp[3], vp[4], "act"], false);
                            let help = did_you_mean(act, out.acts.iter().map(|a| a.id.as_str()));
                            self.error_help(
                                "unknown-name",
                                format!("unknown act `{act}`"),
                                loc,
                                if help.is_empty() {
                                    "record it under `history.acts`".into()
                                } else {
                                    help.trim_start_matches("; ").into()
                                },
                            );
                            None
                        }
                    },
                    _ => {
                        let loc = self.loc(f, &vp, false);
                        self.error(
                            "structure",
                            "a version needs exactly one of `from` and `act`",
                            loc,
                        );
                        None
                    }
                };
                let Some(from) = from else { continue };
                if versions.last().is_some_and(|l| l.from >= from) {
                    let loc = self.loc(f, &vp, false);
                    self.error("date", "versions must be in ascending order of date", loc);
                }
                versions.push(Version {
                    from,
                    act: v.act.clone(),
                    encoded: v.encoded,
                    note: v.note.clone(),
                });
            }
            if let (Some(first), Some(start)) = (versions.first(), start)
                && first.from > start
            {
                let loc = self.loc(f, &base, true);
                self.diags.push(
                    Diagnostic::warning(
                        "history",
                        format!("provision `{id}` has no version from the act's entry into force ({start})"),
                    )
                    .at(loc),
                );
            }
            out.provisions.insert(
                id.clone(),
                Provision {
                    id: id.clone(),
                    title: p.title.clone().unwrap_or_default(),
                    versions,
                    info,
                },
            );
        }
        for (i, a) in h.acts.iter().enumerate() {
            for (j, c) in a.changes.iter().enumerate() {
                if !out.provisions.contains_key(c) {
                    let loc = self.loc(
                        f,
                        &["history", "acts", &i.to_string(), "changes", &j.to_string()],
                        false,
                    );
                    let help = did_you_mean(c, out.provisions.keys().map(String::as_str));
                    self.error_help(
                        "unknown-name",
                        format!("unknown provision `{c}`"),
                        loc,
                        help.trim_start_matches("; ").into(),
                    );
                }
            }
        }
        out
    }

    fn check_code(&mut self, code: &mut Code, env: &Env) -> Option<Type> {
        match check::check(&mut code.expr, env) {
            Ok(t) => {
                code.collect_refs();
                code.fold_constants();
                if let Some(key) = code.memo_key() {
                    let next = self.memo_ids.len();
                    let id = *self.memo_ids.entry(key).or_insert(next);
                    if id == self.memo_uses.len() {
                        self.memo_uses.push(0);
                    }
                    self.memo_uses[id] += 1;
                    code.memo = Some(id);
                }
                Some(t)
            }
            Err(errs) => {
                for e in errs {
                    let loc = Some(code.site.loc(e.span));
                    let help = e.help.clone().unwrap_or_default();
                    self.error_help(e.code(), e.to_string(), loc, help);
                }
                None
            }
        }
    }

    /// An order of the computed values in which each follows the values it
    /// reads; reports every cycle.
    fn order(&mut self, vals: &[ValueSlot]) -> Vec<usize> {
        let index: HashMap<&str, usize> = vals
            .iter()
            .enumerate()
            .map(|(i, v)| (v.0.as_str(), i))
            .collect();
        let deps: Vec<Vec<usize>> = vals
            .iter()
            .map(|v| {
                let mut d = Vec::new();
                for code in v.2.iter().chain(v.5.iter()) {
                    let tables = table_args(&code.expr);
                    code.expr.walk(&mut |e| {
                        if tables.iter().any(|t| std::ptr::eq(*t, e)) {
                            return;
                        }
                        if let ExprKind::Name(n) = &e.kind
                            && let Some(&i) = index.get(n.id.as_str())
                            && !d.contains(&i)
                        {
                            d.push(i);
                        }
                    });
                }
                d
            })
            .collect();
        // 0 = not visited, 1 = on the stack, 2 = done.
        let mut state = vec![0u8; vals.len()];
        let mut order = Vec::new();
        let mut reported: HashSet<usize> = HashSet::new();
        fn visit(
            i: usize,
            deps: &[Vec<usize>],
            state: &mut [u8],
            stack: &mut Vec<usize>,
            order: &mut Vec<usize>,
            cycles: &mut Vec<Vec<usize>>,
        ) {
            state[i] = 1;
            stack.push(i);
            for &d in &deps[i] {
                match state[d] {
                    0 => visit(d, deps, state, stack, order, cycles),
                    1 => {
                        let at = stack.iter().position(|&s| s == d).unwrap_or(0);
                        cycles.push(stack[at..].to_vec());
                    }
                    _ => {}
                }
            }
            stack.pop();
            state[i] = 2;
            order.push(i);
        }
        let mut cycles = Vec::new();
        for i in 0..vals.len() {
            if state[i] == 0 {
                visit(
                    i,
                    &deps,
                    &mut state,
                    &mut Vec::new(),
                    &mut order,
                    &mut cycles,
                );
            }
        }
        for cycle in cycles {
            if cycle.iter().any(|c| reported.contains(c)) {
                continue;
            }
            reported.extend(cycle.iter().copied());
            let first = cycle[0];
            let mut names: Vec<&str> = cycle.iter().map(|&c| vals[c].0.as_str()).collect();
            names.push(vals[first].0.as_str());
            let loc = self.loc(vals[first].1, &["values", &vals[first].0, "expr"], false);
            self.error_help(
                "cycle",
                format!(
                    "computed value `{}` depends on itself: {}",
                    vals[first].0,
                    names.join(" -> ")
                ),
                loc,
                "values are computed once each, without recursion: break the cycle".into(),
            );
        }
        order
    }

    fn field(
        &mut self,
        f: usize,
        path: &[&str],
        dotted: &str,
        decl: &FieldDecl,
        langs: &[String],
        infos: &mut IndexMap<String, Info>,
    ) -> Option<FieldType> {
        let mut lp: Vec<&str> = path.to_vec();
        lp.push("label");
        if let Some(l) = &decl.label {
            self.labels(langs, f, &lp, l);
        }
        infos.insert(
            dotted.to_string(),
            Info {
                cite: decl.cite.clone().unwrap_or_default(),
                interpretation: decl.interpretation.clone(),
                label: decl.label.clone().unwrap_or_default(),
                description: decl.description.clone(),
                loc: self.loc(f, path, true),
                provision: None,
                from: None,
                until: None,
                provision_index: Default::default(),
            },
        );
        let ty = match (&decl.ty, &decl.fields) {
            (Some(t), None) => {
                let mut tp: Vec<&str> = path.to_vec();
                tp.push("type");
                self.ty(f, &tp, t)?
            }
            (None, Some(fields)) => {
                let mut rec = RecordType::default();
                let mut fp: Vec<&str> = path.to_vec();
                fp.push("fields");
                for (name, sub) in fields {
                    let mut p = fp.clone();
                    p.push(name);
                    let d = format!("{dotted}.{name}");
                    if let Some(ft) = self.field(f, &p, &d, sub, langs, infos) {
                        rec.fields.insert(name.as_str().into(), ft);
                    }
                }
                Type::Record(Arc::new(rec))
            }
            _ => {
                let loc = self.loc(f, path, true);
                self.error(
                    "structure",
                    format!("input field `{dotted}` needs exactly one of `type` and `fields`"),
                    loc,
                );
                return None;
            }
        };
        let mut options = crate::types::FieldOptions {
            kinds: decl.kinds.clone(),
            within: decl.within.clone(),
            bare_time: None,
            absent: Some(Arc::new(std::collections::BTreeSet::from([
                dotted.to_string()
            ]))),
        };
        if let Some(t) = &decl.bare_date_time {
            let mut tp: Vec<&str> = path.to_vec();
            tp.push("bare_date_time");
            match chrono::NaiveTime::parse_from_str(t, "%H:%M") {
                Ok(time) if ty == Type::DateTime => options.bare_time = Some(time),
                Ok(_) => {
                    let loc = self.loc(f, &tp, true);
                    self.error(
                        "structure",
                        "`bare_date_time` applies to `datetime` fields only",
                        loc,
                    );
                }
                Err(_) => {
                    let loc = self.loc(f, &tp, false);
                    self.error_help(
                        "type",
                        format!("`{t}` is not a time"),
                        loc,
                        "write HH:MM".into(),
                    );
                }
            }
        }
        if (decl.kinds.is_some() || decl.within.is_some()) && !matches!(ty, Type::Ref(_)) {
            let loc = self.loc(f, path, true);
            self.error(
                "structure",
                "`kinds` and `within` apply to `ref(...)` fields only",
                loc,
            );
        }
        Some(FieldType {
            ty,
            optional: decl.optional,
            options,
        })
    }

    fn table(
        &mut self,
        f: usize,
        name: &str,
        d: &model::TableDecl,
        langs: &[String],
    ) -> Option<Table> {
        let base = ["tables", name];
        let info = self.item(f, &base, Common::of(d), langs);
        let mut columns = Vec::new();
        for (col, t) in &d.columns {
            if let Some(ty) = self.ty(f, &["tables", name, "columns", col], t) {
                columns.push((col.clone(), ty));
            }
        }
        let output = self.ty(f, &["tables", name, "output"], &d.output)?;
        if columns.len() != d.columns.len() {
            return None;
        }
        if d.hit == model::HitPolicy::Sum && !output.is_numeric() {
            let loc = self.loc(f, &["tables", name, "hit"], false);
            self.error(
                "type",
                format!("hit policy `sum` needs a numeric output, not `{output}`"),
                loc,
            );
        }
        let default = match &d.default {
            Some(v) if !v.is_null() => self.data(f, &["tables", name, "default"], v, &output),
            _ => None,
        };
        let mut rows = Vec::new();
        for (r, row) in d.rows.iter().enumerate() {
            let rs = r.to_string();
            let rp = ["tables", name, "rows", rs.as_str()];
            let info = self.info(f, &rp, &row.cite, &row.interpretation, &row.label, &None);
            for k in row.when.keys() {
                if !d.columns.contains_key(k) {
                    let loc = self.loc(f, &["tables", name, "rows", &rs, "when", k], true);
                    let help = did_you_mean(k, d.columns.keys().map(String::as_str));
                    self.error_help(
                        "unknown-name",
                        format!("table `{name}` has no column `{k}`"),
                        loc,
                        help.trim_start_matches("; ").to_string(),
                    );
                }
            }
            let mut cells = Vec::new();
            for (col, ty) in &columns {
                let cp = ["tables", name, "rows", rs.as_str(), "when", col.as_str()];
                let cell = match row.when.get(col) {
                    None => Cell::Any,
                    Some(data) => match self.cell(f, &cp, data, ty) {
                        Some(c) => c,
                        None => continue,
                    },
                };
                cells.push(cell);
            }
            let then = self.data(
                f,
                &["tables", name, "rows", &rs, "then"],
                &row.then,
                &output,
            );
            if let Some(then) = then
                && cells.len() == columns.len()
            {
                rows.push(Row { cells, then, info });
            }
        }
        Some(Table {
            name: name.to_string(),
            columns,
            output,
            hit: d.hit,
            default,
            rows,
            info,
        })
    }

    fn cell(
        &mut self,
        f: usize,
        path: &[&str],
        data: &crate::yaml::Data,
        ty: &Type,
    ) -> Option<Cell> {
        use crate::yaml::Data as Y;
        let text = match data {
            Y::String(s) => s.clone(),
            Y::Number(n) => n.to_string(),
            Y::Bool(b) => b.to_string(),
            other => {
                let loc = self.loc(f, path, false);
                self.error(
                    "type",
                    format!(
                        "a table cell must be text, found {}",
                        value::describe_data(other)
                    ),
                    loc,
                );
                return None;
            }
        };
        // A string column's plain cell is a value, not cell syntax; an
        // enumeration column's is one or more members separated by commas.
        let plain = matches!(data, Y::String(s) if !s.trim_start().starts_with(['"', '\'']) && s.trim() != "-");
        let cell = if plain && matches!(ty, Type::Enum(_)) {
            Ok(Cell::OneOf(
                text.split(',')
                    .map(|m| Literal::Str(m.trim().into()))
                    .collect(),
            ))
        } else if plain && *ty == Type::String {
            Ok(Cell::OneOf(vec![Literal::Str(text.as_str().into())]))
        } else {
            syntax::parse_cell(&text)
        };
        let cell = match cell {
            Ok(c) => c,
            Err(e) => {
                let site = self.site(f, path, &text);
                self.syntax_error(&site, &text, &e);
                return None;
            }
        };
        let lits: Vec<&Literal> = match &cell {
            Cell::Any => vec![],
            Cell::Interval { lower, upper } => {
                lower.iter().chain(upper.iter()).map(|(l, _)| l).collect()
            }
            Cell::Compare(_, l) => vec![l],
            Cell::OneOf(ls) => ls.iter().collect(),
        };
        let ordered = match &cell {
            Cell::Interval { .. } => true,
            Cell::Compare(op, _) => !matches!(op, BinOp::Eq | BinOp::Ne),
            _ => false,
        };
        let loc = self.loc(f, path, false);
        if ordered && !ty.is_ordered() {
            self.error(
                "type",
                format!("a range cannot be used on a `{ty}` column"),
                loc,
            );
            return None;
        }
        for l in lits {
            let lt = match Value::from_literal(l) {
                Value::Int(_) => Type::Int,
                Value::Decimal(_) => Type::Decimal,
                Value::Bool(_) => Type::Bool,
                Value::Str(_) => Type::String,
                Value::Date(_) => Type::Date,
                Value::DateTime(_) => Type::DateTime,
                Value::Time(_) => Type::Time,
                _ => Type::Duration,
            };
            if let (Type::Enum(m), Literal::Str(s)) = (ty, l) {
                if !m.iter().any(|x| **x == **s) {
                    let help = did_you_mean(s, m.iter().map(|x| &**x));
                    self.error_help(
                        "type",
                        format!("`{s}` is not one of {}", m.join(", ")),
                        loc.clone(),
                        help.trim_start_matches("; ").to_string(),
                    );
                    return None;
                }
                continue;
            }
            if lt.unify(ty).is_none() {
                self.error(
                    "type",
                    format!("the cell holds `{lt}` but the column is `{ty}`"),
                    loc.clone(),
                );
                return None;
            }
        }
        if let Cell::Interval {
            lower: Some((lo, _)),
            upper: Some((hi, _)),
        } = &cell
            && crate::eval::compare(&Value::from_literal(lo), &Value::from_literal(hi))
                == Some(std::cmp::Ordering::Greater)
        {
            self.error(
                "range",
                "the interval's lower bound is above its upper bound",
                loc,
            );
            return None;
        }
        Some(cell)
    }

    fn decision(
        &mut self,
        f: usize,
        d: model::DecisionDecl,
        env: &Env,
        reasons: &IndexMap<String, Info>,
        langs: &[String],
    ) -> Option<Decision> {
        let info = self.info(f, &["decision"], &d.cite, &d.interpretation, &None, &None);
        let mut outcomes = IndexMap::new();
        for (id, o) in &d.outcomes {
            if id == "undetermined" {
                let loc = self.loc(f, &["decision", "outcomes", id], true);
                self.error(
                    "structure",
                    "`undetermined` is built in and may not be declared",
                    loc,
                );
            }
            self.labels(
                langs,
                f,
                &["decision", "outcomes", id, "label"],
                o.label.as_ref().unwrap_or(&IndexMap::new()),
            );
            outcomes.insert(
                id.clone(),
                Info {
                    cite: d.cite.clone(),
                    interpretation: None,
                    label: o.label.clone().unwrap_or_default(),
                    description: o.description.clone(),
                    loc: self.loc(f, &["decision", "outcomes", id], true),
                    provision: None,
                    from: None,
                    until: None,
                    provision_index: Default::default(),
                },
            );
        }
        let known_outcome = |this: &mut Self, id: &str, path: &[&str]| {
            if !d.outcomes.contains_key(id) {
                let loc = this.loc(f, path, false);
                let help = did_you_mean(id, d.outcomes.keys().map(String::as_str));
                this.error_help(
                    "unknown-name",
                    format!("unknown outcome `{id}`"),
                    loc,
                    format!("declare it under `decision.outcomes`{help}"),
                );
            }
        };
        known_outcome(self, &d.otherwise, &["decision", "otherwise"]);
        let mut rules = Vec::new();
        let mut ids = HashSet::new();
        for (r, rule) in d.rules.iter().enumerate() {
            let rs = r.to_string();
            let rp = ["decision", "rules", rs.as_str()];
            if !ids.insert(rule.id.clone()) {
                let loc = self.loc(f, &["decision", "rules", &rs, "id"], false);
                self.error(
                    "duplicate",
                    format!("rule `{}` is declared twice", rule.id),
                    loc,
                );
            }
            known_outcome(self, &rule.outcome, &["decision", "rules", &rs, "outcome"]);
            let mut info = self.info(f, &rp, &rule.cite, &rule.interpretation, &rule.label, &None);
            info.provision = self.prov(f, &rp, &rule.provision);
            self.interval(f, &rp, &rule.in_force, &mut info);
            let when = match &rule.when {
                Some(w) => self
                    .code(f, &["decision", "rules", &rs, "when"], w)
                    .and_then(|mut c| self.check_bool(&mut c, env).then_some(c)),
                None => None,
            };
            let mut rreasons = Vec::new();
            for (i, rr) in rule.reasons.iter().enumerate() {
                let is = i.to_string();
                let p = ["decision", "rules", rs.as_str(), "reasons", is.as_str()];
                let declared = reasons.get(&rr.id);
                if declared.is_none() {
                    let loc = self.loc(f, &["decision", "rules", &rs, "reasons", &is, "id"], false);
                    let help = did_you_mean(&rr.id, reasons.keys().map(String::as_str));
                    self.error_help(
                        "unknown-name",
                        format!("unknown reason `{}`", rr.id),
                        loc,
                        format!("declare it under `reasons`{help}"),
                    );
                }
                let cite = rr
                    .cite
                    .clone()
                    .or_else(|| declared.map(|d| d.cite.clone()))
                    .unwrap_or_default();
                let mut rinfo = self.info(f, &p, &cite, &rr.interpretation, &None, &None);
                if let Some(d) = declared {
                    rinfo.label = d.label.clone();
                }
                rinfo.provision = self
                    .prov(f, &p, &rr.provision)
                    .or_else(|| declared.and_then(|d| d.provision.clone()));
                self.interval(f, &p, &rr.in_force, &mut rinfo);
                let code = self
                    .code(
                        f,
                        &["decision", "rules", &rs, "reasons", &is, "when"],
                        &rr.when,
                    )
                    .and_then(|mut c| self.check_bool(&mut c, env).then_some(c));
                if let Some(when) = code {
                    rreasons.push(RuleReason {
                        id: rr.id.clone(),
                        when,
                        info: rinfo,
                    });
                }
            }
            if rule.when.is_none() && rule.reasons.is_empty() {
                let loc = self.loc(f, &rp, false);
                self.error(
                    "structure",
                    format!("rule `{}` needs `when`, `reasons`, or both", rule.id),
                    loc,
                );
            }
            rules.push(Rule {
                id: rule.id.clone(),
                outcome: rule.outcome.clone(),
                when,
                reasons: rreasons,
                info,
            });
        }
        Some(Decision {
            outcomes,
            rules,
            otherwise: d.otherwise,
            info,
        })
    }

    fn check_bool(&mut self, code: &mut Code, env: &Env) -> bool {
        match self.check_code(code, env) {
            Some(t) if t.fits(&Type::Bool) => true,
            Some(t) => {
                let loc = Some(code.site.loc(code.expr.span));
                self.error(
                    "type",
                    format!("a condition must be `bool`, not `{t}`"),
                    loc,
                );
                false
            }
            None => false,
        }
    }
}
