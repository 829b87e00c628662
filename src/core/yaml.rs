//! Every read of YAML goes through this module, so that the YAML library
//! (serde_yaml, no longer maintained upstream) can be replaced in one spot.
//! The README says why it has not been (serde-saphyr was evaluated).
//!
//! Two readers are used: serde_yaml deserializes into typed structs, and
//! saphyr-parser walks the same text to record where every key and scalar
//! stands, which serde_yaml does not expose. Expressions are strings inside
//! YAML; the position index lets a diagnostic point at a character inside
//! one.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde::de::DeserializeOwned;

/// Untyped YAML data, as read. The only name of the YAML library's types
/// that other modules use.
pub type Data = serde_yaml::Value;

/// A YAML mapping, for building data.
pub type Mapping = serde_yaml::Mapping;

/// A YAML error: a message and, where the reader knows it, a byte offset.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    pub message: String,
    pub offset: Option<usize>,
    /// Where the text the error is about ends, when it is longer than a
    /// character (a repeated key).
    pub end: Option<usize>,
}

/// Largest input accepted, in bytes: guards the readers against inputs that
/// would take unbounded memory.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// Deserializes one YAML document into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if text.len() > MAX_BYTES {
        return Err(YamlError {
            message: format!("the file is larger than {} MiB", MAX_BYTES >> 20),
            offset: None,
            end: None,
        });
    }
    if let Some((offset, too)) = too_deep(text) {
        return Err(YamlError {
            message: too.message(),
            offset: Some(offset),
            end: None,
        });
    }
    serde_yaml::from_str(text).map_err(|e| {
        let mut e = convert(&e);
        let at_tab = e
            .offset
            .and_then(|o| text.get(o..))
            .is_some_and(|t| t.starts_with('\t'));
        if at_tab && e.message.contains("cannot start any token") {
            e.message = "a tab indents this line: YAML indents with spaces".into();
        }
        // serde_yaml finds a repeated key of a mapping or a struct, but
        // says so at the mapping's start: the index finds the repeat.
        if (e.message.contains("duplicate entry with key")
            || e.message.contains("duplicate field `"))
            && let Some(d) = PosIndex::new(text).duplicates.first()
        {
            e = d.error(text);
        }
        e
    })
}

/// [`from_str`] for a text whose index is built: a key written twice in
/// one mapping is an error, at its second occurrence, even where the
/// type read would keep the last value (a map of names, such as a
/// policy's `parameters` or an overlay's).
pub fn from_str_indexed<T: DeserializeOwned>(text: &str, index: &PosIndex) -> Result<T, YamlError> {
    match index.duplicates.first() {
        Some(d) if text.len() <= MAX_BYTES && too_deep(text).is_none() => Err(d.error(text)),
        _ => from_str(text),
    }
}

/// A key written a second time in the same mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The mapping's path, dotted (`parameters`); empty at the top.
    pub path: String,
    pub key: String,
    /// The byte offsets of the key's first and second occurrences, and
    /// of the second's end.
    pub first: usize,
    pub second: usize,
    pub end: usize,
}

impl DuplicateKey {
    /// The error, at the second occurrence, naming the line of the first.
    pub fn error(&self, text: &str) -> YamlError {
        let line = text
            .get(..self.first)
            .map_or(0, |t| t.bytes().filter(|&b| b == b'\n').count())
            + 1;
        let at = if self.path.is_empty() {
            String::new()
        } else {
            format!("{}: ", crate::core::text::escape(&self.path))
        };
        YamlError {
            message: format!(
                "{at}the key {} is written twice in this mapping (first at line {line})",
                crate::core::text::quote(&self.key)
            ),
            offset: Some(self.second),
            end: Some(self.end.max(self.second + 1)),
        }
    }
}

/// The deepest nesting a document may have, as serde_yaml's own limit.
const MAX_DEPTH: usize = 128;

/// The most entries (items of lists, members of mappings) a document may
/// have: four hundred times those of the largest file of a real package
/// (a policy of 100,000 computed values in a chain has 400,000), and few
/// enough that reading one stays within about half a gigabyte (each entry
/// costs the parser and the index of places some hundreds of bytes: ten
/// megabytes of `- - - x`, four million entries, took 1.9 GiB).
pub const MAX_ENTRIES: usize = 1_000_000;

/// Why a document is refused before it is parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TooMuch {
    Deep,
    Many,
}

impl TooMuch {
    fn message(self) -> String {
        match self {
            TooMuch::Deep => {
                format!("the data is nested too deeply (more than {MAX_DEPTH} levels)")
            }
            TooMuch::Many => format!(
                "the data has too many entries (more than {MAX_ENTRIES} items of lists and members of mappings)"
            ),
        }
    }
}

/// Where `text` nests deeper than [`MAX_DEPTH`] or has more than
/// [`MAX_ENTRIES`] entries (counted as block items `- `, values `: ` and
/// flow separators `,`, an estimate erring high), found in one pass before
/// it is parsed: the parser takes time growing with the square of the
/// depth (a million `[` took minutes) and memory with it (ten megabytes of
/// `- - - x` took gigabytes), and checks its limit only after. Counted
/// are flow collections (`[`, `{` outside quotes and comments: in block
/// context only where one begins a value), block levels (each deeper
/// indentation) and compact sequences (`- - x`). It errs on the side of
/// the parser: what it passes, the parser still checks.
fn too_deep(text: &str) -> Option<(usize, TooMuch)> {
    let mut flow = 0usize;
    let mut entries = 0usize;
    let mut indents: Vec<usize> = Vec::new();
    // A quoted scalar open across lines (in a flow collection).
    let mut quote: Option<u8> = None;
    let mut start = 0usize;
    for line in text.split_inclusive('\n') {
        let b = line.as_bytes();
        let mut i = 0usize;
        if flow == 0 && quote.is_none() {
            let indent = b.iter().take_while(|&&c| c == b' ').count();
            let rest = line[indent..].trim_end();
            if rest.is_empty() || rest.starts_with('#') {
                start += line.len();
                continue;
            }
            while indents.last().is_some_and(|&top| top > indent) {
                indents.pop();
            }
            if indents.last() != Some(&indent) {
                indents.push(indent);
            }
            // `- - - x`: each dash a level of its own.
            i = indent;
            let mut dashes = 0usize;
            while b.get(i) == Some(&b'-') && matches!(b.get(i + 1), Some(b' ') | None) {
                dashes += 1;
                entries += 1;
                i += 1;
                while b.get(i) == Some(&b' ') {
                    i += 1;
                }
                if indents.len() + dashes > MAX_DEPTH {
                    return Some((start + i, TooMuch::Deep));
                }
                if entries > MAX_ENTRIES {
                    return Some((start + i, TooMuch::Many));
                }
            }
            if indents.len() > MAX_DEPTH {
                return Some((start + indent, TooMuch::Deep));
            }
        }
        // In block context, a bracket counts only where it begins a value:
        // at the start of the line's content, or after `: ` or `- `.
        let mut value_start = true;
        while i < b.len() {
            let c = b[i];
            if let Some(q) = quote {
                if c == b'\\' && q == b'"' {
                    i += 2;
                    continue;
                }
                if c == q {
                    if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    quote = None;
                }
                i += 1;
                continue;
            }
            let structural = flow > 0 || value_start;
            match c {
                b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t') => break,
                b'"' | b'\'' if structural => quote = Some(c),
                b'[' | b'{' if structural => {
                    flow += 1;
                    if flow > MAX_DEPTH {
                        return Some((start + i, TooMuch::Deep));
                    }
                }
                b',' if flow > 0 => entries += 1,
                b':' if matches!(b.get(i + 1), Some(b' ' | b'\n' | b'\r') | None) => entries += 1,
                b']' | b'}' if flow > 0 => flow -= 1,
                _ => {}
            }
            if entries > MAX_ENTRIES {
                return Some((start + i, TooMuch::Many));
            }
            value_start = match c {
                b' ' | b'\t' => value_start,
                b':' | b'-' | b',' => matches!(b.get(i + 1), Some(b' ' | b'\n' | b'\r') | None),
                b'[' | b'{' => structural,
                _ => false,
            };
            i += 1;
        }
        if flow == 0 {
            // A quote left open in block context was not one.
            quote = None;
        }
        start += line.len();
    }
    None
}

/// Reads one YAML (or JSON) document as untyped data.
pub fn value(text: &str) -> Result<Data, YamlError> {
    from_str(text)
}

/// Writes data as YAML.
pub fn to_string<T: serde::Serialize>(v: &T) -> String {
    serde_yaml::to_string(v).unwrap_or_default()
}

/// Deserializes typed data out of untyped data already read.
pub fn from_value<T: DeserializeOwned>(v: Data) -> Result<T, YamlError> {
    serde_yaml::from_value(v).map_err(|e| convert(&e))
}

/// The tag that marks a number kept with its digits as written (see
/// [`keep_digits`]). Only this module makes it; a document that writes it
/// itself (`!qagida/digits "1.5"`) gets the number it wrote.
const DIGITS: &str = "!qagida/digits";

/// The digits of a number kept as written by [`keep_digits`], such as
/// `0.1` or `12345678901234567890.123456789`.
pub fn digits(data: &Data) -> Option<&str> {
    match data {
        Data::Tagged(t) if t.tag == DIGITS => t.value.as_str(),
        _ => None,
    }
}

/// Whether `data` holds a number that the reader read as binary floating
/// point (one with a fraction or an exponent, or an integer beyond 64 bits
/// in JSON), whose digits it did not keep.
pub fn has_float(data: &Data) -> bool {
    match data {
        Data::Number(n) => n.is_f64(),
        Data::Sequence(items) => items.iter().any(has_float),
        Data::Mapping(m) => m.values().any(has_float),
        Data::Tagged(t) => has_float(&t.value),
        _ => false,
    }
}

/// Gives every number of `data` that the reader read as binary floating
/// point its digits as written in `text`, the document it was read from, so
/// that a decimal is read from them exactly (`0.1`, not the float nearest
/// it; all 29 digits of `12345678901234567890.123456789`). The index of the
/// text is built only if there is such a number, and returned.
pub fn keep_digits(data: &mut Data, text: &str) -> Option<PosIndex> {
    if !has_float(data) {
        return None;
    }
    let index = PosIndex::new(text);
    keep_digits_at(data, &index, &[] as &[&str]);
    Some(index)
}

/// [`keep_digits`] for `data` found at `path` of the document whose index
/// is `index`. A number whose text is not found (in a document the index
/// could not read) is left as the reader read it.
pub fn keep_digits_at<S: AsRef<str>>(data: &mut Data, index: &PosIndex, path: &[S]) {
    if has_float(data) {
        keep(data, index, key_of(path));
    }
}

fn keep(data: &mut Data, index: &PosIndex, key: String) {
    // Under an alias, the node its anchor marks was written.
    let key = index.aliases.get(&key).cloned().unwrap_or(key);
    match data {
        Data::Number(n) if n.is_f64() => {
            let written = index
                .numbers
                .get(&key)
                .map(|t| t.trim())
                // The very number read, and nothing else (within the
                // last bits: serde_json's fast reading of a float may
                // differ from the nearest one by one).
                .filter(|t| match (t.parse::<f64>(), n.as_f64()) {
                    (Ok(x), Some(y)) => (x - y).abs() <= x.abs().max(y.abs()) * 4.0 * f64::EPSILON,
                    _ => false,
                });
            if let Some(t) = written {
                // `-0` is the integer 0, as YAML reads it: the same value
                // whichever reader read it.
                if negative_zero(t) {
                    *data = Data::Number(0.into());
                    return;
                }
                *data = Data::Tagged(Box::new(serde_yaml::value::TaggedValue {
                    tag: serde_yaml::value::Tag::new(DIGITS),
                    value: Data::String(t.to_string()),
                }));
            }
        }
        Data::Sequence(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                if has_float(item) {
                    keep(item, index, format!("{key}\u{1f}{i}"));
                }
            }
        }
        Data::Mapping(m) => {
            for (k, v) in m.iter_mut() {
                if let Some(k) = k.as_str()
                    && has_float(v)
                {
                    keep(v, index, format!("{key}\u{1f}{k}"));
                }
            }
        }
        Data::Tagged(t) => keep(&mut t.value, index, key),
        _ => {}
    }
}

fn convert(e: &serde_yaml::Error) -> YamlError {
    let full = e.to_string();
    let message = match full.find(" at line ") {
        Some(i) => full[..i].to_string(),
        None => full,
    };
    let message = message
        .replace(
            "did not find expected key",
            "a key or an indentation is wrong",
        )
        .replace("recursion limit exceeded", &TooMuch::Deep.message())
        .replace(
            "repetition limit exceeded",
            "the aliases (`*name`) repeat their anchors' data too many times",
        );
    // A reader error (a control character, say) gives its byte offset in
    // the message rather than as a location.
    let mut offset = e.location().map(|l| l.index());
    let message = match message.rsplit_once(" at position ") {
        Some((m, n)) if n.parse::<usize>().is_ok() => {
            offset = n.parse().ok();
            m.to_string()
        }
        _ => message,
    };
    // serde_yaml reads integers beyond 64 bits as 128-bit ones, then refuses them.
    const HUGE: &str = "invalid type: integer `";
    let message = match message.find(HUGE) {
        Some(i) if message.contains("as u128") || message.contains("as i128") => {
            let n = message[i + HUGE.len()..]
                .split('`')
                .next()
                .unwrap_or_default();
            format!("{}the number `{n}` is too large", &message[..i])
        }
        _ => message,
    };
    YamlError {
        message,
        offset,
        end: None,
    }
}

/// A path to a node: mapping keys and sequence indices, as strings.
pub type Path = Vec<String>;

/// Where a node stands in the text, as byte offsets.
#[derive(Clone, Copy, Debug)]
pub struct NodePos {
    /// The start of the key that leads to the node, for nodes in mappings.
    pub key: Option<usize>,
    pub start: usize,
    pub end: usize,
    /// For scalars, how they were written; `None` for collections.
    pub style: Option<Style>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
}

/// Positions of every node of a document, by path (see `key_of`).
#[derive(Debug, Default)]
pub struct PosIndex {
    nodes: HashMap<String, NodePos>,
    /// The keys of flow mappings (`{...}`) written without a value, in
    /// order: almost always text after a comma that ended a plain value.
    pub split_keys: Vec<SplitKey>,
    /// The path of each alias (`*a`) that stands for a node, and the path
    /// of the node its anchor (`&a`) marks.
    aliases: HashMap<String, String>,
    /// The text of each plain scalar that may be a number the reader reads
    /// as binary floating point (see [`may_be_float`]), by path: its
    /// digits as written.
    numbers: HashMap<String, String>,
    /// Each key written a second time in a mapping, in the text's order.
    pub duplicates: Vec<DuplicateKey>,
}

/// A key of a flow mapping written without `:` and a value, such as
/// `the courses` in `{en: Annex 1, the courses}`: the comma ended the
/// plain value `Annex 1`, and what follows became a key of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitKey {
    /// The byte offsets of the key.
    pub start: usize,
    pub end: usize,
    pub key: String,
    /// The offset of the `,` or `}` after it, where its missing value is.
    pub after: usize,
    /// The text from the plain value before it to the key's end, which
    /// was meant as one value (`Annex 1, the courses`), if there is one.
    pub joined: Option<String>,
}

impl SplitKey {
    /// The hint: quote the value that has commas.
    pub fn help(&self) -> String {
        let quote = match &self.joined {
            Some(j) => format!(": write it in quotes, as \"{}\"", j.replace('"', "\\\"")),
            None => ": quote a value that has commas".into(),
        };
        format!(
            "inside `{{...}}`, a comma ends a plain value, so `{}` became a key of its own{quote}",
            self.key
        )
    }
}

/// Whether a plain scalar may be a number with a fraction or an exponent
/// (`0.1`, `-2.5e-3`), or an integer too long for 64 bits: not a date
/// (`2021-03-15`), a time or a short integer, which are not kept.
fn may_be_float(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c))
        && t.bytes()
            .all(|b| b.is_ascii_digit() || b"+-._eE".contains(&b))
        && (t.contains(['.', 'e', 'E']) || t.len() > 18 || negative_zero(t))
}

/// Whether `t` is zero written with a minus sign and no point or exponent
/// (`-0`): an integer, which JSON's reader reads as the float -0.0 (YAML's
/// as the integer 0).
fn negative_zero(t: &str) -> bool {
    t.strip_prefix('-')
        .is_some_and(|z| !z.is_empty() && z.bytes().all(|b| b == b'0'))
}

/// A position index built the first time a position is asked for, so that
/// reading a file without errors does not pay for it.
#[derive(Debug)]
pub struct LazyIndex {
    text: std::sync::Arc<crate::core::source::SourceFile>,
    index: std::sync::OnceLock<PosIndex>,
}

impl LazyIndex {
    pub fn new(file: &std::sync::Arc<crate::core::source::SourceFile>) -> LazyIndex {
        LazyIndex {
            text: file.clone(),
            index: std::sync::OnceLock::new(),
        }
    }

    /// The index of `file`, already built if `built` is its index.
    pub fn with(
        file: &std::sync::Arc<crate::core::source::SourceFile>,
        built: Option<PosIndex>,
    ) -> LazyIndex {
        let lazy = LazyIndex::new(file);
        if let Some(index) = built {
            let _ = lazy.index.set(index);
        }
        lazy
    }

    pub fn index(&self) -> &PosIndex {
        self.index.get_or_init(|| PosIndex::new(&self.text.text))
    }

    pub fn get(&self, path: &[String]) -> Option<&NodePos> {
        self.index().get(path)
    }
}

/// A path as one string: each part preceded by a unit separator, so that
/// building a child's key is one concatenation and no two paths collide.
fn key_of<S: AsRef<str>>(path: &[S]) -> String {
    let mut k = String::with_capacity(path.iter().map(|p| p.as_ref().len() + 1).sum());
    for p in path {
        k.push('\u{1f}');
        k.push_str(p.as_ref());
    }
    k
}

impl PosIndex {
    /// Indexes `text`. A text that does not parse gives a partial index;
    /// its error is reported by [`from_str`].
    pub fn new(text: &str) -> PosIndex {
        let byte_of: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(text.len()))
            .collect();
        let to_byte = |chars: usize| byte_of.get(chars).copied().unwrap_or(text.len());
        let mut index = PosIndex::default();
        // A frame per open collection: its path, whether it is a mapping,
        // the next sequence index, and for mappings the pending key.
        struct Frame {
            path: String,
            mapping: bool,
            next_index: usize,
            key: Option<(String, usize)>,
            /// Whether it is a flow mapping, `{...}`.
            flow: bool,
            /// The start of its last value when that is a plain scalar.
            last_plain: Option<usize>,
            /// Whether the next value is the implicit null of a key
            /// written without one.
            implicit: bool,
            /// For mappings, the keys written so far, with their offsets.
            seen: HashMap<String, usize>,
        }
        let mut stack: Vec<Frame> = Vec::new();
        // The path of the node each anchor marks, by the anchor's id.
        let mut anchors: HashMap<usize, String> = HashMap::new();
        let mut parser = Parser::new_from_str(text);
        // Where the next node goes: its path and key offset, or `None` when
        // it is a mapping key.
        fn slot(stack: &mut [Frame]) -> Option<(String, Option<usize>)> {
            let top = stack.last_mut()?;
            if top.mapping {
                let (k, at) = top.key.take()?;
                Some((format!("{}\u{1f}{k}", top.path), Some(at)))
            } else {
                let p = format!("{}\u{1f}{}", top.path, top.next_index);
                top.next_index += 1;
                Some((p, None))
            }
        }
        let mut depth = 0usize;
        while let Some(Ok((event, span))) = parser.next_event() {
            let start = to_byte(span.start.index());
            let end = to_byte(span.end.index());
            match event {
                Event::Scalar(text_value, style, anchor, _) => {
                    let is_key = stack.last().is_some_and(|f| f.mapping && f.key.is_none());
                    if is_key {
                        if let Some(top) = stack.last_mut() {
                            match top.seen.get(text_value.as_ref()) {
                                Some(&first) => index.duplicates.push(DuplicateKey {
                                    path: top
                                        .path
                                        .split('\u{1f}')
                                        .skip(1)
                                        .collect::<Vec<_>>()
                                        .join("."),
                                    key: text_value.to_string(),
                                    first,
                                    second: start,
                                    end,
                                }),
                                None => {
                                    top.seen.insert(text_value.to_string(), start);
                                }
                            }
                            // A flow key followed by `,` or `}` has no value.
                            let rest = &text[end.min(text.len())..];
                            let after = rest.trim_start_matches([' ', '\t']);
                            if top.flow && (after.starts_with(',') || after.starts_with('}')) {
                                let joined = top
                                    .last_plain
                                    .filter(|&p| p <= start)
                                    .and_then(|p| text.get(p..end))
                                    .map(str::to_string);
                                index.split_keys.push(SplitKey {
                                    start,
                                    end,
                                    key: text_value.to_string(),
                                    after: end + (rest.len() - after.len()),
                                    joined,
                                });
                                top.key = Some((text_value.into_owned(), start));
                                // Its implicit null must not end the plain
                                // value the key continues.
                                top.implicit = true;
                                continue;
                            }
                            top.key = Some((text_value.into_owned(), start));
                        }
                        continue;
                    }
                    let style = match style {
                        ScalarStyle::Plain => Style::Plain,
                        ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
                        _ => Style::Block,
                    };
                    if let Some(top) = stack.last_mut()
                        && top.mapping
                    {
                        if top.implicit {
                            top.implicit = false;
                        } else {
                            top.last_plain = (style == Style::Plain).then_some(start);
                        }
                    }
                    let (path, key) = slot(&mut stack).unwrap_or_default();
                    if anchor > 0 {
                        anchors.insert(anchor, path.clone());
                    }
                    if style == Style::Plain && may_be_float(&text_value) {
                        index.numbers.insert(path.clone(), text_value.into_owned());
                    }
                    index.nodes.insert(
                        path,
                        NodePos {
                            key,
                            start,
                            end,
                            style: Some(style),
                        },
                    );
                }
                Event::Alias(anchor) => {
                    if stack.last().is_some_and(|f| f.mapping && f.key.is_none()) {
                        if let Some(top) = stack.last_mut() {
                            top.key = Some(("*".into(), start));
                        }
                        continue;
                    }
                    let (path, key) = slot(&mut stack).unwrap_or_default();
                    if let Some(target) = anchors.get(&anchor) {
                        index.aliases.insert(path.clone(), target.clone());
                    }
                    index.nodes.insert(
                        path,
                        NodePos {
                            key,
                            start,
                            end,
                            style: None,
                        },
                    );
                }
                Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                    depth += 1;
                    if depth > 256 {
                        break;
                    }
                    if let Some(top) = stack.last_mut() {
                        top.last_plain = None;
                    }
                    let (path, key) = slot(&mut stack).unwrap_or_default();
                    if anchor > 0 {
                        anchors.insert(anchor, path.clone());
                    }
                    index.nodes.insert(
                        path.clone(),
                        NodePos {
                            key,
                            start,
                            end,
                            style: None,
                        },
                    );
                    let mapping = matches!(event, Event::MappingStart(..));
                    stack.push(Frame {
                        path,
                        mapping,
                        next_index: 0,
                        key: None,
                        flow: mapping && text.as_bytes().get(start) == Some(&b'{'),
                        last_plain: None,
                        implicit: false,
                        seen: HashMap::new(),
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    depth = depth.saturating_sub(1);
                    if let Some(f) = stack.pop()
                        && let Some(n) = index.nodes.get_mut(&f.path)
                    {
                        n.end = end.max(n.start);
                    }
                }
                _ => {}
            }
        }
        index
    }

    pub fn get(&self, path: &[String]) -> Option<&NodePos> {
        self.nodes.get(&key_of(path))
    }

    /// The node at `path`, or else at its longest prefix that exists.
    pub fn nearest(&self, path: &[String]) -> Option<&NodePos> {
        (0..=path.len())
            .rev()
            .find_map(|n| self.nodes.get(&key_of(&path[..n])))
    }

    /// Maps each byte of a scalar's value to the byte of the text it was
    /// written at: the value of a quoted or folded scalar is not a slice of
    /// the text, so its characters are found one by one. Returns one offset
    /// per byte of `value`, plus one for its end.
    pub fn align(&self, text: &str, pos: &NodePos, value: &str) -> Vec<usize> {
        let mut out = Vec::with_capacity(value.len() + 1);
        let mut at = pos.start;
        let bytes = text.as_bytes();
        if pos.style == Some(Style::Block) && matches!(bytes.get(at), Some(b'|' | b'>')) {
            // Skip the header line of `|` or `>`.
            while at < bytes.len() && bytes[at] != b'\n' {
                at += 1;
            }
        }
        let mut lost = false;
        for (i, c) in value.char_indices() {
            if !lost {
                let mut probe = at;
                loop {
                    match text.get(probe..).and_then(|s| s.chars().next()) {
                        Some(s) if s == c => break,
                        Some(s) if s.is_whitespace() || s == '"' || s == '\'' || s == '\\' => {
                            probe += s.len_utf8();
                        }
                        _ => {
                            lost = true;
                            break;
                        }
                    }
                }
                if !lost {
                    at = probe;
                }
            }
            for _ in 0..c.len_utf8() {
                out.push(at);
            }
            let _ = i;
            if !lost {
                at += c.len_utf8();
            }
        }
        out.push(at);
        out
    }
}

/// Where a YAML error points, and a hint: an unknown key is underlined
/// whole, with the nearest expected key suggested.
pub fn error_place(
    file: &std::sync::Arc<crate::core::source::SourceFile>,
    e: &YamlError,
) -> (Option<crate::core::source::Loc>, String) {
    let Some(o) = e.offset else {
        return (None, String::new());
    };
    if let Some(end) = e.end {
        return (
            Some(crate::core::source::Loc::new(file, o, end)),
            String::new(),
        );
    }
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
        // A key written without a value inside `{...}` is text after a
        // comma that ended a plain value.
        let split = PosIndex::new(&file.text)
            .split_keys
            .into_iter()
            .find(|k| (k.start..=k.after).contains(&o));
        let help = match crate::core::suggest::closest(&key, expected.iter().map(String::as_str)) {
            _ if split.is_some() => split.map(|k| k.help()).unwrap_or_default(),
            Some(c) => format!("did you mean `{c}`?"),
            None => "remove the key, or check its spelling and indentation".to_string(),
        };
        return (
            Some(crate::core::source::Loc::new(file, o, o + key.len())),
            help,
        );
    }
    (
        Some(crate::core::source::Loc::new(file, o, o + 1)),
        String::new(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Path {
        s.split('.').map(String::from).collect()
    }

    #[test]
    fn index_finds_keys_and_scalars() {
        let text = "a:\n  b: x + 1\n  c: [1, 2]\nd:\n  - e: 'q'\n";
        let idx = PosIndex::new(text);
        let b = idx.get(&p("a.b")).unwrap();
        assert_eq!(&text[b.start..b.end], "x + 1");
        assert_eq!(&text[b.key.unwrap()..b.key.unwrap() + 1], "b");
        let c1 = idx.get(&p("a.c.1")).unwrap();
        assert_eq!(&text[c1.start..c1.end], "2");
        let e = idx.get(&p("d.0.e")).unwrap();
        assert_eq!(e.style, Some(Style::Quoted));
    }

    #[test]
    fn align_maps_folded_and_block_scalars() {
        let text = "v: |\n  if a\n  then b\n";
        let idx = PosIndex::new(text);
        let pos = idx.get(&p("v")).unwrap();
        let value = "if a\nthen b\n";
        let map = idx.align(text, pos, value);
        let t = value.find("then").unwrap();
        assert_eq!(&text[map[t]..map[t] + 4], "then");
    }

    #[test]
    fn floats_keep_their_digits_through_anchors_and_aliases() {
        let text = "a: &x 0.1000000000000000000000000001\nb: *x\nc: [1e3, 12345678901234567890.123456789]\nd: 2021-03-15\ne: !tag 2.50\n";
        let mut data = value(text).unwrap();
        assert!(keep_digits(&mut data, text).is_some());
        let at = |k: &str| digits(&data[k]).map(str::to_string);
        assert_eq!(at("a").as_deref(), Some("0.1000000000000000000000000001"));
        assert_eq!(at("b").as_deref(), Some("0.1000000000000000000000000001"));
        assert_eq!(digits(&data["c"][0]), Some("1e3"));
        assert_eq!(
            digits(&data["c"][1]),
            Some("12345678901234567890.123456789")
        );
        assert_eq!(data["d"].as_str(), Some("2021-03-15"));
        let Data::Tagged(t) = &data["e"] else {
            panic!("{:?}", data["e"])
        };
        assert_eq!(digits(&t.value), Some("2.50"));
        // Without a float, nothing is indexed.
        let mut plain = value("a: 1\nb: x\n").unwrap();
        assert!(keep_digits(&mut plain, "a: 1\nb: x\n").is_none());
    }

    #[test]
    fn json_negative_zero_is_the_integer_zero_as_in_yaml() {
        let text = r#"{"a": -0, "b": [-0], "c": -0.0}"#;
        let mut data: Data = serde_json::from_str(text).unwrap();
        keep_digits(&mut data, text);
        assert_eq!(data["a"].as_i64(), Some(0));
        assert_eq!(data["b"][0].as_i64(), Some(0));
        assert_eq!(digits(&data["c"]), Some("-0.0"));
        assert_eq!(value(text).unwrap()["a"].as_i64(), Some(0));
    }

    #[test]
    fn keys_written_twice_are_found_at_the_second() {
        let text = "a: {x: 1, y: 2}\nb:\n  - {x: 1}\n  - {x: 2, x: 3}\nc: 1\na: 2\n";
        let idx = PosIndex::new(text);
        let found: Vec<(&str, &str, &str)> = idx
            .duplicates
            .iter()
            .map(|d| (d.path.as_str(), d.key.as_str(), &text[d.second..d.end]))
            .collect();
        assert_eq!(found, [("b.1", "x", "x"), ("", "a", "a")]);
        let e = idx.duplicates[1].error(text);
        assert_eq!(
            e.message,
            "the key `a` is written twice in this mapping (first at line 1)"
        );
        assert_eq!(e.offset, Some(text.rfind("a:").unwrap()));
        // Aliases as keys are not compared by their text.
        assert!(
            PosIndex::new("x: &k a\ny:\n  *k : 1\nz:\n  *k : 2\n")
                .duplicates
                .is_empty()
        );
        let e = value("k: 1\nk: 2\n").unwrap_err();
        assert_eq!(e.offset, Some(5));
    }

    #[test]
    fn huge_integers_are_named() {
        let e = value("n: 99999999999999999999\n").unwrap_err();
        assert_eq!(
            e.message,
            "n: the number `99999999999999999999` is too large"
        );
    }

    #[test]
    fn keys_without_values_in_flow_mappings_are_found_with_the_value_they_split() {
        let text = "a: {en: Annex 1, the courses}\nb: {x: 1, y: 2}\nc: {v: f(a, b), w: 'q', z}\nd: [p, q]\ne: {k: a, b, c}\n";
        let idx = PosIndex::new(text);
        let keys: Vec<(&str, Option<&str>)> = idx
            .split_keys
            .iter()
            .map(|k| (k.key.as_str(), k.joined.as_deref()))
            .collect();
        assert_eq!(
            keys,
            [
                ("the courses", Some("Annex 1, the courses")),
                ("b)", Some("f(a, b)")),
                ("z", None),
                ("b", Some("a, b")),
                ("c", Some("a, b, c")),
            ]
        );
        let k = &idx.split_keys[0];
        assert_eq!(&text[k.start..k.end], "the courses");
        assert_eq!(&text[k.after..=k.after], "}");
        assert_eq!(
            k.help(),
            "inside `{...}`, a comma ends a plain value, so `the courses` became a key of its own: write it in quotes, as \"Annex 1, the courses\""
        );
        // The value after such a key is still found where it is.
        assert_eq!(&text[idx.get(&p("e.k")).unwrap().start..][..1], "a");
    }

    #[test]
    fn errors_carry_offsets() {
        let e = value("a: [1, 2\n").unwrap_err();
        assert!(e.offset.is_some());
    }
}
