//! The query of a URL: its pairs decoded, each name one the route takes.

use axum::http::Uri;

use super::*;
use crate::serve::error::ApiError;

/// The query's pairs, percent-decoded, each name one of `known`.
pub(crate) fn query(uri: &Uri, known: &[&str]) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    for pair in uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k)?, decode(v)?);
        if !known.contains(&k.as_str()) {
            return Err(usage(format!(
                "unknown query parameter `{}`{}",
                crate::core::text::escape(&k),
                match known {
                    [] => " (this route takes none)".to_string(),
                    _ => format!(" (this route takes {})", known.join(", ")),
                }
            )));
        }
        out.push((k, v));
    }
    Ok(out)
}

/// The one value of `name` in a query, if given; twice is an error.
pub(super) fn one<'a>(q: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, ApiError> {
    let mut found = q.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let first = found.next();
    if found.next().is_some() {
        return Err(usage(format!(
            "the query parameter `{name}` is given twice"
        )));
    }
    Ok(first)
}

pub(super) fn required<'a>(q: &'a [(String, String)], name: &str) -> Result<&'a str, ApiError> {
    one(q, name)?.ok_or_else(|| usage(format!("the query parameter `{name}` is required")))
}

/// `%XX` and `+` decoded; the result must be UTF-8.
pub(crate) fn decode(s: &str) -> Result<String, ApiError> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = b
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| {
                        usage("a query has a `%` not followed by two hex digits".into())
                    })?;
                out.push(hex);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| usage("a query is not UTF-8 once decoded".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_decoded_and_checked() {
        let uri: Uri = "/x?q=%C3%A9+b&at=2021-01-01".parse().unwrap();
        let q = query(&uri, &["q", "at"]).unwrap();
        assert_eq!(
            q,
            [
                ("q".into(), "é b".into()),
                ("at".into(), "2021-01-01".into())
            ]
        );
        assert_eq!(one(&q, "q").unwrap(), Some("é b"));
        let bad: Uri = "/x?q=%G1".parse().unwrap();
        assert_eq!(query(&bad, &["q"]).unwrap_err().code, "usage");
        let unknown: Uri = "/x?z=1".parse().unwrap();
        let e = query(&unknown, &["q"]).unwrap_err();
        assert!(
            e.diagnostics[0].message.contains("takes q"),
            "{:?}",
            e.diagnostics
        );
        let twice: Uri = "/x?q=1&q=2".parse().unwrap();
        assert!(one(&query(&twice, &["q"]).unwrap(), "q").is_err());
    }
}
