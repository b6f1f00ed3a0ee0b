//! Command and response APDUs (ISO/IEC 7816-3/-4), short and extended
//! length.
//!
//! A command is `CLA INS P1 P2 [Lc data] [Le]`. Short form: Lc and Le are
//! one byte each (Le `00` means 256). Extended form: a `00` marker, then Lc
//! in two bytes, and Le in two bytes (`0000` means 65,536). The card reads
//! large files in few round trips only with extended length.

use thiserror::Error;

/// Largest data field of a short command.
pub const SHORT_MAX_DATA: usize = 255;
/// Largest response data of a short command.
pub const SHORT_MAX_LE: usize = 256;
/// Largest response data of an extended command.
pub const EXTENDED_MAX_LE: usize = 65_536;

/// Status words this crate acts on.
pub mod sw {
    pub const OK: u16 = 0x9000;
    /// End of file reached before Le bytes were read (data still returned).
    pub const END_OF_FILE: u16 = 0x6282;
    pub const WRONG_LENGTH: u16 = 0x6700;
    pub const SECURITY_NOT_SATISFIED: u16 = 0x6982;
    pub const SM_DATA_INCORRECT: u16 = 0x6988;
    pub const CONDITIONS_NOT_SATISFIED: u16 = 0x6985;
    pub const FILE_NOT_FOUND: u16 = 0x6A82;
    pub const WRONG_P1P2: u16 = 0x6B00;
    pub const INS_NOT_SUPPORTED: u16 = 0x6D00;
    pub const CLA_NOT_SUPPORTED: u16 = 0x6E00;
    pub const WRONG_DATA: u16 = 0x6A80;
    pub const AUTH_FAILED: u16 = 0x6300;
}

/// Why bytes are not an APDU.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApduError {
    #[error("APDU shorter than its header")]
    TooShort,
    #[error("APDU length fields do not match its size")]
    BadLength,
    #[error("response shorter than its status word")]
    NoStatus,
    #[error("command data of {0} bytes is too long")]
    DataTooLong(usize),
    #[error("Le of {0} is out of range")]
    BadLe(usize),
}

/// A command APDU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub cla: u8,
    pub ins: u8,
    pub p1: u8,
    pub p2: u8,
    pub data: Vec<u8>,
    /// Expected response length, 1..=65,536; `None` when no data is expected.
    pub le: Option<usize>,
}

impl Command {
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Command {
            cla,
            ins,
            p1,
            p2,
            data: Vec::new(),
            le: None,
        }
    }

    pub fn with_data(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.data = data.into();
        self
    }

    pub fn with_le(mut self, le: usize) -> Self {
        self.le = Some(le);
        self
    }

    /// Whether this command needs the extended form.
    pub fn needs_extended(&self) -> bool {
        self.data.len() > SHORT_MAX_DATA || self.le.is_some_and(|le| le > SHORT_MAX_LE)
    }

    /// The command's bytes; extended form when `force_extended` or needed.
    pub fn encode(&self, force_extended: bool) -> Result<Vec<u8>, ApduError> {
        if self.data.len() > 65_535 {
            return Err(ApduError::DataTooLong(self.data.len()));
        }
        if let Some(le) = self.le
            && !(1..=EXTENDED_MAX_LE).contains(&le)
        {
            return Err(ApduError::BadLe(le));
        }
        let extended = force_extended || self.needs_extended();
        let mut out = vec![self.cla, self.ins, self.p1, self.p2];
        if !self.data.is_empty() {
            if extended {
                out.push(0);
                out.extend_from_slice(&(self.data.len() as u16).to_be_bytes());
            } else {
                out.push(self.data.len() as u8);
            }
            out.extend_from_slice(&self.data);
        }
        if let Some(le) = self.le {
            if extended {
                if self.data.is_empty() {
                    out.push(0);
                }
                out.extend_from_slice(&((le % EXTENDED_MAX_LE) as u16).to_be_bytes());
            } else {
                out.push((le % SHORT_MAX_LE) as u8);
            }
        }
        Ok(out)
    }

    /// Parses a command (the card's side). Returns it and whether it was
    /// in extended form.
    pub fn parse(bytes: &[u8]) -> Result<(Command, bool), ApduError> {
        let [cla, ins, p1, p2, body @ ..] = bytes else {
            return Err(ApduError::TooShort);
        };
        let mut cmd = Command::new(*cla, *ins, *p1, *p2);
        let extended = match body {
            [] => false,
            [le] => {
                cmd.le = Some(if *le == 0 { 256 } else { usize::from(*le) });
                false
            }
            [0, rest @ ..] if rest.len() >= 2 => {
                let n = usize::from(u16::from_be_bytes([rest[0], rest[1]]));
                let rest = &rest[2..];
                if rest.is_empty() {
                    // Case 2 extended: only Le.
                    cmd.le = Some(if n == 0 { EXTENDED_MAX_LE } else { n });
                } else {
                    if n == 0 || rest.len() < n {
                        return Err(ApduError::BadLength);
                    }
                    cmd.data = rest[..n].to_vec();
                    match &rest[n..] {
                        [] => {}
                        [a, b] => {
                            let le = usize::from(u16::from_be_bytes([*a, *b]));
                            cmd.le = Some(if le == 0 { EXTENDED_MAX_LE } else { le });
                        }
                        _ => return Err(ApduError::BadLength),
                    }
                }
                true
            }
            [lc, rest @ ..] => {
                let n = usize::from(*lc);
                if rest.len() < n {
                    return Err(ApduError::BadLength);
                }
                cmd.data = rest[..n].to_vec();
                match &rest[n..] {
                    [] => {}
                    [le] => cmd.le = Some(if *le == 0 { 256 } else { usize::from(*le) }),
                    _ => return Err(ApduError::BadLength),
                }
                false
            }
        };
        Ok((cmd, extended))
    }
}

/// A response APDU: data and status word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub data: Vec<u8>,
    pub sw: u16,
}

impl Response {
    pub fn new(data: Vec<u8>, sw: u16) -> Self {
        Response { data, sw }
    }

    pub fn status(sw: u16) -> Self {
        Response {
            data: Vec::new(),
            sw,
        }
    }

    pub fn parse(bytes: &[u8]) -> Result<Response, ApduError> {
        let split = bytes.len().checked_sub(2).ok_or(ApduError::NoStatus)?;
        Ok(Response {
            data: bytes[..split].to_vec(),
            sw: u16::from_be_bytes([bytes[split], bytes[split + 1]]),
        })
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = self.data.clone();
        out.extend_from_slice(&self.sw.to_be_bytes());
        out
    }

    /// `9000`, or the end-of-file warning that still carries data.
    pub fn is_success(&self) -> bool {
        self.sw == sw::OK || self.sw == sw::END_OF_FILE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(cmd: &Command, force: bool) {
        let bytes = cmd.encode(force).unwrap();
        let (parsed, extended) = Command::parse(&bytes).unwrap();
        assert_eq!(&parsed, cmd);
        // A command with neither data nor Le has only one form.
        let has_body = !cmd.data.is_empty() || cmd.le.is_some();
        assert_eq!(extended, (force && has_body) || cmd.needs_extended());
    }

    #[test]
    fn the_four_cases_short_and_extended() {
        let select = Command::new(0, 0xA4, 4, 0x0C).with_data(vec![0xA0, 0, 0, 2, 0x47, 0x10, 1]);
        assert_eq!(
            select.encode(false).unwrap(),
            vec![0, 0xA4, 4, 0x0C, 7, 0xA0, 0, 0, 2, 0x47, 0x10, 1]
        );
        let read = Command::new(0, 0xB0, 0, 0).with_le(256);
        assert_eq!(read.encode(false).unwrap(), vec![0, 0xB0, 0, 0, 0]);
        let big = Command::new(0, 0xB0, 0, 0).with_le(20_000);
        assert_eq!(
            big.encode(false).unwrap(),
            vec![0, 0xB0, 0, 0, 0, 0x4E, 0x20]
        );
        let max = Command::new(0, 0xB0, 0, 0).with_le(65_536);
        assert_eq!(max.encode(false).unwrap(), vec![0, 0xB0, 0, 0, 0, 0, 0]);
        for cmd in [
            select,
            read,
            big,
            max,
            Command::new(0, 0x84, 0, 0).with_le(8),
            Command::new(0x0C, 0xB0, 0, 0)
                .with_data(vec![7; 300])
                .with_le(1000),
            Command::new(0, 0x82, 0, 0)
                .with_data(vec![1; 40])
                .with_le(40),
            Command::new(0, 0x20, 0, 0),
        ] {
            round_trip(&cmd, false);
            round_trip(&cmd, true);
        }
    }

    #[test]
    fn malformed_commands_and_responses() {
        assert_eq!(Command::parse(&[0, 0xB0, 0]), Err(ApduError::TooShort));
        assert_eq!(
            Command::parse(&[0, 0xB0, 0, 0, 5, 1, 2]),
            Err(ApduError::BadLength)
        );
        assert_eq!(
            Command::parse(&[0, 0xB0, 0, 0, 1, 1, 2, 3]),
            Err(ApduError::BadLength)
        );
        assert_eq!(Response::parse(&[0x90]), Err(ApduError::NoStatus));
        let r = Response::parse(&[1, 2, 0x62, 0x82]).unwrap();
        assert!(r.is_success());
        assert_eq!(r.encode(), vec![1, 2, 0x62, 0x82]);
        assert!(!Response::status(sw::FILE_NOT_FOUND).is_success());
        assert_eq!(
            Command::new(0, 0, 0, 0).with_le(0).encode(false),
            Err(ApduError::BadLe(0))
        );
    }
}
