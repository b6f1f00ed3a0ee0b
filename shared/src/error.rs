//! Error codes shared by the relay and its clients.
//!
//! Every refusal carries a machine-readable [`ErrorCode`] (which the client
//! translates for people) and an English `message` with the specifics (for
//! logs and other clients).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// On the wire as its [`ErrorCode::as_str`] name (`"unknown_code"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The message was not valid JSON for this endpoint.
    Malformed,
    /// The message was larger than [`crate::protocol::MAX_MESSAGE_BYTES`].
    TooLarge,
    /// The client speaks a protocol version this relay does not.
    UnsupportedVersion,
    /// The first message was not a hello, or a hello came twice.
    HelloExpected,
    /// Missing, unknown or expired token.
    Unauthorized,
    /// The role behind the token may not do this.
    Forbidden,
    /// Wrong user name or password.
    BadCredentials,
    /// Too many failed sign-ins for this user name; wait and retry.
    TooManyAttempts,
    /// No exam has this join code.
    UnknownCode,
    /// The exam has not opened yet; its content is not served.
    ExamNotOpen,
    /// The exam's window has closed; no new attempts.
    ExamClosed,
    /// The name is empty or too long.
    InvalidName,
    /// This candidate already started on another computer.
    AlreadyJoined,
    /// The answer names a question that is not in this exam.
    UnknownQuestion,
    /// The answer names an option the question does not have.
    UnknownOption,
    /// The answer does not fit the question (wrong kind, not a number, …).
    InvalidAnswer,
    /// The event arrived after the attempt's deadline (and its grace).
    DeadlinePassed,
    /// The attempt was already submitted or closed.
    AttemptClosed,
    /// A sequence number was skipped; resend from `expected`.
    OutOfOrder,
    /// A newer connection took over this attempt or session.
    Replaced,
    /// This room admits candidates only by chip ID check-in.
    CheckinRequired,
    /// The check-in challenge is unknown, expired or already used (a replayed answer).
    ChallengeInvalid,
    /// Files needed for the check-in are missing (card removed mid-read?).
    CardIncomplete,
    /// The card's files are not well-formed.
    CardMalformed,
    /// The card's data is not signed by a trusted issuer (passive authentication failed).
    CardUntrusted,
    /// The card's data was changed after it was signed.
    CardAltered,
    /// The chip did not prove it is the original (active authentication failed: a copy?).
    CardNotGenuine,
    /// The chip offers no anti-clone proof the relay can check (no Active
    /// Authentication key on it): it cannot be told from a copy.
    CardUnsupported,
    /// This card's holder is not on this room's roster for this sitting.
    NotOnRoster,
    /// This card is already checked in on another seat.
    AlreadyCheckedIn,
    /// The proctor did not confirm this person.
    CheckinRejected,
    /// The seat code is unknown, expired or already used.
    SeatCodeInvalid,
    /// This room admits registered candidates: the candidate number (số báo danh) is required.
    CandidateNumberRequired,
    /// The date of birth does not match the registration.
    BirthMismatch,
    /// The named sitting, site, room, event or account does not exist.
    NotFound,
    /// The name or number is already taken (a room, an account, a candidate number).
    Conflict,
    /// A field of the request is invalid; the message names it.
    Invalid,
    /// A roster file has errors; nothing was imported (the body lists them).
    ImportRejected,
    /// The account is disabled by the exam office.
    AccountDisabled,
    /// The set-up link is unknown or was already used.
    SetupInvalid,
    /// The attempt is paused by a proctor: no answers are taken until it
    /// resumes.
    Paused,
    /// The relay failed internally; nothing was changed.
    Internal,
    /// The relay holds as many connections as it can (HTTP 503 with
    /// `Retry-After`); nothing was changed: retry after the delay.
    Overloaded,
}

impl ErrorCode {
    /// Every code, for exhaustive tests and translation tables.
    pub const ALL: [ErrorCode; 43] = [
        ErrorCode::Malformed,
        ErrorCode::TooLarge,
        ErrorCode::UnsupportedVersion,
        ErrorCode::HelloExpected,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::BadCredentials,
        ErrorCode::TooManyAttempts,
        ErrorCode::UnknownCode,
        ErrorCode::ExamNotOpen,
        ErrorCode::ExamClosed,
        ErrorCode::InvalidName,
        ErrorCode::AlreadyJoined,
        ErrorCode::UnknownQuestion,
        ErrorCode::UnknownOption,
        ErrorCode::InvalidAnswer,
        ErrorCode::DeadlinePassed,
        ErrorCode::AttemptClosed,
        ErrorCode::OutOfOrder,
        ErrorCode::Replaced,
        ErrorCode::CheckinRequired,
        ErrorCode::ChallengeInvalid,
        ErrorCode::CardIncomplete,
        ErrorCode::CardMalformed,
        ErrorCode::CardUntrusted,
        ErrorCode::CardAltered,
        ErrorCode::CardNotGenuine,
        ErrorCode::CardUnsupported,
        ErrorCode::NotOnRoster,
        ErrorCode::AlreadyCheckedIn,
        ErrorCode::CheckinRejected,
        ErrorCode::SeatCodeInvalid,
        ErrorCode::CandidateNumberRequired,
        ErrorCode::BirthMismatch,
        ErrorCode::NotFound,
        ErrorCode::Conflict,
        ErrorCode::Invalid,
        ErrorCode::ImportRejected,
        ErrorCode::AccountDisabled,
        ErrorCode::SetupInvalid,
        ErrorCode::Paused,
        ErrorCode::Internal,
        ErrorCode::Overloaded,
    ];

    /// The wire name (`"unknown_code"`), as in JSON, close reasons, the
    /// database and `data-code` attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Malformed => "malformed",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::UnsupportedVersion => "unsupported_version",
            ErrorCode::HelloExpected => "hello_expected",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::BadCredentials => "bad_credentials",
            ErrorCode::TooManyAttempts => "too_many_attempts",
            ErrorCode::UnknownCode => "unknown_code",
            ErrorCode::ExamNotOpen => "exam_not_open",
            ErrorCode::ExamClosed => "exam_closed",
            ErrorCode::InvalidName => "invalid_name",
            ErrorCode::AlreadyJoined => "already_joined",
            ErrorCode::UnknownQuestion => "unknown_question",
            ErrorCode::UnknownOption => "unknown_option",
            ErrorCode::InvalidAnswer => "invalid_answer",
            ErrorCode::DeadlinePassed => "deadline_passed",
            ErrorCode::AttemptClosed => "attempt_closed",
            ErrorCode::OutOfOrder => "out_of_order",
            ErrorCode::Replaced => "replaced",
            ErrorCode::CheckinRequired => "checkin_required",
            ErrorCode::ChallengeInvalid => "challenge_invalid",
            ErrorCode::CardIncomplete => "card_incomplete",
            ErrorCode::CardMalformed => "card_malformed",
            ErrorCode::CardUntrusted => "card_untrusted",
            ErrorCode::CardAltered => "card_altered",
            ErrorCode::CardNotGenuine => "card_not_genuine",
            ErrorCode::CardUnsupported => "card_unsupported",
            ErrorCode::NotOnRoster => "not_on_roster",
            ErrorCode::AlreadyCheckedIn => "already_checked_in",
            ErrorCode::CheckinRejected => "checkin_rejected",
            ErrorCode::SeatCodeInvalid => "seat_code_invalid",
            ErrorCode::CandidateNumberRequired => "candidate_number_required",
            ErrorCode::BirthMismatch => "birth_mismatch",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Conflict => "conflict",
            ErrorCode::Invalid => "invalid",
            ErrorCode::ImportRejected => "import_rejected",
            ErrorCode::AccountDisabled => "account_disabled",
            ErrorCode::SetupInvalid => "setup_invalid",
            ErrorCode::Paused => "paused",
            ErrorCode::Internal => "internal",
            ErrorCode::Overloaded => "overloaded",
        }
    }

    /// The code for a wire name.
    pub fn parse(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

// By hand rather than derived: the derive matches every name twice (as
// text and as bytes) and is a tenth of the student module's serde code; the
// `as_str` table already says everything.
impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Name;
        impl serde::de::Visitor<'_> for Name {
            type Value = ErrorCode;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an error code")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<ErrorCode, E> {
                ErrorCode::parse(name)
                    .ok_or_else(|| E::custom(format_args!("unknown error code `{name}`")))
            }
        }
        deserializer.deserialize_str(Name)
    }
}

/// A refusal as it travels: code plus specifics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.code, self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_match_serde_and_parse_back() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::parse("nope"), None);
    }

    /// The wire names as they have always been (stored refusals and audit
    /// entries carry them), in `ALL`'s order.
    const WIRE: [&str; 43] = [
        "malformed",
        "too_large",
        "unsupported_version",
        "hello_expected",
        "unauthorized",
        "forbidden",
        "bad_credentials",
        "too_many_attempts",
        "unknown_code",
        "exam_not_open",
        "exam_closed",
        "invalid_name",
        "already_joined",
        "unknown_question",
        "unknown_option",
        "invalid_answer",
        "deadline_passed",
        "attempt_closed",
        "out_of_order",
        "replaced",
        "checkin_required",
        "challenge_invalid",
        "card_incomplete",
        "card_malformed",
        "card_untrusted",
        "card_altered",
        "card_not_genuine",
        "card_unsupported",
        "not_on_roster",
        "already_checked_in",
        "checkin_rejected",
        "seat_code_invalid",
        "candidate_number_required",
        "birth_mismatch",
        "not_found",
        "conflict",
        "invalid",
        "import_rejected",
        "account_disabled",
        "setup_invalid",
        "paused",
        "internal",
        "overloaded",
    ];

    /// `ALL` (which `parse` and the wire reader use) is kept by hand, as
    /// `as_str` is: a code missing from it could be sent but not read. This
    /// holds the two to the names on record.
    #[test]
    fn every_code_keeps_its_wire_name() {
        let names: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(names, WIRE);
    }

    #[test]
    fn codes_read_back_and_unknown_ones_are_named() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
        }
        let err = serde_json::from_str::<ErrorCode>("\"nope\"").unwrap_err();
        assert!(
            err.to_string().contains("unknown error code `nope`"),
            "{err}"
        );
        assert!(serde_json::from_str::<ErrorCode>("7").is_err());
    }
}
