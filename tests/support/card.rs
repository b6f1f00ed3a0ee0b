//! Chip cards for tests: the demo's test PKI and synthetic card holders, a
//! reader that drives the real sans-IO session against an emulated chip,
//! and the check-in calls a client makes.

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use examgate_cardsim::card::Card;
use examgate_cardsim::issue::IssuedCard;
use examgate_cardsim::person::Student;
use examgate_cardsim::pki::TestPki;
use examgate_shared::checkin::{
    ChallengeRequest, ChallengeResponse, CheckinAccepted, CheckinPoll, CheckinRequest, CheckinView,
    ChipAuthCommands, Decision,
};
use examgate_shared::chip::mrz::BacInput;
use examgate_shared::chip::session::{CardRead, ReadError, ReadOptions, ReadSession, Step};
use examgate_shared::chip::verify::TrustList;
use examgate_shared::error::ErrorBody;

use crate::TestRelay;

/// The demo's test PKI (the relay under test trusts its CSCA).
pub fn pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(|| TestPki::generate(examgate_relay::seed::DEMO_PKI_SEED))
}

/// A PKI nobody trusts.
pub fn rogue_pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(|| TestPki::generate(666))
}

pub fn trust_list() -> TrustList {
    let mut trust = TrustList::new();
    trust
        .add_der(&pki().csca_der())
        .expect("the test CSCA parses");
    trust
}

/// The demo roster's `i`-th card holder.
pub fn student(i: usize) -> Student {
    examgate_relay::seed::demo_card_students()[i].clone()
}

/// `i`-th card holder's card, genuine, ECDSA AA key.
pub fn genuine_card(i: usize) -> IssuedCard {
    IssuedCard::issue(
        &student(i),
        pki(),
        Some(examgate_cardsim::aa::AaKind::EcdsaP256),
        100 + i as u64,
    )
}

/// Reads every file, as the client does.
pub fn read(chip: &mut dyn Card, bac: BacInput) -> Result<(Box<CardRead>, ReadSession), ReadError> {
    let mut session = ReadSession::new(vec![bac], [7; 32], ReadOptions::extended(65_536));
    let mut step = session.start();
    loop {
        match step {
            Step::Transmit(apdu) => step = session.on_response(&chip.transmit(&apdu)),
            Step::Read(read) => return Ok((read, session)),
            Step::Failed(e) => return Err(e),
            Step::Authenticated(_) | Step::ChipAuthenticated(_) | Step::ChipAuthRefused { .. } => {
                unreachable!("no challenge was given")
            }
        }
    }
}

/// The chip's answer to `challenge` (hex), after [`read`].
pub fn answer(session: &mut ReadSession, chip: &mut dyn Card, challenge_hex: &str) -> Vec<u8> {
    let bytes: Vec<u8> = (0..16)
        .step_by(2)
        .map(|i| u8::from_str_radix(&challenge_hex[i..i + 2], 16).unwrap())
        .collect();
    let mut step = session.authenticate(&bytes.try_into().unwrap());
    loop {
        match step {
            Step::Transmit(apdu) => step = session.on_response(&chip.transmit(&apdu)),
            Step::Authenticated(sig) => return sig,
            other => panic!("AA failed: {other:?}"),
        }
    }
}

/// Carries the relay's Chip Authentication to the chip; the chip's answer
/// to the proof read (empty when the chip refused a command: the session
/// can then still run AA).
pub fn chip_authenticate(
    session: &mut ReadSession,
    chip: &mut dyn Card,
    commands: &ChipAuthCommands,
) -> Vec<u8> {
    let (commands, proof) = commands.bytes().expect("hex from the relay");
    let mut step = session.chip_authenticate(&commands, proof);
    loop {
        match step {
            Step::Transmit(apdu) => step = session.on_response(&chip.transmit(&apdu)),
            Step::ChipAuthenticated(answer) => return answer,
            _ => return Vec::new(),
        }
    }
}

pub fn request(
    code: &str,
    challenge_id: &str,
    read: &CardRead,
    signature: &[u8],
) -> CheckinRequest {
    CheckinRequest::from_read(code, challenge_id, read, signature, false)
}

type Answer<T> = Result<T, (u16, ErrorBody)>;

async fn answer_of<T: serde::de::DeserializeOwned>(resp: reqwest::Response) -> Answer<T> {
    let status = resp.status().as_u16();
    if status == 200 {
        Ok(resp.json().await.unwrap())
    } else {
        Err((status, resp.json().await.unwrap()))
    }
}

impl TestRelay {
    /// A challenge for Active Authentication only (no DG14 sent).
    pub async fn challenge(&self, code: &str) -> ChallengeResponse {
        self.challenge_for(code, None).await
    }

    /// A challenge, and Chip Authentication's commands when `dg14` offers it.
    pub async fn challenge_for(&self, code: &str, dg14: Option<&[u8]>) -> ChallengeResponse {
        let resp = reqwest::Client::new()
            .post(self.url("/api/checkin/challenge"))
            .json(&ChallengeRequest {
                code: code.into(),
                dg14: dg14.map(|dg14| BASE64.encode(dg14)),
            })
            .send()
            .await
            .unwrap();
        answer_of(resp).await.expect("a challenge")
    }

    pub async fn post_checkin(
        &self,
        req: &CheckinRequest,
        bearer: Option<&str>,
    ) -> Answer<CheckinAccepted> {
        let mut call = reqwest::Client::new()
            .post(self.url("/api/checkin"))
            .json(req);
        if let Some(token) = bearer {
            call = call.bearer_auth(token);
        }
        answer_of(call.send().await.unwrap()).await
    }

    /// Read, challenge (with DG14), then Chip Authentication when the relay
    /// starts it or AA otherwise: the upload a reader would make.
    pub async fn signed_request(
        &self,
        code: &str,
        chip: &mut dyn Card,
        bac: BacInput,
        station: bool,
    ) -> CheckinRequest {
        let (read, mut session) = read(chip, bac).expect("the card reads");
        let challenge = self
            .challenge_for(code, read.groups.get(&14).map(Vec::as_slice))
            .await;
        // Chip Authentication when the relay started it; AA otherwise, or
        // when the chip refused it (as the client does).
        let ca_answer = match &challenge.chip_auth {
            Some(commands) => chip_authenticate(&mut session, chip, commands),
            None => Vec::new(),
        };
        let signature = if ca_answer.is_empty() {
            answer(&mut session, chip, &challenge.challenge)
        } else {
            Vec::new()
        };
        let mut request =
            CheckinRequest::from_read(code, &challenge.challenge_id, &read, &signature, station);
        request.ca_answer = BASE64.encode(ca_answer);
        request
    }

    /// Challenge, read, AA, post: a whole check-in at a student's computer.
    pub async fn check_in_with(
        &self,
        code: &str,
        chip: &mut dyn Card,
        bac: BacInput,
    ) -> Answer<CheckinAccepted> {
        let req = self.signed_request(code, chip, bac, false).await;
        self.post_checkin(&req, None).await
    }

    pub async fn decide(&self, id: u64, bearer: &str, confirm: bool) -> Answer<CheckinView> {
        let resp = reqwest::Client::new()
            .post(self.url(&format!("/api/checkins/{id}/decision")))
            .bearer_auth(bearer)
            .json(&Decision {
                confirm,
                reason: (!confirm).then(|| "not the person on the card".into()),
            })
            .send()
            .await
            .unwrap();
        answer_of(resp).await
    }

    pub async fn release(&self, id: u64, bearer: &str) -> Answer<CheckinView> {
        let resp = reqwest::Client::new()
            .post(self.url(&format!("/api/checkins/{id}/release")))
            .bearer_auth(bearer)
            .send()
            .await
            .unwrap();
        answer_of(resp).await
    }

    pub async fn poll(&self, id: u64, token: &str) -> Answer<CheckinPoll> {
        let resp = reqwest::Client::new()
            .get(self.url(&format!("/api/checkin/{id}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        answer_of(resp).await
    }

    /// The check-in verdicts stored for inspection, oldest first (the CCCD
    /// numbers opened: they are stored sealed).
    pub fn stored_checkins(&self) -> Vec<(String, Option<String>, Option<String>)> {
        let db = self.db();
        db.query_map(
            "SELECT verdict, person_id, decision FROM checkins ORDER BY id",
            examgate_relay::args![],
            |r| Ok((r.get(0)?, r.get::<Option<String>>(1)?, r.get(2)?)),
        )
        .unwrap()
        .into_iter()
        .map(|(verdict, person, decision)| {
            let person = person.map(|p| {
                assert!(
                    examgate_relay::at_rest::AtRest::is_sealed(&p),
                    "a CCCD number stored in clear"
                );
                self.state.at_rest.open(&p).unwrap()
            });
            (verdict, person, decision)
        })
        .collect()
    }
}
