//! User text in messages: every name, key, value or file name a message
//! quotes goes through [`quote`] (or [`escape`]), and the renderers pass
//! whole messages through [`escape_message`], so that a control character
//! written in an input (NUL, ESC, the other C0 and C1 controls, DEL, or a
//! character that reorders the text on screen) never reaches a terminal
//! raw. Each is written as Rust writes a character's code, `\u{1b}`.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not be written raw: a C0 control (tab and line feed
/// too), DEL, a C1 control, or a bidirectional override or isolate, which
/// make a terminal show text in another order than it is written.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with each character [`is_hidden`] written as `\u{..}` (`\u{0}`,
/// `\u{1b}`, `\u{9}`); borrowed when there is none.
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_where(s, is_hidden)
}

/// A whole message (or hint, or file name in one), escaped as [`escape`]
/// does but for its line breaks, which a message may have for layout.
pub fn escape_message(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| c != '\n' && is_hidden(c))
}

fn escape_where(s: &str, hidden: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text in backticks for a message, escaped, and cut short when it is
/// long: `` `name` ``, `` `a\u{1b}b` ``, `` `abc…` (500 characters) ``.
pub fn quote(s: &str) -> String {
    const KEEP: usize = 40;
    let n = s.chars().count();
    if n <= KEEP + 10 {
        return format!("`{}`", escape(s));
    }
    let head: String = s.chars().take(KEEP).collect();
    format!("`{}…` ({n} characters)", escape(&head))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_written_as_their_codes() {
        assert_eq!(escape("plain, Ελλάς, ǅemal"), "plain, Ελλάς, ǅemal");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(escape("a\0b\x1b[31mc\x7f"), "a\\u{0}b\\u{1b}[31mc\\u{7f}");
        assert_eq!(escape("\u{85}\u{9b}\u{202e}"), "\\u{85}\\u{9b}\\u{202e}");
        assert_eq!(escape("a\tb\nc"), "a\\u{9}b\\u{a}c");
        assert_eq!(escape_message("one\ntwo\x1b"), "one\ntwo\\u{1b}");
    }

    #[test]
    fn quotes_are_escaped_and_cut() {
        assert_eq!(quote("x\x1by"), "`x\\u{1b}y`");
        let long = "\x1b".repeat(60);
        let q = quote(&long);
        assert!(q.ends_with("(60 characters)") && !q.contains('\x1b'), "{q}");
    }
}
