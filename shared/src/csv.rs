//! A small RFC 4180 CSV reader and writer, enough for answer keys, OMR
//! scanner exports and result exports (quoted fields, doubled quotes,
//! CRLF or LF, a UTF-8 byte-order mark from spreadsheet programs). Small
//! enough to ship in the browser client, where a CSV crate would only add
//! weight.

/// Parses `text` into rows of fields. The delimiter is `,` unless the first
/// line has more `;` than `,` (spreadsheets in Vietnamese locales write `;`,
/// since the comma is the decimal separator).
pub fn parse(text: &str) -> Result<Vec<Vec<String>>, CsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        ';'
    } else {
        ','
    };
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut line = 1usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, in_quotes) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', true) => in_quotes = false,
            ('"', false) if field.is_empty() => in_quotes = true,
            ('"', false) => return Err(CsvError::StrayQuote { line }),
            ('\n', false) | ('\r', false) => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                line += 1;
            }
            (d, false) if d == delimiter => row.push(std::mem::take(&mut field)),
            (c, _) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
        }
    }
    if in_quotes {
        return Err(CsvError::UnclosedQuote);
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    // Blank lines carry nothing.
    rows.retain(|r| !(r.len() == 1 && r[0].trim().is_empty()));
    Ok(rows)
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    #[error("line {line}: a quote in the middle of an unquoted field")]
    StrayQuote { line: usize },
    #[error("a quoted field is never closed")]
    UnclosedQuote,
}

/// One CSV line (with CRLF), quoting fields that need it.
pub fn write_row<S: AsRef<str>>(fields: &[S]) -> String {
    let mut out = String::new();
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let f = f.as_ref();
        if f.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_crlf_bom_and_blank_lines() {
        let text = "\u{feff}a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\r\n\r\n2,,\"multi\nline\"\n";
        let rows = parse(text).unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["a", "b", "c"],
                vec!["1", "x, y", "say \"hi\""],
                vec!["2", "", "multi\nline"],
            ]
        );
    }

    #[test]
    fn semicolons_when_the_header_uses_them() {
        let rows = parse("sbd;1;2\nA01;A;-1,5\n").unwrap();
        assert_eq!(rows[1], vec!["A01", "A", "-1,5"]);
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(parse("a,b\"c\n"), Err(CsvError::StrayQuote { line: 1 }));
        assert_eq!(parse("a,\"b\n"), Err(CsvError::UnclosedQuote));
    }

    #[test]
    fn writes_what_it_reads() {
        let fields = ["Nguyễn Văn An", "1,5", "a \"b\"", ""];
        let line = write_row(&fields);
        assert_eq!(parse(&line).unwrap(), vec![fields.to_vec()]);
    }
}
