//! SQLite's `?N` and `?` placeholders as PostgreSQL's `$N`.
//!
//! Statements are written once, in SQLite's spelling (as they always were);
//! PostgreSQL's connection rewrites each the first time it prepares it.
//! Quoted text, quoted names and comments are copied untouched, so a `?` in
//! a string literal stays a question mark.

/// `sql` with every placeholder outside quotes and comments numbered the
/// PostgreSQL way. A bare `?` takes the number after the largest seen so
/// far, as SQLite numbers it.
pub fn to_dollar(sql: &str) -> String {
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 8);
    let mut largest = 0u32;
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            quote @ (b'\'' | b'"') => {
                // To the closing quote; a doubled quote is an escaped one and
                // simply reopens the scan.
                i += 1;
                while i < bytes.len() && bytes[i] != quote {
                    i += 1;
                }
                i += 1;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'?' => {
                out.push_str(&sql[copied..i]);
                let digits = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let n = if digits == 0 {
                    largest + 1
                } else {
                    sql[i + 1..i + 1 + digits].parse().unwrap_or(u32::MAX)
                };
                largest = largest.max(n);
                out.push('$');
                out.push_str(&n.to_string());
                i += 1 + digits;
                copied = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[copied.min(sql.len())..]);
    out
}

#[cfg(test)]
mod tests {
    use super::to_dollar;

    #[test]
    fn numbered_and_bare_placeholders_become_dollars() {
        assert_eq!(
            to_dollar("UPDATE t SET a = ?2 WHERE id = ?1"),
            "UPDATE t SET a = $2 WHERE id = $1"
        );
        assert_eq!(
            to_dollar("INSERT INTO t VALUES (?, ?, ?)"),
            "INSERT INTO t VALUES ($1, $2, $3)"
        );
        assert_eq!(to_dollar("SELECT ?3, ?"), "SELECT $3, $4");
        assert_eq!(to_dollar("SELECT ?10 + ?1"), "SELECT $10 + $1");
    }

    #[test]
    fn quoted_text_names_and_comments_are_left_alone() {
        let sql = "SELECT 'is it?', \"odd?name\" -- why?\n FROM t WHERE a = ?1 AND b = 'it''s ?'";
        assert_eq!(
            to_dollar(sql),
            "SELECT 'is it?', \"odd?name\" -- why?\n FROM t WHERE a = $1 AND b = 'it''s ?'"
        );
        assert_eq!(to_dollar("SELECT 1"), "SELECT 1");
        // An unterminated quote copies the rest as it is.
        assert_eq!(to_dollar("SELECT '?"), "SELECT '?");
    }
}
