//! Serde structs mirroring the YAML of a policy package: no logic.
//!
//! A package is a manifest file (`policy.yaml`) that may `include` further
//! files with the same sections. Unknown keys are rejected everywhere.

use crate::core::yaml::Data;
use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

/// Labels by language code (`kk`, `ru`, `en`), and optionally which one is
/// the official wording (`official: kk`; by default the package's).
pub type Label = IndexMap<String, String>;

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    pub package: Option<PackageDecl>,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub input: IndexMap<String, FieldDecl>,
    #[serde(default)]
    pub parameters: IndexMap<String, ParamDecl>,
    #[serde(default)]
    pub tables: IndexMap<String, TableDecl>,
    #[serde(default)]
    pub values: IndexMap<String, ValueDecl>,
    /// Small pure functions of the package: typed parameters and an
    /// expression over them (and the policy's parameters).
    #[serde(default)]
    pub functions: IndexMap<String, FunctionDecl>,
    #[serde(default)]
    pub reasons: IndexMap<String, ReasonDecl>,
    pub decision: Option<DecisionDecl>,
    /// Working-day calendars by name: folders relative to this file. The
    /// first is the default of the working-day functions.
    #[serde(default)]
    pub calendars: IndexMap<String, String>,
    /// Code lists that inputs may refer to: a tree of entries with names,
    /// aliases and attributes.
    #[serde(default)]
    pub catalogues: IndexMap<String, CatalogueDecl>,
    /// The act's amendments and repeal, and the versions of its provisions.
    pub history: Option<HistoryDecl>,
    /// How the policy's citations read in its other languages.
    pub citations: Option<CitationsDecl>,
    /// Warnings an evaluation gives when their condition holds.
    #[serde(default)]
    pub warnings: IndexMap<String, WarningDecl>,
    /// Forms of the act (an application, a certificate): their fields and
    /// wording, for filling from a decision.
    #[serde(default)]
    pub forms: IndexMap<String, FormDecl>,
    /// The keys a decision reports besides its outcome, reasons, missing
    /// names and warnings: the policy's output contract.
    #[serde(default)]
    pub report: IndexMap<String, ReportDecl>,
}

/// One key of the report: an expression, a group of values, a list of
/// items with a total, or an object of fields; null unless `when` holds and
/// the outcome is one of `outcomes`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportDecl {
    /// What the key is called in the package's languages, in a text.
    pub label: Option<Label>,
    pub expr: Option<String>,
    /// Computed values, reported by name where they apply.
    pub values: Option<Vec<String>>,
    /// Computed values, reported as `[{id, <item_key>, cite}]`.
    pub items: Option<Vec<String>>,
    /// The key of an item's value (`value` by default).
    pub item_key: Option<String>,
    /// An expression reported as `total` beside `items`.
    pub total: Option<String>,
    pub fields: Option<IndexMap<String, String>>,
    pub when: Option<String>,
    pub outcomes: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormDecl {
    pub title: Label,
    pub cite: String,
    pub provision: Option<String>,
    /// Fixed wording of the form, paragraph by paragraph.
    #[serde(default)]
    pub text: Vec<Label>,
    pub fields: Vec<FormFieldDecl>,
    pub description: Option<String>,
    /// The outcomes of the decisions the form is issued from (a
    /// certificate: `[grant]`; a refusal: `[refuse, reject_intake]`);
    /// without them, the form does not say, and is not rendered.
    #[serde(default)]
    pub outcomes: Vec<String>,
    /// How the form is laid out, per language: its blocks top to bottom,
    /// each a text with `{field}` (or `{field|caption}`) placeholders that
    /// the field's value fills, or a visible blank where it is unknown.
    #[serde(default)]
    pub layout: IndexMap<String, Vec<BlockDecl>>,
    /// The words a reason is given in on this form, where they say more
    /// than its label (the act's own wording of a ground), by reason.
    #[serde(default)]
    pub grounds: IndexMap<String, Label>,
}

/// One block of a form's layout: exactly one of `heading`, `text`,
/// `line`, `note`, `signature`, `grounds` and `reading`. Each is a text
/// in the layout's language with placeholders: `{field}` is the field's
/// value (a date as the language writes it, an entry by its name, a
/// blank `________` when unknown), `{field|caption}` the same with the
/// form's caption under it (what the blank is for).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockDecl {
    /// A heading: the form's name.
    pub heading: Option<String>,
    /// A paragraph of the form's wording.
    pub text: Option<String>,
    /// A line of blanks and words, as the form prints it.
    pub line: Option<String>,
    /// With `line`: what the form prints at the right of the same line (a
    /// date beside a number).
    pub right: Option<String>,
    /// Small print: the form's own explanation of the line above.
    pub note: Option<String>,
    /// The signature and seal: a line set apart at the foot of the form.
    pub signature: Option<String>,
    /// One item per reason the decision gives, numbered: `{ground}` is the
    /// reason's words (see the form's `grounds`), `{cite}` its citation.
    pub grounds: Option<String>,
    /// A reading of the act, not its words: shown marked as such.
    pub reading: Option<String>,
    /// Shown only for these outcomes; for every outcome when empty.
    #[serde(default)]
    pub outcomes: Vec<String>,
    pub cite: Option<String>,
    pub interpretation: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormFieldDecl {
    pub id: String,
    pub label: Label,
    /// What fills the field, when the policy knows it.
    pub expr: Option<String>,
    pub cite: Option<String>,
    /// The words shown for each value the field may have (an enum's), per
    /// language; a value without words is shown as it is.
    #[serde(default)]
    pub words: IndexMap<String, Label>,
}

/// How the policy's `cite` fields read in its other languages: the
/// language they are written in, and each term of a citation (words, with
/// `{n}` for a number and `§{n}` for one written after `§`) with its
/// wording in the others. A citation with a word no term covers is shown
/// as written, and `check` warns.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CitationsDecl {
    pub language: String,
    pub terms: IndexMap<String, Label>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HistoryDecl {
    #[serde(default)]
    pub acts: Vec<ActEventDecl>,
    #[serde(default)]
    pub provisions: IndexMap<String, ProvisionDecl>,
}

/// An act that amended or repealed the encoded act.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActEventDecl {
    pub id: String,
    pub kind: ActKind,
    pub title: Option<Label>,
    pub issuer: Option<String>,
    pub number: Option<String>,
    /// The date the act was signed.
    pub signed: Option<String>,
    pub in_force: InForceDecl,
    /// The provisions it changed.
    #[serde(default)]
    pub changes: Vec<String>,
    pub cite: String,
    pub interpretation: Option<String>,
    pub description: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActKind {
    Amendment,
    Repeal,
}

/// When an act came into force: an exact `date`, or the `earliest` date it
/// can have (and the `latest`, where known), with the rule that fixes it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InForceDecl {
    pub date: Option<String>,
    pub earliest: Option<String>,
    pub latest: Option<String>,
    pub rule: Option<String>,
    /// `rule` in the package's other languages, for texts in them.
    #[serde(default)]
    pub rule_words: Label,
    pub interpretation: Option<String>,
    /// What each source says of the date, where sources differ (a register
    /// and the act's own rule, say): each date lies in the window
    /// `earliest`..=`latest`, and a warning in the window names them all.
    #[serde(default)]
    pub sources: Vec<DateSourceDecl>,
}

/// What one source says of the date an act came into force: a `date`, or
/// the `earliest` it can be.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DateSourceDecl {
    /// The source, as a reader finds it: `the state register`.
    pub by: String,
    /// `by` in the package's other languages, for texts in them.
    #[serde(default)]
    pub by_words: Label,
    pub date: Option<String>,
    pub earliest: Option<String>,
}

/// A provision of the act (a paragraph, an annex) and its versions.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvisionDecl {
    pub title: Option<Label>,
    pub cite: String,
    pub versions: Vec<VersionDecl>,
    pub description: Option<String>,
}

/// A version of a provision, in force from a date or from an act's entry
/// into force, until the next version.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionDecl {
    pub from: Option<String>,
    /// The amending (or repealing) act that brought this version in.
    pub act: Option<String>,
    /// Whether this version's wording is encoded in the policy. A version
    /// that is not makes what rests on the provision unknown.
    pub encoded: bool,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WarningDecl {
    pub when: String,
    pub message: Label,
    pub cite: String,
    pub provision: Option<String>,
    pub interpretation: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogueDecl {
    /// The kinds of entries, outermost first (`[sector, activity, ...]`).
    pub kinds: Vec<String>,
    /// What each kind is called in the package's languages, for documents.
    #[serde(default)]
    pub kind_labels: IndexMap<String, Label>,
    /// Typed attributes entries may carry; `inherit: true` passes an
    /// ancestor's value down to entries that state none.
    #[serde(default)]
    pub attributes: IndexMap<String, AttributeDecl>,
    pub entries: Vec<EntryDecl>,
    pub cite: String,
    pub label: Option<Label>,
    pub interpretation: Option<String>,
    pub description: Option<String>,
    /// The provision whose wording the catalogue is.
    pub provision: Option<String>,
    /// Look-alike characters names may be typed with, each to the one it
    /// stands for (a Latin i mapped to the Cyrillic letter it resembles,
    /// U+0456, when a name prints one for the other). Names and searches
    /// are compared with these
    /// folded, after Unicode NFC; the official names stay as written.
    #[serde(default)]
    pub fold: IndexMap<String, String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AttributeDecl {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub inherit: bool,
    /// The value of an entry that neither states nor inherits one; without
    /// it, such an entry's attribute is unknown.
    #[serde(default, deserialize_with = "present")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub default: Option<Data>,
    pub description: Option<String>,
    /// The provision the attribute encodes, where it is not the
    /// catalogue's own citation.
    pub cite: Option<String>,
    /// A reading the attribute makes (that an entry inherits its
    /// ancestor's value, say), stated where a reader of the policy sees it.
    pub interpretation: Option<String>,
}

/// An entry; keys other than those below are its attributes, checked
/// against the catalogue's declared attributes. An attribute is a value,
/// or `{values: {DATE: VALUE, ...}}` for values by the date each applies
/// from (each may be `{value, cite, interpretation}`).
#[derive(Debug, Deserialize, JsonSchema)]
pub struct EntryDecl {
    pub id: String,
    pub kind: String,
    pub name: Label,
    /// The full official wording of the entry, where it says more than its
    /// name.
    pub wording: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub cite: String,
    pub interpretation: Option<String>,
    /// An editorial note on how the entry was transcribed.
    pub note: Option<String>,
    /// When the entry is in the catalogue; by default always.
    pub in_force: Option<PeriodDecl>,
    #[serde(default)]
    pub children: Vec<EntryDecl>,
    #[serde(flatten)]
    #[schemars(with = "IndexMap<String, serde_json::Value>")]
    pub attributes: IndexMap<String, Data>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageDecl {
    /// A stable id, such as `example-allowance`.
    pub id: String,
    pub title: Label,
    pub act: ActDecl,
    /// The languages labels are written in.
    pub languages: Vec<String>,
    /// The language whose wording is authoritative.
    pub official_language: String,
    /// The dates the act is in force: `from` inclusive, `until` exclusive.
    pub in_force: IntervalDecl,
    /// The date an application is evaluated at unless one is given: an
    /// expression over the inputs, such as `date_of(submitted_at)`.
    pub evaluation_date: Option<String>,
    pub description: Option<String>,
}

/// The identity of the legal act a package encodes.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActDecl {
    pub issuer: Option<String>,
    pub kind: Option<String>,
    pub number: Option<String>,
    pub date: Option<String>,
    pub registration: Option<String>,
    pub source: Option<String>,
    pub cite: String,
}

#[derive(Debug, Deserialize, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IntervalDecl {
    pub from: String,
    pub until: Option<String>,
}

/// The dates an item exists, where an amendment added (`from`, inclusive)
/// or removed (`until`, exclusive) it; either may be left open.
#[derive(Debug, Deserialize, Clone, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodDecl {
    pub from: Option<String>,
    pub until: Option<String>,
}

/// A field of the input schema: a scalar or list type, or a record of
/// further fields.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldDecl {
    #[serde(rename = "type")]
    pub ty: Option<String>,
    pub fields: Option<IndexMap<String, FieldDecl>>,
    #[serde(default)]
    pub optional: bool,
    pub label: Option<Label>,
    pub cite: Option<String>,
    pub description: Option<String>,
    /// For a `ref(...)` field: the kinds of entry it may name.
    pub kinds: Option<Vec<String>>,
    /// For a `ref(...)` field: a sibling input field naming an ancestor
    /// entry, which settles a name shared by several entries.
    pub within: Option<String>,
    /// For a top-level `ref(...)` field: the sibling text field where an
    /// application names what the catalogue does not list (a profession
    /// outside the List). A name the catalogue does not know is pointed
    /// there, and the two may not be given together.
    pub unlisted: Option<String>,
    /// For a `datetime` field: the time of day a bare date stands for
    /// (`"09:00"`); without it a bare date is not accepted.
    pub bare_date_time: Option<String>,
    /// For a top-level optional field: a condition on the other inputs
    /// under which it is required after all (`service == "issue"`).
    pub required_when: Option<String>,
    pub interpretation: Option<String>,
    /// What the number counts, shown beside it where a person reads it: a
    /// word such as a currency's code (`GBP`), `years`, `points`, or
    /// `percent` (a fraction, 0.20, shown as 20%). Numbers only.
    pub unit: Option<String>,
    /// The least value the field accepts (a number, a date or a time, as
    /// the field is): a value below it is an input error, not a decision.
    #[serde(default, deserialize_with = "present")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub min: Option<Data>,
    /// The greatest value the field accepts.
    #[serde(default, deserialize_with = "present")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub max: Option<Data>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParamDecl {
    #[serde(rename = "type")]
    pub ty: String,
    /// `value: 6`, or `value: null` for a parameter the act leaves without
    /// a value. Either `value` or `values` must be given.
    #[serde(default, deserialize_with = "present")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub value: Option<Data>,
    /// Values by the date they apply from: `{2017-01-01: 3, 2021-01-10: 4}`;
    /// each may be written `{value: 4, cite: ..., interpretation: ...}`
    /// to give it a citation and a reading of its own.
    #[schemars(with = "Option<IndexMap<String, serde_json::Value>>")]
    pub values: Option<IndexMap<String, Data>>,
    pub cite: String,
    pub interpretation: Option<String>,
    pub label: Option<Label>,
    pub description: Option<String>,
    /// The provision of the act this item encodes, when versions matter.
    pub provision: Option<String>,
    /// What the number counts, shown beside it where a person reads it: a
    /// word such as a currency's code (`GBP`), `years`, `points`, or
    /// `percent` (a fraction, 0.20, shown as 20%). Numbers only.
    pub unit: Option<String>,
}

/// Tells `value: null` (present, without a value) from an absent key.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Data>, D::Error> {
    Data::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TableDecl {
    /// The input columns and their types, in the order `lookup` takes them.
    pub columns: IndexMap<String, String>,
    /// The type of the table's result.
    pub output: String,
    pub hit: HitPolicy,
    /// The result when no row matches; without it, no match is an error.
    #[serde(default, deserialize_with = "present")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub default: Option<Data>,
    pub rows: Vec<RowDecl>,
    pub cite: String,
    pub interpretation: Option<String>,
    pub label: Option<Label>,
    pub description: Option<String>,
    /// The provision of the act this item encodes, when versions matter.
    pub provision: Option<String>,
    /// The dates the table exists (an amendment added or removed it);
    /// outside them a lookup in it is unknown.
    pub in_force: Option<PeriodDecl>,
}

/// Which rows' results a lookup returns.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HitPolicy {
    /// Exactly one row may match; two matching rows are an error.
    Unique,
    /// The first matching row, in the order written.
    First,
    /// Every matching row must give the same result.
    Any,
    /// The sum of the results of every matching row (numbers only).
    Sum,
    /// The list of the results of every matching row, in order.
    Collect,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RowDecl {
    /// A cell per column (`"[12, 36)"`, `">= 12"`, `"-"`, or a value); an
    /// absent column matches anything.
    #[schemars(with = "IndexMap<String, serde_json::Value>")]
    pub when: IndexMap<String, Data>,
    /// The row's result: a value of the table's output type; or else
    /// `then_expr`.
    #[serde(default, deserialize_with = "present")]
    #[schemars(with = "Option<serde_json::Value>")]
    pub then: Option<Data>,
    /// The row's result computed from the inputs, parameters and values:
    /// an expression of the table's output type.
    pub then_expr: Option<String>,
    pub cite: String,
    pub interpretation: Option<String>,
    pub label: Option<Label>,
    /// The dates the row is in the table (an amendment added or removed
    /// it); outside them it matches nothing.
    pub in_force: Option<PeriodDecl>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValueDecl {
    #[serde(rename = "type")]
    pub ty: Option<String>,
    /// The value's expression; or else `any_of`.
    pub expr: Option<String>,
    /// Alternatives, any one of which suffices: the value (a `bool`) holds
    /// when any option's condition holds, and the decision says which did
    /// and, when none did, why each failed.
    pub any_of: Option<IndexMap<String, OptionDecl>>,
    /// When the value applies; otherwise it is not computed, not reported,
    /// and unknown to expressions that read it.
    pub when: Option<String>,
    /// The dates the value exists (an amendment added or removed it);
    /// outside them it does not apply.
    pub in_force: Option<PeriodDecl>,
    pub cite: String,
    pub interpretation: Option<String>,
    pub label: Option<Label>,
    pub description: Option<String>,
    /// The provision of the act this item encodes, when versions matter.
    pub provision: Option<String>,
    /// What the number counts, shown beside it where a person reads it: a
    /// word such as a currency's code (`GBP`), `years`, `points`, or
    /// `percent` (a fraction, 0.20, shown as 20%). Numbers only.
    pub unit: Option<String>,
}

/// A function of the package: `params` (names and types, in order), an
/// `expr` over them, and what it returns (its expression's type unless
/// declared).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FunctionDecl {
    #[serde(default)]
    pub params: IndexMap<String, String>,
    pub returns: Option<String>,
    pub expr: String,
    pub cite: String,
    pub interpretation: Option<String>,
    pub label: Option<Label>,
    pub description: Option<String>,
    /// The provision of the act this function encodes, when versions matter.
    pub provision: Option<String>,
}

/// One option of an `any_of` value: a condition with its citation.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionDecl {
    pub when: String,
    pub cite: String,
    pub interpretation: Option<String>,
    pub label: Option<Label>,
    pub description: Option<String>,
    /// The provision of the act this option encodes, when versions matter.
    pub provision: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonDecl {
    pub cite: String,
    pub interpretation: Option<String>,
    pub label: Option<Label>,
    pub description: Option<String>,
    /// The provision of the act this item encodes, when versions matter.
    pub provision: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionDecl {
    pub outcomes: IndexMap<String, OutcomeDecl>,
    pub rules: Vec<RuleDecl>,
    /// The outcome when no rule holds.
    pub otherwise: String,
    pub cite: String,
    pub interpretation: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeDecl {
    pub label: Option<Label>,
    /// Labels that depend on the application: a label for some members of
    /// an input, read instead of `label` when the input has that member.
    pub label_by: Option<LabelByDecl>,
    pub description: Option<String>,
}

/// An outcome's labels by the member of an input: `{input: service, cases:
/// {issue: {en: Issued}, extend: {en: Extended}}}`. A member without a
/// case, or a case without a language, takes the outcome's `label`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LabelByDecl {
    /// The input field (a dotted path for a nested one) whose member picks
    /// the label; it must be of an enumeration type.
    pub input: String,
    /// A label for each member that has one of its own.
    pub cases: IndexMap<String, Label>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDecl {
    pub id: String,
    pub outcome: String,
    /// When the rule applies at all; by default always.
    pub when: Option<String>,
    /// The grounds of the outcome: the rule holds when any of them holds.
    /// Without reasons the rule holds when `when` holds.
    #[serde(default)]
    pub reasons: Vec<RuleReasonDecl>,
    pub cite: String,
    pub interpretation: Option<String>,
    pub label: Option<Label>,
    /// The provision of the act this item encodes, when versions matter.
    pub provision: Option<String>,
    /// The dates the rule exists; outside them it is passed over.
    pub in_force: Option<PeriodDecl>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleReasonDecl {
    /// A reason declared under `reasons`.
    pub id: String,
    pub when: String,
    pub cite: Option<String>,
    pub interpretation: Option<String>,
    /// The provision of the act this item encodes, when versions matter.
    pub provision: Option<String>,
    /// The dates the reason exists; outside them it does not hold.
    pub in_force: Option<PeriodDecl>,
}

/// An overlay: parameters set or replaced at evaluation time.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverlayFile {
    /// The package the overlay is written for; checked when given.
    pub policy: Option<String>,
    pub description: Option<String>,
    #[schemars(with = "IndexMap<String, serde_json::Value>")]
    pub parameters: IndexMap<String, Data>,
}
