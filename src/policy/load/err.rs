//! What goes wrong in loading a package: one variant per kind of failure,
//! with what the message, the hint and the diagnostic's stable code are
//! made from. The place is given apart, when the failure becomes a
//! [`Diagnostic`].

use chrono::NaiveDate;
use thiserror::Error;

use crate::core::diag::Diagnostic;
use crate::core::source::Loc;
use crate::lang::check::TypeError;
use crate::lang::syntax::SyntaxError;
use crate::lang::types::Type;

/// A failure to load a package.
#[derive(Clone, Debug, Error)]
pub enum LoadError {
    // Files.
    /// A file that cannot be read: the reader's words.
    #[error("{0}")]
    Io(String),
    /// A file that is not YAML, or not of the package's shape; `help` is
    /// [`super::yaml_error_place`]'s.
    #[error("{message}")]
    Yaml {
        message: String,
        file: String,
        help: String,
    },
    #[error("an included file may not have `package` or `include`")]
    IncludedManifest,
    /// An included file with nothing but blanks and comments: one being
    /// written, or cut short, whose names would be reported unknown.
    #[error("the included file `{}` is empty: it declares nothing", crate::core::text::escape(.0))]
    EmptyInclude(String),

    #[error("the manifest has no `package` section")]
    NoPackage { file: String },

    // Names declared twice.
    /// `history` or `decision` in two files.
    #[error("`{0}` is declared twice")]
    SectionTwice(&'static str),
    #[error("calendar `{0}` is declared twice")]
    CalendarTwice(String),
    #[error("`{name}` is declared twice in `{section}`")]
    DeclaredTwice { name: String, section: String },
    /// A name that is an input field, a parameter or a value twice over:
    /// `first` is what it was, `second` what it is declared again as.
    #[error("`{name}` is both {first} and {second}")]
    NameClash {
        name: String,
        first: &'static str,
        second: &'static str,
    },
    /// An input field, a parameter or a computed value named
    /// `evaluation_date`, the built-in name of the date of evaluation.
    #[error(
        "`evaluation_date` is the built-in name of the date the evaluation is made at, and cannot also be {0}"
    )]
    ReservedName(&'static str),
    #[error("act `{0}` is recorded twice")]
    ActTwice(String),
    #[error("entry id `{id}` is used twice in catalogue `{catalogue}`")]
    EntryTwice { id: String, catalogue: String },
    #[error("rule `{0}` is declared twice")]
    RuleTwice(String),

    // Provenance and labels.
    #[error("the citation is empty")]
    EmptyCitation,
    /// A term of the `citations` section that matches nothing.
    #[error("citation term `{0}` has no words to match")]
    EmptyTerm(String),
    /// A term whose wording in a language lacks one of its slots, or names
    /// one it does not have.
    #[error(
        "the {language} wording of citation term `{term}` does not match its slots: `{{{slot}}}` is in one and not the other"
    )]
    TermSlots {
        term: String,
        language: String,
        slot: String,
    },
    /// A label in a language the package does not declare; `languages`
    /// are those it does.
    #[error("`{language}` is not one of the package's languages")]
    NotALanguage {
        language: String,
        languages: Vec<String>,
    },
    /// The package's official language is not among its languages.
    #[error("`{0}` is not one of the package's languages")]
    OfficialLanguage(String),

    // Dates and periods.
    #[error("`{0}` is not a date")]
    NotADate(String),
    #[error("the act ends before it starts")]
    EndsBeforeStart,
    #[error("`until` is not after `from`: the item would never be in force")]
    EmptyInForce,
    #[error("`in_force` needs `from`, `until` or both")]
    EmptyPeriod,
    #[error("dated values must be in ascending order of date")]
    DatedValuesOrder,
    #[error("`values` needs at least one date")]
    NoDatedValues,
    /// A key of a dated value written as a mapping other than `value`,
    /// `cite` and `interpretation`.
    #[error("unknown field `{key}` in a dated value")]
    DatedValueKey {
        key: String,
        suggestion: Option<String>,
    },
    #[error("a dated value written as a mapping needs `value`")]
    DatedValueWithoutValue,
    /// A key of an attribute's dated values other than `values`.
    #[error("unknown field `{key}` in the dated values of attribute `{attribute}`")]
    AttributeValuesKey { key: String, attribute: String },
    /// `values` of an attribute that is not a mapping: what it is.
    #[error("`values` must map dates to values, not {0}")]
    ValuesNotMapping(String),
    /// A `cite` or an `interpretation` that is not text: what it is.
    #[error("`{key}` must be text, not {found}")]
    NotText { key: String, found: String },
    #[error("`latest` is before `earliest`")]
    LatestBeforeEarliest,
    /// `min` or `max` on a field whose values have no order: the key, the
    /// field's type.
    #[error("`{0}` applies to numbers, dates and times, not to {1}")]
    BoundOfType(String, String),
    /// A `min` or `max` that is not a value of the field's type.
    #[error("`{0}`: {1}")]
    BoundValue(String, String),
    #[error("`max` is less than `min`")]
    BoundsOrder,
    /// A source's date outside the act's window: the date, the window.
    #[error("the source's date {date} is outside the act's window, {window}")]
    SourceOutsideWindow { date: NaiveDate, window: String },
    #[error("versions must be in ascending order of date")]
    VersionsOrder,

    // Expressions, types and data.
    /// An expression that does not parse: the error and the text.
    #[error("{error}")]
    Syntax { error: SyntaxError, text: String },
    #[error("`{0}` is not a type")]
    NotAType(String),
    /// An expression that does not type-check.
    #[error("{0}")]
    Check(TypeError),
    #[error("a condition must be `bool`, not `{0}`")]
    NotACondition(Type),
    #[error("the value is declared `{declared}` but its expression is `{found}`")]
    Declared { declared: Type, found: Type },
    #[error("`evaluation_date` must be a `date`, not `{0}`")]
    EvaluationDate(Type),
    /// A parameter read by `package.evaluation_date` whose value differs
    /// from one day the act is in force to another: how.
    #[error(
        "parameter `{name}` cannot be read in `package.evaluation_date`: {how}, and the evaluation date is computed before it is known which of its values applies"
    )]
    DatedInEvaluationDate { name: String, how: String },
    /// A read of a catalogue attribute with dated values in an expression
    /// computed before the evaluation date is known: `what`.
    #[error(
        "attribute `{attribute}` of catalogue `{catalogue}` has dated values, and cannot be read in {what}"
    )]
    DatedAttributeTooEarly {
        catalogue: String,
        attribute: String,
        what: &'static str,
    },
    /// Data that is not of its declared type: the reader's words.
    #[error("{0}")]
    Data(String),
    #[error(
        "computed value `{value}` depends on itself: {}",
        cycle.join(" -> ")
    )]
    Cycle { value: String, cycle: Vec<String> },

    // Unknown names; `suggestion` is the closest known one.
    #[error("unknown provision `{name}`")]
    UnknownProvision {
        name: String,
        suggestion: Option<String>,
    },
    /// A provision an act changes that the history does not declare.
    #[error("unknown provision `{name}`")]
    UnknownChange {
        name: String,
        suggestion: Option<String>,
    },
    #[error("unknown act `{name}`")]
    UnknownAct {
        name: String,
        suggestion: Option<String>,
    },
    #[error("unknown catalogue `{name}`")]
    UnknownCatalogue {
        name: String,
        suggestion: Option<String>,
    },
    /// A `kinds` entry of a reference field.
    #[error("catalogue `{catalogue}` has no kind `{kind}`")]
    NoSuchKind {
        catalogue: String,
        kind: String,
        kinds: Vec<String>,
    },
    /// An entry's kind.
    #[error("`{kind}` is not a kind of catalogue `{catalogue}`")]
    NotAKind {
        kind: String,
        catalogue: String,
        kinds: Vec<String>,
        suggestion: Option<String>,
    },
    #[error("unknown field `{attribute}` in an entry of catalogue `{catalogue}`")]
    UnknownAttribute {
        attribute: String,
        catalogue: String,
        suggestion: Option<String>,
    },
    #[error("table `{table}` has no column `{column}`")]
    NoSuchColumn {
        table: String,
        column: String,
        suggestion: Option<String>,
    },
    #[error("unknown outcome `{name}`")]
    UnknownOutcome {
        name: String,
        suggestion: Option<String>,
    },
    #[error("unknown reason `{name}`")]
    UnknownReason {
        name: String,
        suggestion: Option<String>,
    },
    #[error("unknown computed value `{name}`")]
    UnknownValue {
        name: String,
        suggestion: Option<String>,
    },
    /// The input an outcome's `label_by` names.
    #[error("unknown input field `{name}`")]
    UnknownInput {
        name: String,
        suggestion: Option<String>,
    },

    // Input fields.
    #[error("input field `{0}` needs exactly one of `type` and `fields`")]
    FieldType(String),
    #[error("`bare_date_time` applies to `datetime` fields only")]
    BareTimeNotDateTime,
    #[error("`{0}` is not a time")]
    NotATime(String),
    #[error("`kinds`, `within` and `unlisted` apply to `ref(...)` fields only")]
    RefOptions,
    /// `unlisted` that names no optional top-level text field beside it.
    #[error(
        "`unlisted: {0}` must name an optional `string` field beside it, at the top of the input"
    )]
    Unlisted(String),
    #[error("`within: {within}` must name a sibling field of type `ref({catalogue})`")]
    Within { within: String, catalogue: String },
    #[error("`required_when` applies to optional fields only")]
    RequiredWhenNotOptional,

    // Units.
    #[error("{} is not a unit: a unit is one word", if .0.is_empty() { "empty text".to_string() } else { format!("`{}`", .0) })]
    NotAUnit(String),
    #[error("unit `{unit}` is given to a `{ty}`, but a unit applies to numbers only")]
    UnitOfNonNumber { unit: String, ty: Type },
    #[error("a `percent` is a fraction (20% is 0.20), which an `int` cannot hold")]
    PercentOfInt,

    // Parameters and tables.
    #[error("parameter `{0}` needs exactly one of `value` and `values`")]
    ParamValue(String),
    #[error("hit policy `sum` needs a numeric output, not `{0}`")]
    SumOutput(Type),
    /// A cell that is a list or a mapping, described.
    #[error("a table cell must be text, found {0}")]
    CellNotText(String),
    #[error("a range cannot be used on a `{0}` column")]
    RangeOnColumn(Type),
    /// A cell's member of an enumeration column; `members` as listed.
    #[error("`{value}` is not one of {}", members.join(", "))]
    NotAMember {
        value: String,
        members: Vec<String>,
        suggestion: Option<String>,
    },
    #[error("the cell holds `{cell}` but the column is `{column}`")]
    CellType { cell: Type, column: Type },
    #[error("the interval's lower bound is above its upper bound")]
    EmptyInterval,

    // Catalogues and calendars.
    #[error("`{0}` is a built-in field of entries and cannot be an attribute")]
    ReservedAttribute(String),
    #[error("a `{kind}` cannot stand inside a `{parent}`")]
    KindInside { kind: String, parent: String },
    #[error("an entry's id is empty")]
    EmptyEntryId,
    /// A calendar that does not load; its own diagnostics follow.
    #[error("calendar `{name}` at `{path}` does not load")]
    Calendar { name: String, path: String },

    // The history, the decision and the report.
    #[error("act `{0}` needs exactly one of `in_force.date` and `in_force.earliest`")]
    ActInForce(String),
    /// A source of an act's date with neither or both of its dates.
    #[error("source `{0}` needs exactly one of `date` and `earliest`")]
    SourceDate(String),
    /// Sources recorded for an act whose date is given as exact.
    #[error("act `{0}` records what its sources say of its date, but gives the date as exact")]
    SourcesOfExactDate(String),
    /// The package's end of force and its repealing act's date disagree.
    #[error(
        "the package is in force until {until}, but the repealing act `{act}` comes into force on {from}"
    )]
    RepealDate {
        until: String,
        act: String,
        from: NaiveDate,
    },
    #[error("a version needs exactly one of `from` and `act`")]
    VersionStart,
    #[error("`undetermined` is built in and may not be declared")]
    UndeterminedDeclared,
    #[error("rule `{0}` needs `when`, `reasons`, or both")]
    RuleCondition(String),
    #[error("report key `{0}` is a member of every decision already")]
    ReportMember(String),
    #[error("`item_key` `{0}` is a member every item has already")]
    ItemKey(String),
    #[error("report `{0}` needs exactly one of `expr`, `values`, `items` and `fields`")]
    ReportKind(String),
    /// A form's layout that cannot be laid out: `message` says why.
    #[error("form `{form}`: {message}")]
    FormLayout { form: String, message: String },
    #[error("value `{0}` needs exactly one of `expr` and `any_of` (with at least one option)")]
    ValueKind(String),
    #[error("the table `{table}` gives `{output}`, but this row's `then_expr` is `{found}`")]
    RowType {
        table: String,
        output: Type,
        found: Type,
    },
    #[error(
        "a row of table `{table}` looks up table `{other}`, whose rows compute their results: such lookups could go on without end"
    )]
    NestedComputing { table: String, other: String },
    #[error("`fold: {{{0}: {1}}}` must map one character to another, each key once")]
    Fold(String, String),
    #[error("row {row} of table `{table}` needs exactly one of `then` and `then_expr`")]
    RowResult { table: String, row: usize },
    #[error(
        "table `{table}` computes its results from {what}: function `{function}` cannot look it up"
    )]
    ImpureTable {
        table: String,
        function: String,
        what: String,
    },
    #[error(
        "function `{function}` starts a chain of {depth} calls, one inside the next; at most {max} are allowed"
    )]
    CallDepth {
        function: String,
        depth: usize,
        max: usize,
    },
    #[error("function `{0}` has the name of a built-in function")]
    BuiltinName(String),
    #[error("parameter `{param}` of function `{function}` has the name of {what}")]
    ParamName {
        function: String,
        param: String,
        what: &'static str,
    },
    #[error("function `{function}` calls itself: {}", cycle.join(" -> "))]
    Recursion {
        function: String,
        cycle: Vec<String>,
    },
    #[error("value `{value}` is declared `{declared}`, but an `any_of` value is a `bool`")]
    AnyOfType { value: String, declared: Type },
    /// An outcome's `label_by` input that is not an enumeration.
    #[error("`label_by` needs an input of an enumeration type, but `{input}` is `{ty}`")]
    LabelByNotEnum { input: String, ty: Type },
}

/// `did you mean `x`?`, for a suggestion.
fn did_you_mean(suggestion: &Option<String>) -> Option<String> {
    suggestion.as_ref().map(|c| format!("did you mean `{c}`?"))
}

/// The types a type may be written as, for the hint on one that is not.
const TYPE_NAMES: [&str; 10] = [
    "int", "decimal", "bool", "string", "date", "datetime", "time", "duration", "list", "enum",
];

impl LoadError {
    /// The diagnostic's stable code.
    pub fn code(&self) -> &'static str {
        use LoadError::*;
        match self {
            Io(_) => "io",
            Yaml { .. }
            | UnknownAttribute { .. }
            | DatedValueKey { .. }
            | AttributeValuesKey { .. } => "yaml",
            SectionTwice(_)
            | CalendarTwice(_)
            | DeclaredTwice { .. }
            | NameClash { .. }
            | ReservedName(_)
            | ActTwice(_)
            | EntryTwice { .. }
            | RuleTwice(_) => "duplicate",
            EmptyCitation | EmptyTerm(_) | TermSlots { .. } => "citation",
            NotALanguage { .. } | OfficialLanguage(_) => "label",
            NotADate(_)
            | EndsBeforeStart
            | EmptyInForce
            | EmptyPeriod
            | DatedValuesOrder
            | LatestBeforeEarliest
            | VersionsOrder
            | BoundsOrder
            | SourceOutsideWindow { .. }
            | RepealDate { .. } => "date",
            NoDatedValues | DatedValueWithoutValue | ValuesNotMapping(_) => "structure",
            NotText { .. } => "type",
            Syntax { .. } | NotAType(_) => "syntax",
            Check(e) => e.code(),
            NotACondition(_)
            | Declared { .. }
            | EvaluationDate(_)
            | DatedInEvaluationDate { .. }
            | DatedAttributeTooEarly { .. }
            | NotAUnit(_)
            | UnitOfNonNumber { .. }
            | PercentOfInt
            | Data(_)
            | NotATime(_)
            | SumOutput(_)
            | CellNotText(_)
            | RangeOnColumn(_)
            | NotAMember { .. }
            | CellType { .. }
            | AnyOfType { .. }
            | LabelByNotEnum { .. } => "type",
            EmptyInterval => "range",
            Cycle { .. } => "cycle",
            UnknownProvision { .. }
            | UnknownChange { .. }
            | UnknownAct { .. }
            | UnknownCatalogue { .. }
            | NoSuchKind { .. }
            | NotAKind { .. }
            | NoSuchColumn { .. }
            | UnknownOutcome { .. }
            | UnknownReason { .. }
            | UnknownValue { .. }
            | UnknownInput { .. } => "unknown-name",
            Calendar { .. } => "calendar",
            EmptyInclude(_) => "file",
            IncludedManifest
            | NoPackage { .. }
            | FieldType(_)
            | BareTimeNotDateTime
            | RefOptions
            | Unlisted(_)
            | Within { .. }
            | RequiredWhenNotOptional
            | ParamValue(_)
            | ReservedAttribute(_)
            | KindInside { .. }
            | EmptyEntryId
            | ActInForce(_)
            | BoundOfType(..)
            | BoundValue(..)
            | SourceDate(_)
            | SourcesOfExactDate(_)
            | VersionStart
            | UndeterminedDeclared
            | RuleCondition(_)
            | ReportMember(_)
            | ItemKey(_)
            | ReportKind(_)
            | FormLayout { .. }
            | ValueKind(_)
            | RowResult { .. }
            | Fold(..) => "structure",
            ImpureTable { .. } | RowType { .. } => "type",
            BuiltinName(_) | ParamName { .. } => "duplicate",
            Recursion { .. } | CallDepth { .. } | NestedComputing { .. } => "cycle",
        }
    }

    /// A hint at the fix, where there is one.
    pub fn help(&self) -> Option<String> {
        use LoadError::*;
        let fixed = |s: &str| Some(s.to_string());
        match self {
            Yaml { help, .. } => Some(help.clone()),
            EmptyInclude(_) => fixed(
                "an included file declares at least one section; if it is being written, check again when it is saved, else remove it from `include`",
            ),
            // A key after a comma inside `{...}` gets the hint of
            // `flow_commas` instead.
            NotALanguage { languages, .. } => Some(format!(
                "the package's languages are {}",
                languages.join(", ")
            )),
            NotADate(text) => Some(crate::core::value::date_help(text).to_string()),
            Syntax { error, text } => error.help(text),
            NotAType(text) => {
                let word: String = text
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                Some(match crate::core::suggest::closest(&word, TYPE_NAMES) {
                    Some(n) if n != word => format!("did you mean `{n}`?"),
                    _ => "types are int, decimal, bool, string, date, datetime, time, duration, list<T> and enum(a, b)".into(),
                })
            }
            Check(e) => e.help.clone(),
            Cycle { .. } => {
                fixed("values are computed once each, without recursion: break the cycle")
            }
            Recursion { .. } => fixed(
                "a function may call other functions but not itself, directly or through another: every evaluation must end",
            ),
            BuiltinName(_) => fixed("choose another name: built-in functions cannot be replaced"),
            ParamName { .. } => fixed("choose another name for the parameter"),
            UnknownProvision { suggestion, .. } => {
                did_you_mean(suggestion).or(fixed("declare it under `history.provisions`"))
            }
            UnknownAct { suggestion, .. } => {
                did_you_mean(suggestion).or(fixed("record it under `history.acts`"))
            }
            UnknownChange { suggestion, .. }
            | UnknownCatalogue { suggestion, .. }
            | NoSuchColumn { suggestion, .. }
            | UnknownValue { suggestion, .. }
            | NotAMember { suggestion, .. } => did_you_mean(suggestion),
            NoSuchKind { kinds, .. } => Some(format!("its kinds are {}", kinds.join(", "))),
            NotAKind {
                kinds, suggestion, ..
            } => did_you_mean(suggestion).or(Some(format!("its kinds are {}", kinds.join(", ")))),
            UnknownAttribute { suggestion, .. } => {
                did_you_mean(suggestion).or(fixed("declare it under the catalogue's `attributes`"))
            }
            UnknownOutcome { suggestion, .. } => Some(format!(
                "declare it under `decision.outcomes`{}",
                suggestion
                    .as_ref()
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default()
            )),
            UnknownReason { suggestion, .. } => Some(format!(
                "declare it under `reasons`{}",
                suggestion
                    .as_ref()
                    .map(|c| format!("; did you mean `{c}`?"))
                    .unwrap_or_default()
            )),
            NotATime(_) => fixed("write HH:MM"),
            DatedAttributeTooEarly { .. } => {
                fixed("read it in a computed value, which is evaluated at the application's date")
            }
            NoDatedValues => fixed(
                "give a value from a date (`values: {DATE: VALUE}`), or write `value: null` for one the act does not give",
            ),
            DatedValueKey { suggestion, .. } => did_you_mean(suggestion).or(fixed(
                "a dated value is a value, or `{value: VALUE, cite: TEXT, interpretation: TEXT}`",
            )),
            DatedValueWithoutValue => fixed(
                "write `{value: VALUE, cite: TEXT}`; `value: null` for a value the act does not give",
            ),
            AttributeValuesKey { attribute, .. } => Some(format!(
                "dated values are written `{attribute}: {{values: {{DATE: VALUE, ...}}}}`"
            )),
            ValuesNotMapping(_) => fixed("write `values: {DATE: VALUE, ...}`"),
            ParamValue(_) => fixed("write `value: null` for a value the act does not give"),
            DatedInEvaluationDate { name, .. } => Some(format!(
                "give `{name}` one value for the whole period the act is in force, or compute the evaluation date without it"
            )),
            NotAUnit(_) => {
                fixed("such as `GBP`, `years`, `points` or `percent`; join words with `_`")
            }
            UnitOfNonNumber { ty, .. } => Some(match ty {
                Type::Date | Type::DateTime | Type::Time | Type::Duration => {
                    "dates, times and durations carry their own units: take the `unit` away".into()
                }
                _ => "a unit is given to `int` and `decimal` values and lists of them".into(),
            }),
            PercentOfInt => {
                fixed("declare it `decimal`, whose values may be written as percents (`20%`)")
            }
            ReservedName(_) => fixed(
                "choose another name: every expression reads the date of the evaluation as `evaluation_date`",
            ),
            Unlisted(_) => fixed(
                "declare it, such as `profession_not_listed: {type: string, optional: true, cite: ...}`",
            ),
            ActInForce(_) => fixed(
                "give `earliest` (and `latest` if known) when the date hangs on an unrecorded publication",
            ),
            SourcesOfExactDate(_) => fixed(
                "where sources give different dates, record the window as `earliest` and `latest` instead of `date`",
            ),
            SourceOutsideWindow { .. } => fixed(
                "widen `earliest`..`latest` to hold every source's date, or correct the source's date",
            ),
            RepealDate { .. } => fixed(
                "make `package.in_force.until` the first day the repeal can be in force (its `date` or `earliest`)",
            ),
            ReportMember(_) => Some(format!(
                "choose another key; the decision's own members are {}",
                crate::policy::RESERVED_REPORT_KEYS.join(", ")
            )),
            ItemKey(_) => fixed("each item is `{id, KEY, cite}`: choose another key"),
            UnknownInput { suggestion, .. } => did_you_mean(suggestion).or(fixed(
                "name a field declared under `input`, with a dotted path for a nested one",
            )),
            LabelByNotEnum { .. } => fixed(
                "the label is picked by the input's member: name an input declared `enum(...)`",
            ),
            _ => None,
        }
    }

    /// The failure as a diagnostic at `loc`.
    pub fn at(self, loc: Option<Loc>) -> Diagnostic {
        let help = self.help();
        let file = match &self {
            LoadError::Yaml { file, .. } | LoadError::NoPackage { file } => Some(file.clone()),
            _ => None,
        };
        let mut d = match &self {
            LoadError::Io(m) => Diagnostic::unreadable(m.clone()),
            _ => Diagnostic::error(self.code(), self.to_string()),
        }
        .at(loc);
        if let Some(f) = file {
            d = d.in_file(f);
        }
        match help {
            Some(h) => d.help(h),
            None => d,
        }
    }
}

/// A finding that does not stop a package from loading.
#[derive(Clone, Debug, Error)]
pub enum LoadWarning {
    /// A parameter in `percent` given as a plain number above 1 (or below
    /// -1): most likely a number of percent written as the fraction.
    #[error(
        "parameter `{name}` is in `percent`, so `{written}` is {percent}: a percent is a fraction (20% is 0.20)"
    )]
    PercentAsNumber {
        name: String,
        written: String,
        percent: String,
    },
    /// A provision whose first version starts after the act's entry into
    /// force (`start`).
    #[error("provision `{provision}` has no version from the act's entry into force ({start})")]
    NoVersionAtStart { provision: String, start: NaiveDate },
    /// A key of a `{...}` mapping written without a value.
    #[error("`{0}` is a key without a value")]
    KeyWithoutValue(String),
    /// A date an item carries that no act explains: no act that lists the
    /// item's provision among its `changes` comes into force then (see
    /// [`crate::policy::history::History::explain`]).
    #[error(
        "{item} {event} {}, which no act explains: {} ({})",
        crate::core::value::format_date(date),
        why(unlisted, provision),
        nearest(before, after)
    )]
    UnexplainedDate {
        /// The item, such as "parameter `fee`".
        item: String,
        /// What happens to it on the date, such as "takes a value from".
        event: &'static str,
        date: NaiveDate,
        provision: Option<String>,
        /// The acts that come into force on the date without listing the
        /// provision.
        unlisted: Vec<String>,
        /// The closest acts before and after the date: id and when.
        before: Option<(String, String)>,
        after: Option<(String, String)>,
    },
}

/// Why a date is not explained: the acts then, or none.
fn why(unlisted: &[String], provision: &Option<String>) -> String {
    let p = provision.as_deref().unwrap_or_default();
    match unlisted {
        [] => "no act comes into force then".into(),
        [one] => format!(
            "act `{one}` comes into force then but does not list provision `{p}` among its changes"
        ),
        many => format!(
            "acts `{}` come into force then but none lists provision `{p}` among its changes",
            many.join("`, `")
        ),
    }
}

/// The closest acts before and after a date, in words.
fn nearest(before: &Option<(String, String)>, after: &Option<(String, String)>) -> String {
    if before.is_none() && after.is_none() {
        return "the history records no act".into();
    }
    let one = |a: &Option<(String, String)>, side: &str| match a {
        Some((id, when)) => format!("`{id}`, in force {when}, {side} it"),
        None => format!("no act {side} it"),
    };
    format!(
        "nearest: {}; {}",
        one(before, "before"),
        one(after, "after")
    )
}

impl LoadWarning {
    /// The diagnostic's stable code.
    pub fn code(&self) -> &'static str {
        match self {
            LoadWarning::NoVersionAtStart { .. } => "history",
            LoadWarning::PercentAsNumber { .. } => "unit",
            LoadWarning::UnexplainedDate { .. } => "unexplained-date",
            LoadWarning::KeyWithoutValue(_) => "yaml",
        }
    }

    /// A hint at the fix, where there is one.
    pub fn help(&self) -> Option<String> {
        match self {
            LoadWarning::NoVersionAtStart { .. } | LoadWarning::KeyWithoutValue(_) => None,
            LoadWarning::PercentAsNumber {
                written, percent, ..
            } => Some(format!(
                "write it as a percent: `{written}%` if {written} percent is meant, `{percent}` if {percent} is"
            )),
            LoadWarning::UnexplainedDate {
                provision,
                unlisted,
                ..
            } => Some(match (unlisted.as_slice(), provision) {
                ([one], Some(p)) => format!(
                    "if act `{one}` made this change, add `{p}` to its `changes`; otherwise correct the date"
                ),
                ([_, ..], Some(p)) => format!(
                    "add `{p}` to the `changes` of the act that made this change; otherwise correct the date"
                ),
                (_, Some(p)) => format!(
                    "record the act that made this change under `history.acts`, with `{p}` in its `changes`, or correct the date"
                ),
                (_, None) => {
                    "record the act that made this change under `history.acts`, or correct the date"
                        .into()
                }
            }),
        }
    }

    /// The finding as a diagnostic at `loc`.
    pub fn at(self, loc: Option<Loc>) -> Diagnostic {
        let d = Diagnostic::warning(self.code(), self.to_string()).at(loc);
        match self.help() {
            Some(h) => d.help(h),
            None => d,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::source::SourceFile;

    #[test]
    fn a_failure_keeps_its_code_message_help_and_place() {
        let f = SourceFile::new("p.yaml", "parameters:\n  x: {}\n");
        let loc = Some(Loc::new(&f, 14, 15));
        let d = LoadError::ParamValue("x".into()).at(loc);
        assert_eq!(d.code, "structure");
        assert_eq!(
            d.message,
            "parameter `x` needs exactly one of `value` and `values`"
        );
        assert_eq!(
            d.help.as_deref(),
            Some("write `value: null` for a value the act does not give")
        );
        assert_eq!(d.position().as_deref(), Some("p.yaml:2:3"));
    }

    #[test]
    fn hints_name_the_closest_name_or_say_where_to_declare() {
        let near = LoadError::UnknownOutcome {
            name: "grnt".into(),
            suggestion: Some("grant".into()),
        };
        assert_eq!(
            near.help().as_deref(),
            Some("declare it under `decision.outcomes`; did you mean `grant`?")
        );
        let far = LoadError::UnknownProvision {
            name: "p9".into(),
            suggestion: None,
        };
        assert_eq!(
            far.help().as_deref(),
            Some("declare it under `history.provisions`")
        );
        let none = LoadError::UnknownCatalogue {
            name: "c".into(),
            suggestion: None,
        };
        assert_eq!(none.at(None).help, None);
    }

    #[test]
    fn a_file_wide_failure_names_its_file() {
        let d = LoadError::NoPackage {
            file: "policy.yaml".into(),
        }
        .at(None);
        assert_eq!(d.position().as_deref(), Some("policy.yaml"));
        assert_eq!(d.code, "structure");
    }

    #[test]
    fn a_cycle_lists_its_values_in_order() {
        let e = LoadError::Cycle {
            value: "a".into(),
            cycle: vec!["a".into(), "b".into(), "a".into()],
        };
        assert_eq!(
            e.to_string(),
            "computed value `a` depends on itself: a -> b -> a"
        );
        assert_eq!(e.code(), "cycle");
    }
}
