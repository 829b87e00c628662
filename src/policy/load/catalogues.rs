//! The `catalogues` section: code lists as trees of entries, with their
//! kinds, typed attributes (inherited or defaulted) and dates in force.

use indexmap::IndexMap;

use super::context::{Common, Decls, Loader, closest};
use super::err::LoadError;
use crate::core::value::Value;
use crate::core::yaml::Data;
use crate::policy::catalogue::{Attribute, Catalogue, Entry};
use crate::policy::model::{AttributeDecl, CatalogueDecl, EntryDecl};

/// The fields of an entry that are not attributes.
const RESERVED: [&str; 6] = ["id", "kind", "name", "parent", "in_force", "wording"];

/// Attributes by name: their types, and whether entries inherit them.
type Attributes = IndexMap<String, (crate::lang::types::Type, bool)>;

/// An entry's declaration, its path, and the place of its parent.
type Pending<'d> = (Vec<String>, &'d EntryDecl, Option<usize>);

impl Loader {
    /// The catalogues; `official` is the language of their official names.
    pub(super) fn catalogues(
        &mut self,
        catalogues: &Decls<CatalogueDecl>,
        official: &str,
    ) -> Vec<Catalogue> {
        let mut out = Vec::new();
        for (name, (f, d)) in catalogues {
            out.push(self.catalogue(*f, name, d, official));
        }
        out
    }

    /// A catalogue's look-alike characters: each key and value one
    /// character (lower case), a key not folded twice.
    fn fold(
        &mut self,
        f: usize,
        name: &str,
        decl: &indexmap::IndexMap<String, String>,
    ) -> Vec<(char, char)> {
        let mut out: Vec<(char, char)> = Vec::new();
        for (from, to) in decl {
            let one = |s: &str| {
                let mut cs = s.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), None) => Some(c.to_lowercase().next().unwrap_or(c)),
                    _ => None,
                }
            };
            match (one(from), one(to)) {
                (Some(a), Some(b)) if a != b && !out.iter().any(|(x, _)| *x == a) => {
                    out.push((a, b))
                }
                _ => {
                    let loc = self.loc(f, &["catalogues", name, "fold", from], true);
                    self.fail(LoadError::Fold(from.clone(), to.clone()), loc);
                }
            }
        }
        out
    }

    fn catalogue(&mut self, f: usize, name: &str, d: &CatalogueDecl, official: &str) -> Catalogue {
        let base = ["catalogues", name];
        let info = self.item(f, &base, Common::of(d));
        let (attributes, defaults) = self.attributes(f, name, &d.attributes);
        let attribute_info = d
            .attributes
            .iter()
            .map(|(a, decl)| {
                let ap = ["catalogues", name, "attributes", a.as_str()];
                let i = crate::policy::Info {
                    cite: decl.cite.clone().unwrap_or_else(|| info.cite.clone()),
                    interpretation: decl.interpretation.clone(),
                    description: decl.description.clone(),
                    loc: self.loc(f, &ap, true),
                    provision: d.provision.clone(),
                    ..crate::policy::Info::default()
                };
                (a.clone(), i)
            })
            .collect();
        for (kind, label) in &d.kind_labels {
            let kp = ["catalogues", name, "kind_labels", kind.as_str()];
            if !d.kinds.contains(kind) {
                let err = LoadError::NotAKind {
                    kind: kind.clone(),
                    catalogue: name.to_string(),
                    kinds: d.kinds.clone(),
                    suggestion: closest(kind, &d.kinds),
                };
                let loc = self.loc(f, &kp, true);
                self.fail(err, loc);
            }
            self.labels(f, &kp, label);
        }
        let mut cat = Catalogue {
            name: name.to_string(),
            kinds: d.kinds.clone(),
            kind_labels: d.kind_labels.clone(),
            attributes,
            attribute_info,
            entries: Vec::new(),
            by_id: Default::default(),
            by_name: Default::default(),
            written: Default::default(),
            official: official.to_string(),
            provision: d.provision.clone(),
            info,
            fold: self.fold(f, name, &d.fold),
        };
        // Depth-first, parents before children.
        let mut stack: Vec<Pending<'_>> = d
            .entries
            .iter()
            .enumerate()
            .rev()
            .map(|(i, e)| {
                let path = ["catalogues", name, "entries", &i.to_string()];
                (path.map(String::from).to_vec(), e, None)
            })
            .collect();
        while let Some((path, e, parent)) = stack.pop() {
            let p: Vec<&str> = path.iter().map(String::as_str).collect();
            let entry = self.entry(f, &p, e, parent, &cat, &defaults);
            let ix = cat.entries.len();
            cat.by_id.insert(e.id.clone(), ix);
            if let Some(pi) = parent {
                cat.entries[pi].children.push(ix);
            }
            cat.entries.push(entry);
            for (i, c) in e.children.iter().enumerate().rev() {
                let mut cp = path.clone();
                cp.extend(["children".to_string(), i.to_string()]);
                stack.push((cp, c, Some(ix)));
            }
        }
        cat.index_names();
        cat
    }

    /// The declared attributes of catalogue `name` with their types and
    /// whether they are inherited, and the defaults of those that have one.
    fn attributes(
        &mut self,
        f: usize,
        name: &str,
        decls: &IndexMap<String, AttributeDecl>,
    ) -> (Attributes, IndexMap<String, Value>) {
        let mut attributes = IndexMap::new();
        let mut defaults: IndexMap<String, Value> = IndexMap::new();
        for (a, decl) in decls {
            let ap = ["catalogues", name, "attributes", a.as_str()];
            if RESERVED.contains(&a.as_str()) {
                let loc = self.loc(f, &ap, true);
                self.fail(LoadError::ReservedAttribute(a.clone()), loc);
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
        (attributes, defaults)
    }

    /// The entry `e` at path `p`, under the entry at `parent` of `cat`.
    fn entry(
        &mut self,
        f: usize,
        p: &[&str],
        e: &EntryDecl,
        parent: Option<usize>,
        cat: &Catalogue,
        defaults: &IndexMap<String, Value>,
    ) -> Entry {
        self.entry_kind(f, p, e, parent, cat);
        let mut ip = p.to_vec();
        ip.push("id");
        if e.id.trim().is_empty() {
            let loc = self.loc(f, &ip, false);
            self.fail(LoadError::EmptyEntryId, loc);
        }
        if cat.by_id.contains_key(&e.id) {
            let loc = self.loc(f, &ip, false);
            let err = LoadError::EntryTwice {
                id: e.id.clone(),
                catalogue: cat.name.clone(),
            };
            self.fail(err, loc);
        }
        let mut np = p.to_vec();
        np.push("name");
        self.labels(f, &np, &e.name);
        let mut info = self.info(
            f,
            p,
            &e.cite,
            &e.interpretation,
            &Some(e.name.clone()),
            &None,
        );
        info.loc = self.loc(f, &ip, false);
        let attributes = self.entry_attributes(f, p, e, parent, cat, defaults);
        let (from, until) = match &e.in_force {
            Some(i) => {
                let item = format!("entry `{}` of catalogue `{}`", e.id, cat.name);
                self.in_force(f, p, &item, i, &cat.info.provision)
            }
            None => (None, None),
        };
        Entry {
            id: e.id.clone(),
            kind: e.kind.clone(),
            name: e.name.clone(),
            wording: e.wording.clone(),
            aliases: e.aliases.clone(),
            parent,
            children: Vec::new(),
            attributes,
            from,
            until,
            note: e.note.clone(),
            info,
        }
    }

    /// Checks that an entry's kind is one of the catalogue's, and comes
    /// after its parent's.
    fn entry_kind(
        &mut self,
        f: usize,
        p: &[&str],
        e: &EntryDecl,
        parent: Option<usize>,
        cat: &Catalogue,
    ) {
        let kind_ix = cat.kinds.iter().position(|k| *k == e.kind);
        let parent_kind =
            parent.and_then(|pi| cat.kinds.iter().position(|k| *k == cat.entries[pi].kind));
        let mut kp = p.to_vec();
        kp.push("kind");
        match kind_ix {
            None => {
                let loc = self.loc(f, &kp, false);
                let err = LoadError::NotAKind {
                    kind: e.kind.clone(),
                    catalogue: cat.name.clone(),
                    kinds: cat.kinds.clone(),
                    suggestion: closest(&e.kind, &cat.kinds),
                };
                self.fail(err, loc);
            }
            Some(k) if parent_kind.is_some_and(|pk| k <= pk) => {
                let loc = self.loc(f, &kp, false);
                let err = LoadError::KindInside {
                    kind: e.kind.clone(),
                    parent: cat.entries[parent.unwrap_or(0)].kind.clone(),
                };
                self.fail(err, loc);
            }
            _ => {}
        }
    }

    /// An entry's attributes: those it states, then those it inherits from
    /// its parent, then the defaults.
    fn entry_attributes(
        &mut self,
        f: usize,
        p: &[&str],
        e: &EntryDecl,
        parent: Option<usize>,
        cat: &Catalogue,
        defaults: &IndexMap<String, Value>,
    ) -> IndexMap<String, Attribute, foldhash::fast::RandomState> {
        let mut attrs = IndexMap::default();
        for (a, data) in &e.attributes {
            let mut ap = p.to_vec();
            ap.push(a);
            match cat.attributes.get(a) {
                Some((t, _)) => {
                    let read = match dated(data) {
                        Some(values) => self.dated_attribute(f, &ap, e, cat, values, t),
                        None => self.data(f, &ap, data, t).map(Attribute::Plain),
                    };
                    if let Some(v) = read {
                        attrs.insert(a.clone(), v);
                    }
                }
                None => {
                    let loc = self.loc(f, &ap, true);
                    let mut known: Vec<&str> = cat.attributes.keys().map(String::as_str).collect();
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
                    let e = LoadError::UnknownAttribute {
                        attribute: a.clone(),
                        catalogue: cat.name.clone(),
                        suggestion: closest(a, known),
                    };
                    self.fail(e, loc);
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
        for (a, v) in defaults {
            if !attrs.contains_key(a) {
                attrs.insert(a.clone(), Attribute::Plain(v.clone()));
            }
        }
        attrs
    }

    /// The dated values of an entry's attribute, written at `ap` as
    /// `{values: {DATE: VALUE, ...}}` (`values` is the mapping read by
    /// [`dated`]), each of type `ty`.
    fn dated_attribute(
        &mut self,
        f: usize,
        ap: &[&str],
        e: &EntryDecl,
        cat: &Catalogue,
        mapping: &crate::core::yaml::Mapping,
        ty: &crate::lang::types::Type,
    ) -> Option<Attribute> {
        let attribute = ap.last().copied().unwrap_or_default();
        let mut fine = true;
        for k in mapping.keys().filter(|k| k.as_str() != Some("values")) {
            let key = super::parameters::key_text(k);
            let mut kp = ap.to_vec();
            kp.push(&key);
            let loc = self.loc(f, &kp, true);
            let err = LoadError::AttributeValuesKey {
                key: key.clone(),
                attribute: attribute.to_string(),
            };
            self.fail(err, loc);
            fine = false;
        }
        let mut vp = ap.to_vec();
        vp.push("values");
        let values = mapping.get("values")?;
        let Data::Mapping(values) = values else {
            let loc = self.loc(f, &vp, false);
            let what = crate::core::value::describe_data(values);
            self.fail(LoadError::ValuesNotMapping(what), loc);
            return None;
        };
        let entries = values
            .iter()
            .map(|(k, v)| (super::parameters::key_text(k), v))
            .collect();
        let item = format!(
            "attribute `{attribute}` of entry `{}` of catalogue `{}`",
            e.id, cat.name
        );
        let read = self.dated_values(f, &vp, entries, ty, &item, &cat.info.provision);
        let values: Vec<_> = read.into_iter().map(|r| r.value).collect();
        (fine && !values.is_empty()).then(|| Attribute::Dated(values.into()))
    }
}

/// The mapping of dates of an attribute written as dated values
/// (`{values: {...}}`), or `None` for one written as a single value.
fn dated(data: &Data) -> Option<&crate::core::yaml::Mapping> {
    match data {
        Data::Mapping(m) if m.contains_key("values") => Some(m),
        _ => None,
    }
}
