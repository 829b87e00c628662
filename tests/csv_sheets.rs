//! `qagida batch` on CSV as spreadsheets write it (issue 17, items 4 and
//! 6): any line endings, numbered as the file's lines; a byte-order mark;
//! a header that would lose cells refused; cells that would be lost
//! (beyond the header, or under no name) errors; a record too long for
//! memory an error at its line; never a record dropped or reordered.

use std::path::Path;
use std::process::Output;

use crate::common::*;

const CSV: &str = "policies/kz-order-503/examples/batch/applications.csv";
const JSONL: &str = "policies/kz-order-503/examples/batch/applications.jsonl";

/// The example CSV's header and rows: one granted, one refused, one
/// error (`yes` for a boolean).
fn example() -> (String, String, String, String) {
    let text = std::fs::read_to_string(CSV).expect("example");
    let l: Vec<&str> = text.lines().collect();
    (l[0].into(), l[1].into(), l[2].into(), l[3].into())
}

fn batch(input: &Path, jobs: &str) -> Output {
    let path = input.display().to_string();
    qagida(&[
        "batch",
        "--param",
        "threshold=6",
        "--jobs",
        jobs,
        "-o",
        "-",
        &path,
    ])
}

fn records(o: &Output) -> Vec<serde_json::Value> {
    stdout(o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}

/// Each record's line and its outcome or error.
fn summary(o: &Output) -> Vec<(u64, String)> {
    records(o)
        .iter()
        .map(|v| {
            let line = v["line"].as_u64().expect("line");
            match (&v["outcome"], &v["error"]) {
                (serde_json::Value::String(s), _) => (line, s.clone()),
                (_, serde_json::Value::String(e)) => (line, format!("error: {e}")),
                _ => panic!("neither outcome nor error: {v}"),
            }
        })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

/// The example's rows with a blank line and a cell over two lines (the
/// documents, quoted), joined by `breaks` in turn: whatever the line
/// endings, each record is numbered by the line it starts on.
#[test]
fn records_are_numbered_by_their_first_line_whatever_the_endings() {
    let (header, grant, refuse, error) = example();
    // The refused row's documents, over two lines inside their quotes.
    let refuse = refuse.replacen("identity_document, ", "identity_document,\n ", 1);
    assert!(refuse.contains('\n'));
    let rows = [header.as_str(), &grant, "", &refuse, &error];
    let dir = scratch("csv-endings");
    let want: Vec<(u64, String)> = vec![
        (2, "grant".into()),
        (4, "refuse".into()),
        (
            6,
            "error: `education.higher_in_specialty`: expected true or false, found the string `yes`"
                .into(),
        ),
    ];
    for (name, breaks) in [
        ("lf", &["\n"][..]),
        ("crlf", &["\r\n"]),
        ("cr", &["\r"]),
        ("mixed", &["\r\n", "\n", "\r"]),
    ] {
        let mut text = String::new();
        for (i, row) in rows.iter().enumerate() {
            let br = breaks[i % breaks.len()];
            // The break inside the quoted cell is the file's, too.
            text += &row.replace('\n', br);
            text += br;
        }
        let input = write(&dir, &format!("{name}.csv"), &text);
        let o = batch(&input, "2");
        assert_eq!(o.status.code(), Some(5), "{name}: {}", stderr(&o));
        assert_eq!(summary(&o), want, "{name}");
        assert_eq!(stderr(&o), "3 records: 1 grant, 1 refuse, 1 errors\n");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_byte_order_mark_starts_neither_the_first_line_nor_the_header() {
    let dir = scratch("csv-bom");
    let jsonl = std::fs::read(JSONL).expect("example");
    let csv = std::fs::read(CSV).expect("example");
    for (name, text, first) in [("bom.jsonl", jsonl, 1), ("bom.csv", csv, 2)] {
        let input = write(&dir, name, [&b"\xEF\xBB\xBF"[..], &text].concat());
        let o = batch(&input, "1");
        let out = summary(&o);
        assert_eq!(out[0], (first, "grant".to_string()), "{name}: {out:?}");
        // And the same records as without the mark.
        let plain = write(&dir, &format!("plain-{name}"), &text);
        assert_eq!(o.stdout, batch(&plain, "1").stdout, "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_cell_beyond_the_header_is_an_error_at_its_line() {
    let (header, grant, refuse, _) = example();
    let text = format!("{header}\n{grant},,x,\n{refuse}\n{grant},, ,\n");
    let dir = scratch("csv-extra");
    let o = batch(&write(&dir, "extra.csv", text), "1");
    assert_eq!(
        summary(&o),
        [
            (
                2,
                "error: the record has 13 cells, 3 more than the 10 columns of the header".into()
            ),
            (3, "refuse".into()),
            // Empty cells beyond the header lose nothing.
            (4, "grant".into()),
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_value_under_a_column_without_a_name_is_an_error() {
    let (header, grant, refuse, _) = example();
    let text = format!("{header},,\n{grant},,\n{refuse},,7\n{grant}\n");
    let dir = scratch("csv-unnamed");
    let o = batch(&write(&dir, "unnamed.csv", text), "1");
    assert_eq!(
        summary(&o),
        [
            (2, "grant".into()),
            (
                3,
                "error: column 12 holds a value, but the header gives that column no name".into()
            ),
            // A short record's missing cells are absent.
            (4, "grant".into()),
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_column_named_twice_fails_the_batch_once_at_the_header() {
    let (header, grant, refuse, _) = example();
    let dir = scratch("csv-duplicate");
    for (name, head, message) in [
        (
            "twice",
            format!("{header}, service"),
            "the CSV header names the column `service` twice: columns 1 and 11",
        ),
        (
            "inside",
            format!("{header},education"),
            "the CSV header has both `education` (column 11) and `education.higher_in_specialty` (column 5), a field inside it: a cell cannot be both",
        ),
    ] {
        let text = format!("{head}\n{grant},issue\n{refuse},issue\n");
        let o = batch(&write(&dir, &format!("{name}.csv"), text), "2");
        assert_eq!(o.status.code(), Some(5), "{name}: {}", stderr(&o));
        assert_eq!(summary(&o), [(1, format!("error: {message}"))], "{name}");
        assert_eq!(stderr(&o), "1 records: 1 errors\n", "{name}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A cell one byte over the limit of a JSONL line: its record is an error
/// at its line (its bytes never kept whole), and the records after it are
/// decided, in order, alike whatever the threads.
#[test]
fn a_cell_over_a_mebibyte_is_an_error_and_the_batch_goes_on() {
    let (header, grant, refuse, error) = example();
    let long = "x".repeat((1 << 20) + 1);
    // The cell where the grant's qualification level is.
    let cells: Vec<&str> = grant.split(',').collect();
    assert_eq!(cells[3], "7");
    let huge = [&cells[..3], &[long.as_str()], &cells[4..]]
        .concat()
        .join(",");
    let text = format!("{header}\r\n{grant}\r\n{huge}\r\n{refuse}\r\n{error}\r\n{grant}\r\n");
    let dir = scratch("csv-long");
    let input = write(&dir, "long.csv", &text);
    let o = batch(&input, "1");
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let message = format!(
        "error: the record is {} bytes long, longer than the 1048576 bytes a record may have (its longest cell, column 4, is 1048577 bytes)",
        huge.len()
    );
    let out = summary(&o);
    assert_eq!(out.len(), 5, "{out:?}");
    assert_eq!(out[0], (2, "grant".into()));
    assert_eq!(out[1], (3, message));
    assert_eq!(out[2], (4, "refuse".into()));
    assert_eq!(out[3].0, 5);
    assert_eq!(out[4], (6, "grant".into()));
    assert_eq!(o.stdout, batch(&input, "4").stdout, "--jobs 4");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_quote_never_closed_is_an_error_at_its_record() {
    let (header, grant, _, error) = example();
    // No quote in the rest to close it.
    assert!(!error.contains('"'));
    let text = format!("{header}\n{grant}\n\"issue,{error}\n{error}\n");
    let dir = scratch("csv-unclosed");
    let o = batch(&write(&dir, "unclosed.csv", text), "1");
    assert_eq!(
        summary(&o),
        [
            (2, "grant".into()),
            (
                3,
                "error: the quote that opens column 1 at line 3 is not closed before the end of the input"
                    .into()
            ),
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Many records of every kind, with mixed line endings: one thread or
/// four give the same bytes, one record per record in, in order.
#[test]
fn a_mixed_sheet_gives_the_same_bytes_whatever_the_threads() {
    let (header, grant, refuse, error) = example();
    let long = "y".repeat((1 << 20) + 10);
    let kinds = [
        grant.clone(),
        format!("{refuse},,extra"),
        error,
        format!("\"{long}\""),
        refuse.replacen("identity_document, ", "identity_document,\r\n ", 1),
        String::new(),
        format!("{grant}\u{1}"),
    ];
    let breaks = ["\n", "\r\n", "\r"];
    let mut text = format!("\u{feff}{header}\r\n");
    let mut starts = Vec::new();
    let mut line: u64 = 2;
    for i in 0..700 {
        let row = &kinds[i % kinds.len()];
        if !row.is_empty() {
            starts.push(line);
        }
        // (A blank line of "\n" after a "\r" would end the same line.)
        let br = match row.is_empty() {
            true => "\r\n",
            false => breaks[i % breaks.len()],
        };
        line += 1 + row.matches("\r\n").count() as u64;
        text += row;
        text += br;
    }
    let dir = scratch("csv-mixed");
    let input = write(&dir, "mixed.csv", &text);
    let one = batch(&input, "1");
    let four = batch(&input, "4");
    assert_eq!(one.status.code(), Some(5), "{}", stderr(&one));
    assert_eq!(one.stdout, four.stdout);
    assert_eq!(stderr(&one), stderr(&four));
    let lines: Vec<u64> = summary(&one).iter().map(|r| r.0).collect();
    assert_eq!(lines, starts);
    let _ = std::fs::remove_dir_all(&dir);
}
