//! Citations as a reader of another language reads them. A policy writes
//! its `cite` fields in one language (`Rules §10.1; List`); its
//! `citations` section gives, term by term, how each reads in the others
//! (`§{n}` → `{n}` and the word for a paragraph). A citation is read as a run of tokens — words,
//! numbers (`10.1`, `§16-§24`, `13.06.2016`), code names (`void_lost`) and
//! punctuation — and each word is covered by the longest term that
//! matches where it stands; numbers, code names and punctuation are kept
//! as they are. A citation with a word no term covers is not translated
//! at all: it is shown as written, and `check` names the word, so that a
//! reader never meets a half-translated reference.

use indexmap::IndexMap;

/// One token of a citation, or of a term's pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    /// Letters (with inner `-` and `'`), compared exactly.
    Word(String),
    /// A number as an act numbers its parts: digits with `.`, `/`, `-`
    /// and `§` inside; `section` when it begins with `§`.
    Number {
        section: bool,
        text: String,
    },
    /// A name with `_`: a code, the same in every language.
    Code(String),
    Punct(char),
    /// In a pattern: `{name}` or `§{name}`, matching a number.
    Slot {
        section: bool,
        name: String,
    },
}

/// A token with whether white space comes before it.
#[derive(Clone, Debug)]
struct Token {
    space: bool,
    tok: Tok,
}

impl Token {
    fn text(&self) -> String {
        match &self.tok {
            Tok::Word(s) | Tok::Code(s) => s.clone(),
            Tok::Number { text, .. } => text.clone(),
            Tok::Punct(c) => c.to_string(),
            Tok::Slot { section, name } => {
                format!("{}{{{name}}}", if *section { "§" } else { "" })
            }
        }
    }
}

/// Splits `s` into tokens; `{name}` is a slot where `pattern` is set.
fn tokens(s: &str, pattern: bool) -> Vec<Token> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut space = false;
    let number_char = |c: char| c.is_ascii_digit() || matches!(c, '.' | '/' | '-' | '§');
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        let start = i;
        let section = c == '§';
        let after = if section { i + 1 } else { i };
        let tok = if pattern
            && chars.get(after) == Some(&'{')
            && let Some(close) = chars[after..].iter().position(|&x| x == '}')
        {
            let name: String = chars[after + 1..after + close].iter().collect();
            i = after + close + 1;
            Tok::Slot { section, name }
        } else if chars.get(after).is_some_and(char::is_ascii_digit) {
            i = after;
            while i < chars.len() && number_char(chars[i]) {
                i += 1;
            }
            // A dot, dash or slash at the end is punctuation after it.
            while i > after + 1 && matches!(chars[i - 1], '.' | '/' | '-' | '§') {
                i -= 1;
            }
            Tok::Number {
                section,
                text: chars[start..i].iter().collect(),
            }
        } else if c.is_alphabetic() || c == '_' {
            while i < chars.len()
                && (chars[i].is_alphanumeric()
                    || chars[i] == '_'
                    || (matches!(chars[i], '-' | '\'' | '’')
                        && chars.get(i + 1).is_some_and(|n| n.is_alphabetic())))
            {
                i += 1;
            }
            let w: String = chars[start..i].iter().collect();
            if w.contains('_') {
                Tok::Code(w)
            } else {
                Tok::Word(w)
            }
        } else {
            i += 1;
            Tok::Punct(c)
        };
        out.push(Token { space, tok });
        space = false;
    }
    out
}

/// What is wrong with a term of the `citations` section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TermError {
    /// The term has no words to match.
    Empty,
    /// A slot of the pattern is not in the wording, or the wording names
    /// one the pattern does not have.
    Slots { language: String, slot: String },
}

/// A term: the tokens it matches and its wording in each language.
#[derive(Clone, Debug)]
struct Term {
    pattern: Vec<Token>,
    words: IndexMap<String, String>,
}

/// How a policy's citations read in its other languages.
#[derive(Clone, Debug, Default)]
pub struct Citations {
    /// The language the policy's `cite` fields are written in.
    pub language: String,
    terms: Vec<Term>,
}

impl Citations {
    /// The citations of `language`, with `terms` as the policy writes them.
    /// Errors name the term.
    pub fn new(
        language: &str,
        terms: &IndexMap<String, IndexMap<String, String>>,
    ) -> Result<Citations, Vec<(String, TermError)>> {
        let mut errors = Vec::new();
        let mut out = Vec::new();
        for (term, words) in terms {
            let pattern = tokens(term, true);
            if pattern.is_empty() {
                errors.push((term.clone(), TermError::Empty));
                continue;
            }
            let slots: Vec<&str> = pattern
                .iter()
                .filter_map(|t| match &t.tok {
                    Tok::Slot { name, .. } => Some(name.as_str()),
                    _ => None,
                })
                .collect();
            for (lang, w) in words {
                let named = braces(w);
                let bad = slots
                    .iter()
                    .find(|s| !named.contains(&s.to_string()))
                    .map(|s| s.to_string())
                    .or_else(|| named.iter().find(|n| !slots.contains(&n.as_str())).cloned());
                if let Some(slot) = bad {
                    errors.push((
                        term.clone(),
                        TermError::Slots {
                            language: lang.clone(),
                            slot,
                        },
                    ));
                }
            }
            out.push(Term {
                pattern,
                words: words.clone(),
            });
        }
        match errors.is_empty() {
            true => Ok(Citations {
                language: language.to_string(),
                terms: out,
            }),
            false => Err(errors),
        }
    }

    /// `cite` in `lang`: as written where `lang` is the citations' own
    /// language; otherwise each word by its term, or, where some word has
    /// no term with a wording in `lang`, those words (in order, once each).
    pub fn translate(&self, cite: &str, lang: &str) -> Result<String, Vec<String>> {
        if lang == self.language {
            return Ok(cite.to_string());
        }
        let toks = tokens(cite, false);
        let mut out = String::new();
        let mut missing: Vec<String> = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let best = self
                .terms
                .iter()
                .filter(|t| t.words.contains_key(lang))
                .filter_map(|t| matches(&t.pattern, &toks[i..]).map(|m| (t, m)))
                .fold(None::<(&Term, Match)>, |best, (t, m)| match &best {
                    Some((_, b)) if b.len >= m.len => best,
                    _ => Some((t, m)),
                });
            if toks[i].space && !out.is_empty() {
                out.push(' ');
            }
            match best {
                Some((t, m)) => {
                    let mut w = t.words[lang].clone();
                    for (name, value) in &m.slots {
                        w = w.replace(&format!("{{{name}}}"), value);
                    }
                    out += &w;
                    i += m.len;
                }
                None => {
                    if let Tok::Word(w) = &toks[i].tok
                        && !missing.contains(w)
                    {
                        missing.push(w.clone());
                    }
                    out += &toks[i].text();
                    i += 1;
                }
            }
        }
        match missing.is_empty() {
            true => Ok(out),
            false => Err(missing),
        }
    }
}

/// The names in braces in a wording.
fn braces(w: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = w;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        out.push(rest[open + 1..open + close].to_string());
        rest = &rest[open + close + 1..];
    }
    out
}

/// A pattern matched at the start of some tokens: how many, and the
/// numbers its slots took (without `§`).
struct Match {
    len: usize,
    slots: Vec<(String, String)>,
}

fn matches(pattern: &[Token], toks: &[Token]) -> Option<Match> {
    if pattern.len() > toks.len() {
        return None;
    }
    let mut slots = Vec::new();
    for (p, t) in pattern.iter().zip(toks) {
        match (&p.tok, &t.tok) {
            (Tok::Slot { section, name }, Tok::Number { section: s, text }) if section == s => {
                slots.push((name.clone(), text.replace('§', "")));
            }
            (a, b) if a == b => {}
            _ => return None,
        }
    }
    Some(Match {
        len: pattern.len(),
        slots,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cits(terms: &[(&str, &str)]) -> Citations {
        let terms = terms
            .iter()
            .map(|(t, w)| {
                let mut l = IndexMap::new();
                l.insert("xx".to_string(), w.to_string());
                (t.to_string(), l)
            })
            .collect();
        Citations::new("en", &terms).expect("valid terms")
    }

    #[test]
    fn terms_cover_words_and_numbers_stay() {
        let c = cits(&[
            ("Rules", "R"),
            ("§{n}", "{n}-t"),
            ("Standard", "S"),
            ("Annex {n} of the Rules", "R-{n}-q"),
            ("(issue)", "(b)"),
            ("and", "&"),
        ]);
        let t = |s: &str| c.translate(s, "xx");
        assert_eq!(t("Rules §10.1"), Ok("R 10.1-t".into()));
        assert_eq!(t("Standard 9.1; List"), Err(vec!["List".into()]));
        assert_eq!(
            t("Rules §16-§24; Standard 3, 8"),
            Ok("R 16-24-t; S 3, 8".into())
        );
        assert_eq!(
            t("Rules §15; Annex 3 of the Rules"),
            Ok("R 15-t; R-3-q".into())
        );
        assert_eq!(t("Rules §15 (issue), §16"), Ok("R 15-t (b), 16-t".into()));
        assert_eq!(
            t("§24.3 (ceased_mismatch)"),
            Ok("24.3-t (ceased_mismatch)".into())
        );
        assert_eq!(t("Rules §24.2 and §21"), Ok("R 24.2-t & 21-t".into()));
        // The citations' own language is as written.
        assert_eq!(c.translate("List", "en"), Ok("List".into()));
    }

    #[test]
    fn the_longest_term_wins() {
        let c = cits(&[
            ("Rules", "R"),
            ("Rules Annex {n}", "RA{n}"),
            ("Annex {n}", "A{n}"),
        ]);
        assert_eq!(c.translate("Rules Annex 3", "xx"), Ok("RA3".into()));
        assert_eq!(c.translate("Rules, Annex 3", "xx"), Ok("R, A3".into()));
    }

    #[test]
    fn numbers_keep_their_inner_marks() {
        let toks = tokens("List 1/1/1.1) of 13.06.2016. No. 42", false);
        let texts: Vec<String> = toks.iter().map(Token::text).collect();
        assert_eq!(
            texts,
            [
                "List",
                "1/1/1.1",
                ")",
                "of",
                "13.06.2016",
                ".",
                "No",
                ".",
                "42"
            ]
        );
    }

    #[test]
    fn a_slot_missing_from_a_wording_is_an_error() {
        let mut l = IndexMap::new();
        l.insert("xx".to_string(), "no slot".to_string());
        let mut terms = IndexMap::new();
        terms.insert("§{n}".to_string(), l);
        let e = Citations::new("en", &terms).unwrap_err();
        assert_eq!(
            e[0].1,
            TermError::Slots {
                language: "xx".into(),
                slot: "n".into()
            }
        );
    }
}
