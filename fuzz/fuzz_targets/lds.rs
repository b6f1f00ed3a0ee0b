//! The LDS data groups the relay parses after passive authentication and
//! the client parses for display: EF.COM, DG1 (MRZ), DG2 (face), DG13
//! (Vietnamese personal data), DG15 (AA public key). A signed file is not
//! a well-formed one (the issuer's software can be wrong, and the client
//! parses before anything is verified), so none may panic.

#![no_main]

use examgate_shared::chip::lds::{com::Com, dg1::Mrz, dg2::FaceImage, dg13::PersonalData, dg15};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(com) = Com::parse(data) {
        let _ = com.groups();
    }
    if let Ok(mrz) = Mrz::parse(data) {
        // What the relay and the client do with a parsed MRZ.
        let _ = mrz.full_name();
        let _ = mrz.cccd_personal_id();
        let _ = mrz.bac_input();
        let _ = mrz.td1_lines();
        let _ = mrz.td3_lines();
    }
    let _ = FaceImage::parse(data);
    let _ = PersonalData::parse(data);
    let _ = dg15::parse(data);
});
