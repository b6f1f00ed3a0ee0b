//! What the XML readers of the importers share.
//!
//! Word, Moodle XML and QTI each read XML with quick-xml into a tree of their
//! own (Word keeps prefixed names and streams its body, QTI resolves
//! namespaces, Moodle XML keeps each element's text beside its children),
//! and each refuses DOCTYPE declarations and bounds nesting by
//! [`MAX_XML_DEPTH`](crate::limits::MAX_XML_DEPTH) with its own problem.
//! Common to them, and to reading HTML, are the entities XML predefines
//! ([`predefined_entity`]: no other entity is ever decoded from XML) and
//! line numbers for byte offsets ([`Lines`]).

/// The text of one of the five entities XML predefines (`&amp;` `&lt;`
/// `&gt;` `&quot;` `&apos;`), by name.
pub(crate) fn predefined_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    })
}

/// Byte offsets to 1-based line numbers, without rescanning the file
/// (counting from the start at every element made large files quadratic:
/// a thousand Moodle questions took seconds).
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(crate) fn new(bytes: &[u8]) -> Lines {
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { starts }
    }

    /// The line of byte `offset` (an offset past the end is on the last
    /// line).
    pub(crate) fn line(&self, offset: usize) -> u32 {
        let index = self.starts.partition_point(|&start| start <= offset);
        u32::try_from(index.max(1)).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_count_newlines_before_the_offset() {
        let text = b"a\nbc\n\nd";
        let lines = Lines::new(text);
        for offset in 0..=text.len() + 3 {
            assert_eq!(lines.line(offset), crate::line_at(text, offset), "{offset}");
        }
    }
}
