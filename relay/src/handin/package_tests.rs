//! Tests of the inspection package ([`super`]), each on data it builds itself.

use super::*;

fn meta() -> PackageMeta {
    PackageMeta {
        sitting: "Kiểm tra cuối kỳ I – Toán 12".into(),
        created_at_iso: "2026-12-05T10:00:00+07:00".into(),
        created_by: "phongkhaothi".into(),
        audit_chain_head: None,
    }
}

fn files() -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "ket-qua.xlsx".into(),
            b"PK not really a workbook".repeat(40),
        ),
        (
            "phong-01/bien-ban.txt".into(),
            "Biên bản coi thi phòng 01\n".into(),
        ),
        (
            "phong-01/danh-sach.csv".into(),
            "sbd;ten\n000123;An\n".into(),
        ),
        ("empty.txt".into(), Vec::new()),
        (
            "phòng-02/ghi-chú.txt".into(),
            "Thí sinh 000123 đến muộn 5 phút.\n".into(),
        ),
    ]
}

/// All entries of a zip, in order.
fn entries(zip_bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = ZipArchive::new(Cursor::new(zip_bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut f = archive.by_index(i).unwrap();
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

/// A plain zip of `entries`, as a tamperer would write it.
fn zip_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (path, bytes) in entries {
        zip.start_file(path, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn package() -> Vec<u8> {
    build_package(&files(), &meta()).unwrap()
}

fn manifest_of(zip_bytes: &[u8]) -> serde_json::Value {
    let (_, json) = entries(zip_bytes)
        .into_iter()
        .find(|(p, _)| p == MANIFEST_PATH)
        .unwrap();
    serde_json::from_slice(&json).unwrap()
}

#[test]
fn a_built_package_verifies() {
    let zip = package();
    let report = verify_package(&zip).unwrap();
    let total: usize = files().iter().map(|(_, b)| b.len()).sum();
    assert_eq!(report.files, 5);
    assert_eq!(report.bytes, total as u64);

    let names: Vec<String> = entries(&zip).into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        names,
        [
            "MANIFEST.sha256",
            "manifest.json",
            "empty.txt",
            "ket-qua.xlsx",
            "phong-01/bien-ban.txt",
            "phong-01/danh-sach.csv",
            "phòng-02/ghi-chú.txt",
        ]
    );
    // The manifest files are stored as they are, the others deflated.
    let mut archive = ZipArchive::new(Cursor::new(&zip)).unwrap();
    let methods: Vec<CompressionMethod> = (0..archive.len())
        .map(|i| archive.by_index(i).unwrap().compression())
        .collect();
    assert_eq!(methods[..2], [CompressionMethod::Stored; 2]);
    assert!(
        methods[2..]
            .iter()
            .all(|&m| m == CompressionMethod::Deflated)
    );
    // Building is deterministic.
    assert_eq!(zip, package());
    assert_eq!(report.audit_chain_head, None);
}

#[test]
fn the_audit_chain_head_is_in_the_manifest() {
    let head = examgate_shared::audit_chain::ChainHead {
        entries: 17,
        id: 17,
        hash: "ab".repeat(32),
        at: Some(1_765_000_000_000),
    };
    let meta = PackageMeta {
        audit_chain_head: Some(head.clone()),
        ..meta()
    };
    let zip = build_package(&files(), &meta).unwrap();
    assert_eq!(manifest_of(&zip)["audit_chain_head"]["id"], 17);
    assert_eq!(verify_package(&zip).unwrap().audit_chain_head, Some(head));
}

#[test]
fn the_manifest_can_be_checked_by_hand() {
    let zip = package();
    let all = entries(&zip);
    let get = |name: &str| all.iter().find(|(p, _)| p == name).unwrap().1.clone();
    let manifest = get(MANIFEST_PATH);
    // What `sha256sum -c MANIFEST.sha256` reads.
    assert_eq!(
        String::from_utf8(get(MANIFEST_HASH_PATH)).unwrap(),
        format!("{}  manifest.json\n", sha256_hex(&manifest))
    );
    let m: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    assert_eq!(m["format"], "examgate-inspection/1");
    assert_eq!(m["sitting"], "Kiểm tra cuối kỳ I – Toán 12");
    assert_eq!(m["created_at"], "2026-12-05T10:00:00+07:00");
    assert_eq!(m["created_by"], "phongkhaothi");
    let listed = m["files"].as_array().unwrap();
    assert_eq!(listed.len(), 5);
    assert_eq!(listed[0]["path"], "empty.txt");
    assert_eq!(listed[0]["bytes"], 0);
    // SHA-256 of nothing.
    assert_eq!(
        listed[0]["sha256"],
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    // root = sha256 of `sha256sum` lines sorted by path.
    let mut lines = String::new();
    for (path, bytes) in {
        let mut f = files();
        f.sort();
        f
    } {
        lines.push_str(&format!("{}  {path}\n", sha256_hex(&bytes)));
    }
    assert_eq!(m["root_sha256"], sha256_hex(lines.as_bytes()));
    assert_eq!(
        verify_package(&zip).unwrap().root_sha256,
        sha256_hex(lines.as_bytes())
    );
}

#[test]
fn one_changed_byte_in_a_file_is_named() {
    let mut all = entries(&package());
    let (_, bytes) = all
        .iter_mut()
        .find(|(p, _)| p == "phong-01/danh-sach.csv")
        .unwrap();
    bytes[9] ^= 0x01;
    assert_eq!(
        verify_package(&zip_of(&all)),
        Err(VerifyError::HashMismatch {
            path: "phong-01/danh-sach.csv".into()
        })
    );
}

#[test]
fn a_changed_byte_anywhere_in_the_zip_fails() {
    // Every byte, several bit patterns (padding bits after a deflate
    // stream's last code sit in the high bits of its last byte), and a
    // package with a single file, where no other file's headers can
    // serve for comparison.
    let single = build_package(&[("a.txt".into(), b"x".repeat(100))], &meta()).unwrap();
    for zip in [package(), single] {
        assert!(verify_package(&zip).is_ok());
        for mask in [0x01, 0x20, 0x80, 0xff] {
            let undetected: Vec<usize> = (0..zip.len())
                .filter(|&at| {
                    let mut bad = zip.clone();
                    bad[at] ^= mask;
                    verify_package(&bad).is_ok()
                })
                .collect();
            assert!(
                undetected.is_empty(),
                "mask {mask:#04x}: undetected at {undetected:?}"
            );
        }
    }
}

#[test]
fn a_local_header_that_disagrees_is_caught() {
    // Streaming extractors read the local header's name, not the
    // central directory's: the two must say the same.
    let mut zip = package();
    let (_, local) = records_of(&zip, "ket-qua.xlsx");
    zip[local + 30] = b'K';
    assert_eq!(
        verify_package(&zip),
        Err(VerifyError::HeaderMismatch {
            path: "ket-qua.xlsx".into()
        })
    );
    // Bytes appended after the end record.
    let mut zip = package();
    zip.extend_from_slice(b"trailer");
    assert!(matches!(verify_package(&zip), Err(VerifyError::Layout(_))));
}

#[test]
fn an_extra_file_is_unlisted() {
    let mut all = entries(&package());
    all.push(("phong-02/them.txt".into(), b"added later".to_vec()));
    assert_eq!(
        verify_package(&zip_of(&all)),
        Err(VerifyError::Unlisted {
            path: "phong-02/them.txt".into()
        })
    );
}

#[test]
fn a_removed_file_is_missing() {
    let mut all = entries(&package());
    all.retain(|(p, _)| p != "ket-qua.xlsx");
    assert_eq!(
        verify_package(&zip_of(&all)),
        Err(VerifyError::Missing {
            path: "ket-qua.xlsx".into()
        })
    );
    let mut all = entries(&package());
    all.retain(|(p, _)| p != MANIFEST_PATH);
    assert_eq!(
        verify_package(&zip_of(&all)),
        Err(VerifyError::Missing {
            path: MANIFEST_PATH.into()
        })
    );
}

/// Replaces the manifest (and, if asked, its hash file) in a package.
fn with_manifest(zip_bytes: &[u8], m: &serde_json::Value, rehash: bool) -> Vec<u8> {
    let json = serde_json::to_vec_pretty(m).unwrap();
    let all: Vec<(String, Vec<u8>)> = entries(zip_bytes)
        .into_iter()
        .map(|(p, b)| match p.as_str() {
            MANIFEST_PATH => (p, json.clone()),
            MANIFEST_HASH_PATH if rehash => (
                p,
                format!("{}  manifest.json\n", sha256_hex(&json)).into_bytes(),
            ),
            _ => (p, b),
        })
        .collect();
    zip_of(&all)
}

#[test]
fn an_edited_manifest_is_caught() {
    let zip = package();
    let original = manifest_of(&zip);

    // Any edit while the hash file is left as it was.
    let mut m = original.clone();
    m["created_by"] = "someone-else".into();
    assert_eq!(
        verify_package(&with_manifest(&zip, &m, false)),
        Err(VerifyError::ManifestAltered)
    );

    // Hash file recomputed, but the listing no longer matches the root.
    let mut m = original.clone();
    m["files"][1]["sha256"] = sha256_hex(b"forged").into();
    assert_eq!(
        verify_package(&with_manifest(&zip, &m, true)),
        Err(VerifyError::RootMismatch)
    );

    // A file dropped from the listing, hash file recomputed: the root
    // gives it away before the file shows up as unlisted.
    let mut m = original.clone();
    m["files"].as_array_mut().unwrap().remove(2);
    assert_eq!(
        verify_package(&with_manifest(&zip, &m, true)),
        Err(VerifyError::RootMismatch)
    );

    // Everything recomputed consistently: the manifest is believed, and
    // the forged hash no longer matches the file.
    let mut m = original.clone();
    m["files"][1]["sha256"] = sha256_hex(b"forged").into();
    let listing: Vec<(String, String)> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().into(),
                f["sha256"].as_str().unwrap().into(),
            )
        })
        .collect();
    m["root_sha256"] = root_hash(listing.iter().map(|(p, h)| (p.as_str(), h.as_str()))).into();
    assert_eq!(
        verify_package(&with_manifest(&zip, &m, true)),
        Err(VerifyError::HashMismatch {
            path: "ket-qua.xlsx".into()
        })
    );

    // An unknown format or extra fields are not guessed at.
    let mut m = original.clone();
    m["format"] = "examgate-inspection/2".into();
    assert!(matches!(
        verify_package(&with_manifest(&zip, &m, true)),
        Err(VerifyError::BadManifest(_))
    ));
    let mut m = original;
    m["note"] = "hi".into();
    assert!(matches!(
        verify_package(&with_manifest(&zip, &m, true)),
        Err(VerifyError::BadManifest(_))
    ));
}

#[test]
fn unsafe_paths_are_refused() {
    for path in [
        "../evil.txt",
        "a/../../evil.txt",
        "/etc/passwd",
        "C:/x",
        "a\\b",
        "a//b",
        "./a",
        "dir/",
        "a\nb",
    ] {
        assert!(
            matches!(
                build_package(&[(path.into(), b"x".to_vec())], &meta()),
                Err(HandInError::UnsafePath { .. })
            ),
            "{path:?} built"
        );
    }
    let mut all = entries(&package());
    all.push(("../evil.txt".into(), b"x".to_vec()));
    assert_eq!(
        verify_package(&zip_of(&all)),
        Err(VerifyError::UnsafePath {
            path: "../evil.txt".into()
        })
    );
    let mut all = entries(&package());
    all.push(("/abs.txt".into(), b"x".to_vec()));
    assert_eq!(
        verify_package(&zip_of(&all)),
        Err(VerifyError::UnsafePath {
            path: "/abs.txt".into()
        })
    );
}

#[test]
fn duplicate_and_reserved_paths_are_refused() {
    let twice = [
        ("A.txt".to_string(), b"1".to_vec()),
        ("a.txt".to_string(), b"2".to_vec()),
    ];
    assert!(matches!(
        build_package(&twice, &meta()),
        Err(HandInError::DuplicatePath { .. })
    ));
    assert!(matches!(
        build_package(&[("Manifest.json".into(), Vec::new())], &meta()),
        Err(HandInError::ReservedPath { .. })
    ));

    // Two entries under one name: write "b.txt" then rename it to
    // "a.txt" in the raw bytes (local header and central directory).
    let mut all = entries(&package());
    all.push(("zz-1.txt".into(), b"first".to_vec()));
    all.push(("zz-2.txt".into(), b"second".to_vec()));
    let mut zip = zip_of(&all);
    let mut i = 0;
    while let Some(at) = zip[i..].windows(8).position(|w| w == b"zz-2.txt") {
        zip[i + at + 3] = b'1';
        i += at + 8;
    }
    assert_eq!(
        verify_package(&zip),
        Err(VerifyError::Duplicate {
            path: "zz-1.txt".into()
        })
    );
}

/// The offsets of `name`'s central record and local header.
fn records_of(zip: &[u8], name: &str) -> (usize, usize) {
    let central = (0..zip.len() - 46)
        .find(|&i| {
            zip[i..i + 4] == [0x50, 0x4b, 0x01, 0x02] && zip[i + 46..].starts_with(name.as_bytes())
        })
        .unwrap();
    let local = u32::from_le_bytes(zip[central + 42..central + 46].try_into().unwrap());
    (central, local as usize)
}

/// Rewrites the uncompressed size declared for `name` in both headers,
/// as a zip bomb would.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let (central, local) = records_of(zip, name);
    zip[central + 24..central + 28].copy_from_slice(&size.to_le_bytes());
    zip[local + 22..local + 26].copy_from_slice(&size.to_le_bytes());
}

#[test]
fn oversized_entries_are_refused_before_inflating() {
    let mut all = entries(&package());
    all.push(("zeros.bin".into(), vec![0; 1 << 20]));
    let zip = zip_of(&all);

    // One entry declared above the per-entry limit.
    let mut bomb = zip.clone();
    declare_size(&mut bomb, "zeros.bin", 300 << 20);
    assert_eq!(
        verify_package(&bomb),
        Err(VerifyError::TooLarge {
            path: "zeros.bin".into()
        })
    );

    // Entries each under the limit, together above the total.
    let mut bomb = zip.clone();
    declare_size(&mut bomb, "ket-qua.xlsx", 200 << 20);
    declare_size(&mut bomb, "phong-01/bien-ban.txt", 200 << 20);
    declare_size(&mut bomb, "zeros.bin", 200 << 20);
    assert_eq!(
        verify_package(&bomb),
        Err(VerifyError::TooLarge {
            path: "zeros.bin".into()
        })
    );

    // Declared small, inflates to more: never read past the declared
    // size.
    let mut bomb = zip;
    declare_size(&mut bomb, "zeros.bin", 1000);
    assert!(matches!(
        verify_package(&bomb),
        Err(VerifyError::Corrupt { path, .. }) if path == "zeros.bin"
    ));

    // The builder refuses what the verifier would.
    let big = vec![0u8; (MAX_ENTRY_BYTES + 1) as usize];
    assert!(matches!(
        build_package(&[("big.bin".into(), big)], &meta()),
        Err(HandInError::TooLarge { bytes, .. }) if bytes == MAX_ENTRY_BYTES + 1
    ));
}

#[test]
fn garbage_is_not_a_zip() {
    assert!(matches!(
        verify_package(b"not a zip at all"),
        Err(VerifyError::NotAZip(_))
    ));
    assert!(matches!(verify_package(&[]), Err(VerifyError::NotAZip(_))));
}

#[test]
fn errors_read_as_sentences() {
    let e = VerifyError::HashMismatch {
        path: "ket-qua.xlsx".into(),
    };
    assert_eq!(
        e.to_string(),
        "ket-qua.xlsx: content differs from the manifest (SHA-256 mismatch)"
    );
    assert_eq!(
        VerifyError::Missing {
            path: "a.txt".into()
        }
        .to_string(),
        "a.txt is missing from the package"
    );
}
