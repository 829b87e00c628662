//! How a form is laid out: blocks of text with placeholders that a
//! decision's values fill, as the form prints them (a heading, lines of
//! blanks, small print, a signature), per language.
//!
//! A placeholder is `{field}`, or `{field|caption}` where the form prints
//! a caption under the blank (what it is for). Outside a placeholder the
//! text is the form's own wording.

/// What a block is, which decides how it is set on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// The form's name.
    Heading,
    /// A paragraph of the form's wording.
    Text,
    /// A line of blanks and words.
    Line,
    /// Small print under the line above.
    Note,
    /// The signature and seal, at the foot.
    Signature,
    /// One numbered item per reason of the decision.
    Grounds,
    /// A reading of the act, marked as not its words.
    Reading,
}

/// A piece of a block's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// The form's wording, as written.
    Text(String),
    /// A blank, filled with the field's value where it is known; a date
    /// in the grammatical `case` the words around it need (`{valid_from:
    /// ablative}`), where the language has that case.
    Field {
        id: String,
        caption: Option<String>,
        case: Option<String>,
    },
}

/// One block of a layout.
#[derive(Clone, Debug)]
pub struct Block {
    pub kind: BlockKind,
    pub pieces: Vec<Piece>,
    /// For a line: what is set at its right.
    pub right: Vec<Piece>,
    /// The outcomes it is shown for; all when empty.
    pub outcomes: Vec<String>,
    pub cite: Option<String>,
}

impl Block {
    /// The names of the fields its placeholders fill.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.pieces
            .iter()
            .chain(&self.right)
            .filter_map(|p| match p {
                Piece::Field { id, .. } => Some(id.as_str()),
                Piece::Text(_) => None,
            })
    }

    /// Whether it is shown for `outcome`.
    pub fn shown_for(&self, outcome: &str) -> bool {
        self.outcomes.is_empty() || self.outcomes.iter().any(|o| o == outcome)
    }
}

/// The pieces of a text with placeholders, or what is wrong with it.
pub fn parse(text: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err(format!("`}}` without `{{` in `{text}`"));
        }
        if open > 0 {
            out.push(Piece::Text(rest[..open].to_string()));
        }
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("`{{` without `}}` in `{text}`"))?;
        let inner = &after[..close];
        if inner.contains('{') {
            return Err(format!("`{{` inside a placeholder in `{text}`"));
        }
        let (id, caption) = match inner.split_once('|') {
            Some((id, c)) => (id.trim(), Some(c.trim().to_string())),
            None => (inner.trim(), None),
        };
        let (id, case) = match id.split_once(':') {
            Some((id, case)) => (id.trim(), Some(case.trim())),
            None => (id, None),
        };
        let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !word(id) {
            return Err(format!("`{{{inner}}}` does not name a field, in `{text}`"));
        }
        if case.is_some_and(|c| !word(c)) {
            return Err(format!(
                "`{{{inner}}}` names no grammatical case after `:`, in `{text}`"
            ));
        }
        out.push(Piece::Field {
            id: id.to_string(),
            caption: caption.filter(|c| !c.is_empty()),
            case: case.map(str::to_string),
        });
        rest = &after[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_captions_are_read_between_the_words() {
        let p = parse("from {a} to {b|day, month, year}.").expect("valid");
        assert_eq!(
            p,
            vec![
                Piece::Text("from ".into()),
                Piece::Field {
                    id: "a".into(),
                    caption: None,
                    case: None
                },
                Piece::Text(" to ".into()),
                Piece::Field {
                    id: "b".into(),
                    caption: Some("day, month, year".into()),
                    case: None
                },
                Piece::Text(".".into()),
            ]
        );
        assert_eq!(
            parse("{a:ablative|date}").expect("valid"),
            vec![Piece::Field {
                id: "a".into(),
                caption: Some("date".into()),
                case: Some("ablative".into())
            }]
        );
        assert!(parse("{a:}").is_err());
        assert!(parse("{a").is_err());
        assert!(parse("a}").is_err());
        assert!(parse("{}").is_err());
        assert!(parse("{a b}").is_err());
    }
}
