//! The files read from a chip, as passive authentication needs them.

use std::collections::BTreeMap;

/// Everything read from the card's eMRTD application, byte for byte.
///
/// Each file is kept exactly as read (tag, length, value) because the SOD
/// hashes the whole file: re-encoding a parsed group could change bytes and
/// break, or worse mask, a hash mismatch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LdsFiles {
    /// EF.COM (tag `60`). Not covered by the SOD; kept for completeness.
    pub com: Vec<u8>,
    /// Data group number → the whole file, e.g. DG1 starts with `61`.
    pub groups: BTreeMap<u8, Vec<u8>>,
    /// The whole EF.SOD: tag `77` wrapping a CMS SignedData.
    pub sod: Vec<u8>,
}
