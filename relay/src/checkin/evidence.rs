//! What a judged check-in keeps as evidence: only what identifies the card
//! holder and proves the card genuine (personal-data law: keep what the
//! exam needs). EF.COM, DG1 (the MRZ), DG2 (the photo), DG14 and DG15 (the
//! chip's keys), EF.SOD and the chip's answer are kept as read, so passive
//! and active authentication can be checked again later. DG13 — which
//! also holds ethnicity, religion, parents, addresses — is reduced to the
//! fields the check-in compares (ID, name, date of birth) and its SHA-256;
//! any other group to its SHA-256.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use examgate_shared::checkin::CheckinRequest;
use examgate_shared::chip::lds::dg13::PersonalData;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::auth::hash_token;

/// Data groups kept byte for byte.
pub const KEPT_GROUPS: [u8; 4] = [1, 2, 14, 15];

/// The evidence of a check-in, as stored in `checkins.evidence`.
pub fn evidence_json(req: &CheckinRequest) -> String {
    let mut groups = Map::new();
    let mut reduced = Map::new();
    for (number, file) in &req.groups {
        if KEPT_GROUPS.contains(number) {
            groups.insert(number.to_string(), Value::String(file.clone()));
            continue;
        }
        let bytes = BASE64.decode(file).unwrap_or_default();
        let mut entry = json!({ "sha256": hex(&Sha256::digest(&bytes)), "bytes": bytes.len() });
        if *number == 13
            && let Ok(p) = PersonalData::parse(&bytes)
        {
            entry["personal_id"] = json!(p.personal_id);
            entry["full_name"] = json!(p.full_name);
            entry["birth"] = json!(
                p.birth
                    .map(|b| format!("{:04}-{:02}-{:02}", b.year, b.month, b.day))
            );
        }
        reduced.insert(number.to_string(), entry);
    }
    json!({
        "com": req.com,
        "groups": groups,
        "reduced": reduced,
        "sod": req.sod,
        "aa_signature": req.aa_signature,
        "ca_answer": req.ca_answer,
        "challenge_id_hash": BASE64.encode(hash_token(&req.challenge_id)),
        "reader_reported_access": crate::checkin::judge::reported_access(&req.access),
    })
    .to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use examgate_shared::chip::lds::dg13::Dg13Entry;
    use std::collections::BTreeMap;

    #[test]
    fn dg13_keeps_only_the_compared_fields() {
        let dg13 = examgate_shared::chip::lds::dg13::encode(&[
            Dg13Entry::text(1, "001206012345"),
            Dg13Entry::text(2, "Lê Thị Thu"),
            Dg13Entry::text(3, "04/03/2006"),
            Dg13Entry::text(6, "Kinh"),
            Dg13Entry::text(7, "Không"),
            Dg13Entry::parents("Lê Văn Bố", "Trần Thị Mẹ"),
        ]);
        let req = CheckinRequest {
            code: "X".into(),
            challenge_id: "c".into(),
            com: "Y29t".into(),
            groups: BTreeMap::from([
                (1, "ZGcx".to_owned()),
                (2, "ZGcy".to_owned()),
                (11, BASE64.encode(b"other")),
                (13, BASE64.encode(&dg13)),
            ]),
            sod: "c29k".into(),
            aa_signature: "YWE=".into(),
            station: false,
            access: "PACE-CAN AES-128 brainpoolP256r1".into(),
            ca_answer: String::new(),
        };
        let text = evidence_json(&req);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["groups"]["1"], "ZGcx");
        assert_eq!(v["groups"]["2"], "ZGcy");
        assert!(v["groups"].get("13").is_none(), "raw DG13 is not kept");
        assert!(v["groups"].get("11").is_none());
        let d13 = v["reduced"]["13"].as_object().unwrap();
        let mut keys: Vec<&str> = d13.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["birth", "bytes", "full_name", "personal_id", "sha256"]
        );
        assert_eq!(d13["personal_id"], "001206012345");
        assert_eq!(d13["sha256"], hex(&Sha256::digest(&dg13)));
        for secret in ["Kinh", "Không", "Bố", "Mẹ", &BASE64.encode(&dg13)] {
            assert!(!text.contains(secret), "{secret} leaked into the evidence");
        }
        assert_eq!(v["reduced"]["11"]["bytes"], 5);
    }
}
