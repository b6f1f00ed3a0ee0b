//! Placeholder: being written.

use examgate_shared::bank::{Item, Position, Problem};

use crate::ImportResult;

pub fn import(_input: impl AsRef<[u8]>) -> ImportResult {
    Err(vec![Problem::new(Position::File, "not yet")])
}

pub fn export(_items: &[Item]) -> Result<String, Vec<Problem>> {
    Err(vec![Problem::new(Position::File, "not yet")])
}
