//! The `examgate-relay analyse` command on the documented example files.
//! (Here rather than in `tests/`: cargo builds and locates a binary only for
//! its own package's integration tests.)

use std::process::Command;

#[test]
fn analyse_prints_the_documented_example_as_json() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_examgate-relay"))
        .args([
            "analyse",
            "--key",
            "docs/examples/key.csv",
            "--responses",
            "docs/examples/responses.csv",
        ])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["candidates"].as_array().unwrap().len(), 5);
    assert_eq!(json["analysis"]["test"]["attempts"], 5);
    assert_eq!(json["analysis"]["items"].as_array().unwrap().len(), 8);
    // TS001 answered everything right: 0.75 + 1 + 0.5 + 0.5 + 1 + 2 = 5.75.
    assert_eq!(json["max"], 5750);
    assert_eq!(
        json["totals"][0],
        serde_json::json!({"num": 5750, "den": 1})
    );
}

#[test]
fn analyse_reports_a_bad_cell_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.csv");
    let responses = dir.path().join("responses.csv");
    std::fs::write(&key, "question,type,key,points\n1,single_choice,A,1\n").unwrap();
    std::fs::write(&responses, "sbd,1\nA01,AB\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_examgate-relay"))
        .arg("analyse")
        .arg("--key")
        .arg(&key)
        .arg("--responses")
        .arg(&responses)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2, column 2"), "{err}");
}
