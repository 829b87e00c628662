//! CSV as spreadsheets write it: records split on the reading thread by a
//! small quote-aware scanner that keeps at most [`MAX_LINE`] bytes of a
//! record whatever its length, then read into cells (by csv-core, the csv
//! crate's parser) and data by the worker that evaluates them.
//!
//! The scanner splits where the csv crate (csv-core, with its default
//! settings: `,`, `"` doubled to escape, records ended by `\r`, `\n` or
//! `\r\n`) would: a quote opens a quoted cell only at the start of a cell,
//! a line break inside a quoted cell belongs to the cell, and empty lines
//! are skipped. It also counts the file's lines, a line ending at `\n`,
//! `\r\n` or a lone `\r`, so that a record's number is the line it starts
//! on whatever the line endings (the header is line 1).

use std::collections::HashMap;
use std::io::BufRead;

use super::MAX_LINE;
use crate::core::yaml::Data;

/// What is wrong with a CSV record or with the header.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(super) enum SheetError {
    #[error(
        "the record is {len} bytes long, longer than the {MAX_LINE} bytes a record may have (its longest cell, column {column}, is {cell} bytes)"
    )]
    TooLong {
        len: usize,
        column: usize,
        cell: usize,
    },
    #[error(
        "the quote that opens column {column} at line {line} is not closed before the end of the input"
    )]
    Unclosed { line: usize, column: usize },
    #[error(
        "the record is not UTF-8 text: the byte 0x{byte:02X} at line {line}, column {column} is not part of a UTF-8 character"
    )]
    NotUtf8 {
        byte: u8,
        line: usize,
        column: usize,
    },
    #[error("the CSV record cannot be read: {0}")]
    Cells(String),
    #[error(
        "the record has {cells} cells, {} more than the {columns} columns of the header",
        cells - columns
    )]
    ExtraCells { cells: usize, columns: usize },
    #[error("column {column} holds a value, but the header gives that column no name")]
    Unnamed { column: usize },
    #[error("the CSV header cannot be read: {0}")]
    Header(Box<SheetError>),
    #[error("the CSV header names the column `{name}` twice: columns {first} and {second}")]
    Duplicate {
        name: String,
        first: usize,
        second: usize,
    },
    #[error(
        "the CSV header has both `{whole}` (column {first}) and `{inner}` (column {second}), a field inside it: a cell cannot be both"
    )]
    Overlap {
        whole: String,
        first: usize,
        inner: String,
        second: usize,
    },
}

/// Where the scanner is in a record.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between records: line breaks are skipped.
    Start,
    /// At the start of a cell.
    Cell,
    /// In a cell that did not start with a quote.
    Unquoted,
    /// In a quoted cell.
    Quoted,
    /// Just after a quote in a quoted cell: a second quote is a quote in
    /// the text, anything else ends the quoted part.
    Quote,
}

/// A record as split: where it starts and how long it is. Its bytes (at
/// most [`MAX_LINE`] + 1 of them) are in the buffer it was split into.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Split {
    /// The line the record starts on.
    pub line: usize,
    /// Its length in bytes, without its line break.
    pub len: usize,
    /// Its longest cell: the column and its length (quotes included).
    longest: (usize, usize),
    /// Where the quoted cell that the input ended in opened (its line and
    /// column).
    unclosed: Option<(usize, usize)>,
}

/// The bytes of a UTF-8 byte-order mark, which spreadsheets put at the
/// start of the files they save as "CSV UTF-8".
pub(super) const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Splits CSV input into records (see the module's notes).
pub(super) struct Splitter {
    /// The line the next byte is on.
    line: usize,
    /// Whether the last byte was `\r`, so that a `\n` after it ends no
    /// other line.
    cr: bool,
    /// The bytes of a byte-order mark matched at the start of the input,
    /// while it is still looked for.
    bom: Option<usize>,
}

impl Default for Splitter {
    fn default() -> Splitter {
        Splitter {
            line: 1,
            cr: false,
            bom: Some(0),
        }
    }
}

impl Splitter {
    /// The line the next byte is on.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Counts a byte that may end a line.
    fn count(&mut self, b: u8) {
        match b {
            b'\r' => self.line += 1,
            b'\n' if !self.cr => self.line += 1,
            _ => {}
        }
        self.cr = b == b'\r';
    }

    /// Splits the next record into `buf` (without its line break), keeping
    /// at most `MAX_LINE + 1` bytes of it so that memory stays bounded
    /// whatever its length; `None` at the end of the input.
    pub fn next(
        &mut self,
        input: &mut impl BufRead,
        buf: &mut Vec<u8>,
    ) -> std::io::Result<Option<Split>> {
        buf.clear();
        let mut state = State::Start;
        let mut split = Split {
            line: self.line,
            len: 0,
            longest: (0, 0),
            unclosed: None,
        };
        // The column being read, and where in the record it starts.
        let (mut column, mut cell_start) = (1, 0);
        let mut quote = (0, 0);
        let keep = |buf: &mut Vec<u8>, bytes: &[u8]| {
            let room = (MAX_LINE + 1).saturating_sub(buf.len());
            buf.extend_from_slice(&bytes[..bytes.len().min(room)]);
        };
        loop {
            let avail = match input.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let mut i = 0;
            // The bytes of a mark matched so far that turn out not to be
            // one are the record's first bytes.
            if let Some(mut m) = self.bom {
                while i < avail.len() && m < BOM.len() && avail[i] == BOM[m] {
                    (i, m) = (i + 1, m + 1);
                }
                if m < BOM.len() && i == avail.len() && !avail.is_empty() {
                    // All of this buffer is the start of a mark: read on.
                    self.bom = Some(m);
                    input.consume(i);
                    continue;
                }
                self.bom = None;
                if m < BOM.len() && m > 0 {
                    // Not a mark after all: its bytes start the record.
                    keep(buf, &BOM[..m]);
                    (split.line, split.len) = (self.line, m);
                    state = State::Unquoted;
                }
            }
            if avail.is_empty() {
                if state == State::Start {
                    return Ok(None);
                }
                if state == State::Quoted {
                    split.unclosed = Some(quote);
                }
                let len = split.len - cell_start;
                end_cell(&mut split, column, len);
                return Ok(Some(split));
            }
            // Where the record's bytes in this buffer start.
            let mut seg = i;
            let mut end = None;
            while i < avail.len() {
                let b = avail[i];
                match state {
                    State::Start => {
                        if b == b'\r' || b == b'\n' {
                            self.count(b);
                            i += 1;
                            seg = i;
                        } else {
                            split.line = self.line;
                            state = State::Cell;
                        }
                    }
                    State::Cell | State::Quote if b == b'"' => {
                        if state == State::Cell {
                            quote = (self.line, column);
                        }
                        self.count(b);
                        state = State::Quoted;
                        i += 1;
                    }
                    State::Cell | State::Quote => {
                        // Not a quote: the cell goes on, unquoted, from here.
                        state = State::Unquoted;
                    }
                    State::Unquoted => match memchr::memchr3(b',', b'\r', b'\n', &avail[i..]) {
                        None => {
                            self.cr = false;
                            i = avail.len();
                        }
                        Some(j) => {
                            if j > 0 {
                                self.cr = false;
                            }
                            i += j;
                            let at = split.len + i - seg;
                            if avail[i] == b',' {
                                self.count(b',');
                                end_cell(&mut split, column, at - cell_start);
                                (column, cell_start) = (column + 1, at + 1);
                                state = State::Cell;
                                i += 1;
                            } else {
                                self.count(avail[i]);
                                end = Some(i);
                                break;
                            }
                        }
                    },
                    State::Quoted => match memchr::memchr3(b'"', b'\r', b'\n', &avail[i..]) {
                        None => {
                            self.cr = false;
                            i = avail.len();
                        }
                        Some(j) => {
                            if j > 0 {
                                self.cr = false;
                            }
                            i += j;
                            self.count(avail[i]);
                            if avail[i] == b'"' {
                                state = State::Quote;
                            }
                            i += 1;
                        }
                    },
                }
            }
            match end {
                Some(e) => {
                    keep(buf, &avail[seg..e]);
                    split.len += e - seg;
                    let len = split.len - cell_start;
                    end_cell(&mut split, column, len);
                    input.consume(e + 1);
                    return Ok(Some(split));
                }
                None => {
                    keep(buf, &avail[seg..i]);
                    split.len += i - seg;
                    input.consume(i);
                }
            }
        }
    }
}

/// Notes a cell's length, for the longest.
fn end_cell(split: &mut Split, column: usize, len: usize) {
    if len > split.longest.1 || split.longest.0 == 0 {
        split.longest = (column, len);
    }
}

/// A split record's text, or what is wrong with it: a quote never closed,
/// too long to be kept, or not UTF-8.
pub(super) fn text<'a>(split: &Split, buf: &'a [u8]) -> Result<&'a str, SheetError> {
    if let Some((line, column)) = split.unclosed {
        return Err(SheetError::Unclosed { line, column });
    }
    if split.len > MAX_LINE {
        let (column, cell) = split.longest;
        return Err(SheetError::TooLong {
            len: split.len,
            column,
            cell,
        });
    }
    std::str::from_utf8(buf).map_err(|e| {
        let at = e.valid_up_to();
        let before = &buf[..at];
        // The line and column of the byte, counting lines as the scanner
        // does: a record may span lines, inside quotes.
        let (mut line, mut start, mut cr) = (split.line, 0, false);
        for (i, &b) in before.iter().enumerate() {
            if b == b'\r' || (b == b'\n' && !cr) {
                line += 1;
            }
            if b == b'\r' || b == b'\n' {
                start = i + 1;
            }
            cr = b == b'\r';
        }
        SheetError::NotUtf8 {
            byte: buf[at],
            line,
            column: String::from_utf8_lossy(&before[start..]).chars().count() + 1,
        }
    })
}

/// Reads a record's text into its cells with csv-core, the csv crate's
/// own parser. A worker keeps one: building the parser's state machine
/// takes longer than deciding a record (the csv crate's reader builds one
/// each time it is made), and its buffers are kept too.
pub(super) struct CellReader {
    reader: csv_core::Reader,
    /// The cells' text, one after the other.
    out: Vec<u8>,
    /// Where each cell ends in `out`.
    ends: Vec<usize>,
    /// How many cells the last record read has.
    len: usize,
}

impl Default for CellReader {
    fn default() -> CellReader {
        let mut r = CellReader {
            reader: csv_core::Reader::new(),
            out: vec![0; 4096],
            ends: vec![0; 64],
            len: 0,
        };
        r.begin();
        r
    }
}

impl CellReader {
    /// Starts the parser past the start of its input with an empty line
    /// (which it skips): only there would it take a byte-order mark away,
    /// and the scanner has taken the input's own, so that a record of
    /// its own starting with one keeps it, as the csv crate reading the
    /// whole input would.
    fn begin(&mut self) {
        self.reader.reset();
        let _ = self
            .reader
            .read_record(b"\n", &mut self.out, &mut self.ends);
    }

    /// Reads `text`, one record, into its cells.
    fn read(&mut self, text: &str) -> Result<(), SheetError> {
        use csv_core::ReadRecordResult as R;
        // The text, then a line break that ends the record without ending
        // the input: the parser goes on from the start of a record.
        let (mut input, mut ended) = (text.as_bytes(), false);
        let (mut nout, mut nend) = (0, 0);
        loop {
            let (res, nin, o, e) =
                self.reader
                    .read_record(input, &mut self.out[nout..], &mut self.ends[nend..]);
            (input, nout, nend) = (&input[nin..], nout + o, nend + e);
            match res {
                R::InputEmpty if !ended => (input, ended) = (b"\n", true),
                R::OutputFull => self.out.resize(2 * self.out.len(), 0),
                R::OutputEndsFull => self.ends.resize(2 * self.ends.len(), 0),
                R::Record if ended && input.is_empty() => break,
                // The scanner split the record where the parser ends it:
                // anything else is a disagreement between them, never a
                // cell lost.
                _ => {
                    self.begin();
                    self.len = 0;
                    return Err(SheetError::Cells(
                        "the record is not split as the CSV parser reads it".into(),
                    ));
                }
            }
        }
        self.len = nend;
        Ok(())
    }

    /// The cells of the record last read.
    fn cells(&self) -> impl Iterator<Item = &str> {
        let mut start = 0;
        self.ends[..self.len].iter().map(move |&end| {
            // The text less the quotes around and doubled in cells, and
            // split at commas: ASCII bytes, which no UTF-8 character
            // holds, so each cell is UTF-8 as the text is.
            let cell = std::str::from_utf8(&self.out[start..end]).unwrap_or_default();
            start = end;
            cell
        })
    }
}

/// The header's column names (trimmed), or what makes it unusable: a
/// name twice, or a name and a field inside it (`education` and
/// `education.higher_in_specialty`), which would silently lose a cell.
pub(super) fn header(split: &Split, buf: &[u8]) -> Result<Vec<String>, SheetError> {
    let text = text(split, buf).map_err(|e| SheetError::Header(Box::new(e)))?;
    let mut reader = CellReader::default();
    reader
        .read(text)
        .map_err(|e| SheetError::Header(Box::new(e)))?;
    let names: Vec<String> = reader.cells().map(|s| s.trim().to_string()).collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, name) in names.iter().enumerate() {
        if name.is_empty() {
            continue;
        }
        if let Some(first) = seen.insert(name, i + 1) {
            return Err(SheetError::Duplicate {
                name: name.clone(),
                first,
                second: i + 1,
            });
        }
    }
    for (i, name) in names.iter().enumerate() {
        for (dot, _) in name.match_indices('.') {
            if let Some(&first) = seen.get(&name[..dot]) {
                return Err(SheetError::Overlap {
                    whole: name[..dot].to_string(),
                    first,
                    inner: name.clone(),
                    second: i + 1,
                });
            }
        }
    }
    Ok(names)
}

/// A CSV record as data: each column's header is a dotted path
/// (`education.higher_in_specialty`); a cell is read as a YAML scalar
/// (`true`, `6`, `2021-03-15`), a cell starting with `[` as a YAML list;
/// an empty cell, or a cell missing at the end of a short record, is
/// absent. A value beyond the header's columns, or in a column the header
/// gives no name, is an error: it would be lost.
pub(super) fn record(
    reader: &mut CellReader,
    headers: &[String],
    text: &str,
) -> Result<Data, SheetError> {
    reader.read(text)?;
    let cells = reader.len;
    if cells > headers.len()
        && reader
            .cells()
            .skip(headers.len())
            .any(|c| !c.trim().is_empty())
    {
        return Err(SheetError::ExtraCells {
            cells,
            columns: headers.len(),
        });
    }
    let mut root = crate::core::yaml::Mapping::new();
    for (i, (h, cell)) in headers.iter().zip(reader.cells()).enumerate() {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        if h.is_empty() {
            return Err(SheetError::Unnamed { column: i + 1 });
        }
        let mut value =
            crate::core::yaml::value(cell).unwrap_or_else(|_| Data::String(cell.to_string()));
        // A number keeps its digits as written, for a decimal to be read
        // from them exactly.
        crate::core::yaml::keep_digits(&mut value, cell);
        let value = match value {
            Data::Mapping(_) => Data::String(cell.to_string()),
            v => v,
        };
        let parts: Vec<&str> = h.split('.').collect();
        insert(&mut root, &parts, value);
    }
    Ok(Data::Mapping(root))
}

fn insert(m: &mut crate::core::yaml::Mapping, path: &[&str], value: Data) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let key = Data::String((*first).to_string());
    if rest.is_empty() {
        m.insert(key, value);
        return;
    }
    let entry = m
        .entry(key)
        .or_insert_with(|| Data::Mapping(crate::core::yaml::Mapping::new()));
    if let Data::Mapping(inner) = entry {
        insert(inner, rest, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits all of `text`, read `chunk` bytes at a time: each record's
    /// line and text.
    fn split_all(text: &[u8], chunk: usize) -> Vec<(usize, Result<String, SheetError>)> {
        let mut input = std::io::BufReader::with_capacity(chunk, text);
        let mut s = Splitter::default();
        let mut buf = Vec::new();
        let mut out = Vec::new();
        while let Some(split) = s.next(&mut input, &mut buf).unwrap() {
            out.push((split.line, text_of(&split, &buf)));
        }
        out
    }

    fn text_of(split: &Split, buf: &[u8]) -> Result<String, SheetError> {
        super::text(split, buf).map(str::to_string)
    }

    fn ok(line: usize, t: &str) -> (usize, Result<String, SheetError>) {
        (line, Ok(t.to_string()))
    }

    #[test]
    fn records_are_numbered_by_the_line_they_start_on_whatever_the_endings() {
        let want = [
            ok(1, "a,b"),
            ok(2, "1,2"),
            ok(3, "3,\"x\ny\""),
            ok(5, "5,6"),
        ];
        for text in [
            "a,b\n1,2\n3,\"x\ny\"\n5,6\n",
            "a,b\r\n1,2\r\n3,\"x\ny\"\r\n5,6\r\n",
            "a,b\r1,2\r3,\"x\ny\"\r5,6",
            "a,b\r\n1,2\r3,\"x\ny\"\n5,6\r",
        ] {
            for chunk in [1, 2, 3, 7, 4096] {
                assert_eq!(
                    split_all(text.as_bytes(), chunk),
                    want,
                    "{text:?} by {chunk}"
                );
            }
        }
        // Empty lines are skipped but counted; a quoted \r\n is one line.
        let got = split_all(b"a\r\n\r\n\n\rb,\"1\r\n2\"\r\n\rc", 2);
        assert_eq!(got, [ok(1, "a"), ok(5, "b,\"1\r\n2\""), ok(8, "c")]);
    }

    #[test]
    fn quotes_open_only_at_the_start_of_a_cell() {
        let got = split_all(b"a\"b,\"c,\n\"\"d\"x\ny\n\"\"\"\"\n", 3);
        assert_eq!(
            got,
            [ok(1, "a\"b,\"c,\n\"\"d\"x"), ok(3, "y"), ok(4, "\"\"\"\"")]
        );
    }

    #[test]
    fn a_byte_order_mark_is_skipped_at_the_start_only() {
        for chunk in [1, 2, 4096] {
            let got = split_all(b"\xEF\xBB\xBF\"a\",b\n\xEF\xBB\xBFc\n", chunk);
            assert_eq!(got, [ok(1, "\"a\",b"), ok(2, "\u{feff}c")], "by {chunk}");
            // Part of a mark is the record's bytes.
            let got = split_all(b"\xEF\xBBx\n", chunk);
            assert!(matches!(got[0], (1, Err(SheetError::NotUtf8 { .. }))));
            let got = split_all(b"\xEF\xBB", chunk);
            assert_eq!(got.len(), 1);
            assert_eq!(split_all(b"\xEF\xBB\xBF", chunk), []);
        }
    }

    #[test]
    fn a_long_record_is_measured_but_not_kept() {
        let long = "x".repeat(3 * MAX_LINE);
        let text = format!("a,{long},b\r\nc\r\n");
        let mut input = std::io::BufReader::with_capacity(4096, text.as_bytes());
        let (mut s, mut buf) = (Splitter::default(), Vec::new());
        let split = s.next(&mut input, &mut buf).unwrap().unwrap();
        assert!(buf.capacity() <= 2 * (MAX_LINE + 1), "{}", buf.capacity());
        assert_eq!(
            text_of(&split, &buf),
            Err(SheetError::TooLong {
                len: 3 * MAX_LINE + 4,
                column: 2,
                cell: 3 * MAX_LINE
            })
        );
        let split = s.next(&mut input, &mut buf).unwrap().unwrap();
        assert_eq!((split.line, text_of(&split, &buf)), ok(2, "c"));
    }

    #[test]
    fn an_unclosed_quote_is_located() {
        let got = split_all(b"a,b\n1,\"2\n3,4\n", 5);
        assert_eq!(
            got,
            [
                ok(1, "a,b"),
                (2, Err(SheetError::Unclosed { line: 2, column: 2 }))
            ]
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_located_by_line_and_column() {
        let got = split_all(b"a,\"b\r\nc\xFF\"\n", 4096);
        assert_eq!(
            got,
            [(
                1,
                Err(SheetError::NotUtf8 {
                    byte: 0xFF,
                    line: 2,
                    column: 2
                })
            )]
        );
    }

    #[test]
    fn headers_that_would_lose_a_cell_are_refused() {
        let head = |t: &str| {
            let mut buf = Vec::new();
            let split = Splitter::default()
                .next(&mut t.as_bytes(), &mut buf)
                .unwrap()
                .unwrap();
            header(&split, &buf)
        };
        assert_eq!(
            head(" a , b,,c").unwrap(),
            ["a", "b", "", "c"].map(String::from)
        );
        assert_eq!(
            head("a,b, a").unwrap_err().to_string(),
            "the CSV header names the column `a` twice: columns 1 and 3"
        );
        assert_eq!(
            head("a.b.c,x,a.b").unwrap_err().to_string(),
            "the CSV header has both `a.b` (column 3) and `a.b.c` (column 1), a field inside it: a cell cannot be both"
        );
    }

    #[test]
    fn cells_beyond_the_header_or_without_a_name_are_errors() {
        let h: Vec<String> = ["a", "", "b"].map(String::from).into();
        let r = &mut CellReader::default();
        assert!(record(r, &h, "1,,2,, ").is_ok());
        assert!(record(r, &h, "1").is_ok());
        assert_eq!(
            record(r, &h, "1,,2,,x").unwrap_err().to_string(),
            "the record has 5 cells, 2 more than the 3 columns of the header"
        );
        assert_eq!(
            record(r, &h, "1,x,2").unwrap_err().to_string(),
            "column 2 holds a value, but the header gives that column no name"
        );
    }

    proptest::proptest! {
        /// Split by the scanner then read record by record, any text of
        /// commas, quotes, line breaks, letters and byte-order marks gives
        /// the cells the csv crate gives reading it whole (but for a quote
        /// left open, which the scanner reports and the crate reads to the
        /// end).
        #[test]
        fn records_are_split_where_the_csv_crate_splits_them(
            text in "[a\",\r\n é\u{feff}]{0,40}",
            chunk in 1usize..8,
        ) {
            let mut split = split_all(text.as_bytes(), chunk);
            // A quote left open is the last record, which the crate reads
            // to the end of the input.
            let open = matches!(split.last(), Some((_, Err(SheetError::Unclosed { .. }))));
            if open {
                split.pop();
            }
            // One reader for all the records, as a worker reads its part.
            let mut reader = CellReader { out: vec![0; 1], ends: vec![0; 1], ..Default::default() };
            let ours: Vec<Vec<String>> = split
                .iter()
                .map(|(_, r)| {
                    reader.read(r.as_ref().unwrap()).unwrap();
                    reader.cells().map(str::to_string).collect()
                })
                .collect();
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let mut theirs: Vec<Vec<String>> = reader
                .records()
                .map(|r| r.unwrap().iter().map(str::to_string).collect())
                .collect();
            if open {
                theirs.pop();
            }
            proptest::prop_assert_eq!(ours, theirs);
        }
    }
}
