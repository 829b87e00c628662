//! Diagnostics, the common currency of every stage's errors and warnings,
//! and their rendering for people (`human`) and for programs (`json`).

use std::fmt::Write as _;

use serde::Serialize;

use crate::core::source::Loc;
use crate::core::text::escape_message;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding about a policy, an overlay or an application.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A short stable code, such as `syntax` or `unknown-name`.
    pub code: &'static str,
    pub message: String,
    /// Where, when the finding has a place in a file.
    pub loc: Option<Loc>,
    /// The file, when the finding has no finer place.
    pub file: Option<String>,
    pub help: Option<String>,
    /// Whether it says that a file cannot be read (missing, a directory,
    /// no permission), which a caller reports apart from what a file
    /// says (the command line's exit 3).
    pub unreadable: bool,
}

impl Diagnostic {
    /// A file that cannot be read: code `io`.
    pub fn unreadable(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            unreadable: true,
            ..Diagnostic::error("io", message)
        }
    }

    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            loc: None,
            file: None,
            help: None,
            unreadable: false,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, loc: Option<Loc>) -> Diagnostic {
        if let Some(l) = &loc {
            self.file = Some(l.file.name.clone());
        }
        self.loc = loc;
        self
    }

    pub fn in_file(mut self, file: impl Into<String>) -> Diagnostic {
        self.file = Some(file.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        let h = help.into();
        if !h.is_empty() {
            self.help = Some(h);
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col`, or the file alone, or nothing.
    pub fn position(&self) -> Option<String> {
        match (&self.loc, &self.file) {
            (Some(l), _) => {
                let (line, col) = l.line_col();
                Some(format!("{}:{line}:{col}", l.file.name))
            }
            (None, Some(f)) => Some(f.clone()),
            _ => None,
        }
    }
}

/// Orders diagnostics by file and position, errors before warnings at the
/// same place, so that output does not depend on the order of discovery.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            (
                d.file.clone().unwrap_or_default(),
                d.loc.as_ref().map(|l| l.start).unwrap_or(0),
                d.severity,
                d.message.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// Renders for a person, in the manner of compilers: the message, the
/// position, the source line with the span underlined, and a hint. A
/// control character in any of them is written escaped (`\u{1b}`), in
/// the source line as its visible symbol (`␛`).
pub fn human(diags: &[Diagnostic], color: bool) -> String {
    let mut out = String::new();
    let paint = |code: &str, s: &str| {
        if color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    for d in diags {
        let (word, col) = match d.severity {
            Severity::Error => ("error", "1;31"),
            Severity::Warning => ("warning", "1;33"),
        };
        let _ = writeln!(
            out,
            "{}: {}",
            paint(col, &format!("{word}[{}]", d.code)),
            paint("1", &escape_message(&d.message))
        );
        if let Some(pos) = d.position() {
            let _ = writeln!(out, "  --> {}", escape_message(&pos));
        }
        if let Some(l) = &d.loc {
            let (line, c) = l.line_col();
            let text = l.file.line(line);
            let gutter = " ".repeat(line.to_string().len());
            let (end_line, end_col) = l.file.line_col(l.end);
            let width = if end_line == line {
                end_col.saturating_sub(c).max(1)
            } else {
                text.chars().count().saturating_sub(c - 1).max(1)
            };
            let (text, c, width) = excerpt(text, c, width);
            let _ = writeln!(out, "{gutter} |");
            let _ = writeln!(out, "{line} | {text}");
            let pad: String = text
                .chars()
                .take(c - 1)
                .map(|ch| if ch == '\t' { '\t' } else { ' ' })
                .collect();
            let _ = writeln!(out, "{gutter} | {pad}{}", paint(col, &"^".repeat(width)));
        }
        if let Some(h) = &d.help {
            let _ = writeln!(out, "  = help: {}", escape_message(h));
        }
        out.push('\n');
    }
    out
}

/// The part of a source line to show: a long line is cut to a window
/// around the caret, marked `…` where cut, and control characters are shown
/// as their visible symbols (`␀`) so that a binary file does not garble the
/// terminal. Returns the text, the caret's 1-based column in it and the
/// caret's width.
fn excerpt(line: &str, col: usize, width: usize) -> (String, usize, usize) {
    const MAX: usize = 120;
    const BEFORE: usize = 40;
    let chars: Vec<char> = line.chars().collect();
    let (mut from, mut to) = (0, chars.len());
    if chars.len() > MAX {
        from = col.saturating_sub(1 + BEFORE).min(chars.len());
        to = (from + MAX).min(chars.len());
    }
    // One character for one, so that the caret stays under its column.
    let visible = |ch: char| match ch {
        '\t' => ch,
        c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('?'),
        '\u{7f}' => '\u{2421}',
        c if crate::core::text::is_hidden(c) => '\u{fffd}',
        c => c,
    };
    let mut text = String::new();
    let mut col = col.saturating_sub(from);
    if from > 0 {
        text.push('…');
        col += 1;
    }
    text.extend(chars[from..to].iter().copied().map(visible));
    if to < chars.len() {
        text.push('…');
    }
    let col = col.max(1);
    let shown = usize::from(from > 0) + to - from;
    let width = width.min(shown.saturating_sub(col - 1)).max(1);
    (text, col, width)
}

/// Renders as JSON: an array of objects with severity, code, message, file,
/// line, column (1-based) and help, escaped as [`human`] escapes them.
pub fn json(diags: &[Diagnostic]) -> serde_json::Value {
    serde_json::Value::Array(
        diags
            .iter()
            .map(|d| {
                let (line, column) = d.loc.as_ref().map(|l| l.line_col()).unzip();
                serde_json::json!({
                    "severity": d.severity,
                    "code": d.code,
                    "message": escape_message(&d.message),
                    "file": d.file.as_deref().map(escape_message),
                    "line": line,
                    "column": column,
                    "help": d.help.as_deref().map(escape_message),
                })
            })
            .collect(),
    )
}

/// `2 errors, 1 warning`
pub fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::source::SourceFile;

    #[test]
    fn the_caret_sits_under_the_span_counted_in_characters() {
        let f = SourceFile::new("f.yaml", "name: \"Ελλάς\" + x\n");
        let start = f.text.find('x').unwrap();
        let d = Diagnostic::error("type", "bad")
            .at(Some(Loc::new(&f, start, start + 1)))
            .help("fix it");
        assert_eq!(
            human(std::slice::from_ref(&d), false),
            "error[type]: bad\n  --> f.yaml:1:17\n  |\n1 | name: \"Ελλάς\" + x\n  |                 ^\n  = help: fix it\n\n"
        );
        assert!(human(std::slice::from_ref(&d), true).contains("\x1b[1;31m"));
        assert_eq!(json(&[d])[0]["column"], 17);
    }

    #[test]
    fn long_lines_are_cut_around_the_caret_and_control_characters_shown() {
        let line = format!("{}x{}", "a".repeat(500), "b".repeat(500));
        let (text, col, width) = excerpt(&line, 501, 3);
        assert_eq!(text.chars().nth(col - 1), Some('x'));
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert!(text.chars().count() <= 122);
        assert_eq!(width, 3);
        assert_eq!(excerpt("a\0b", 2, 1), ("a\u{2400}b".to_string(), 2, 1));
        let (_, _, width) = excerpt(&line, 1, 5000);
        assert_eq!(width, 120);
    }

    #[test]
    fn control_characters_in_messages_are_escaped_in_both_renderings() {
        let f = SourceFile::new("a\x1b[2J.yaml", "k\u{9b}: 1\n");
        let d = Diagnostic::error("input", "unknown field `k\u{9b}`\x07")
            .at(Some(Loc::new(&f, 0, 1)))
            .help("not `\x1b[31m`");
        let text = human(std::slice::from_ref(&d), false);
        assert_eq!(
            text,
            "error[input]: unknown field `k\\u{9b}`\\u{7}\n  --> a\\u{1b}[2J.yaml:1:1\n  |\n1 | k\u{fffd}: 1\n  | ^\n  = help: not `\\u{1b}[31m`\n\n"
        );
        let j = json(&[d]);
        assert_eq!(j[0]["message"], "unknown field `k\\u{9b}`\\u{7}");
        assert_eq!(j[0]["file"], "a\\u{1b}[2J.yaml");
        assert_eq!(j[0]["help"], "not `\\u{1b}[31m`");
    }

    #[test]
    fn summary_counts_errors_and_warnings() {
        let ds = [
            Diagnostic::error("a", "x"),
            Diagnostic::warning("b", "y"),
            Diagnostic::warning("b", "z"),
        ];
        assert_eq!(summary(&ds), "1 error, 2 warnings");
    }
}
