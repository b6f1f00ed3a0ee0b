//! `examgate-relay`: parse flags, boot, print where to go, serve; or run one
//! of the sub-commands: `rehearsal` (a fresh data folder for a load
//! rehearsal), `analyse` (answer sheets from elsewhere, as JSON),
//! `verify-package` (an inspection package against its manifest), `purge`
//! (personal data past its retention period), `bank` (check, convert and
//! import question-bank files), `audit` (verify the hash chains, export
//! the audit trail).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Parser;
use examgate_relay::boot::{Database, Start, boot_on};
use examgate_relay::office::retention::{Retention, purge};
#[cfg(feature = "demo")]
use examgate_relay::seed::DemoInfo;
use examgate_relay::{Config, serve};
use examgate_shared::attempt::DEFAULT_GRACE_MS;

/// The examgate relay: serves the exam client, stores answers, feeds proctors.
#[derive(Parser)]
#[command(version)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Folder for the SQLite database and the at-rest key (created if
    /// missing).
    #[arg(long, default_value = "data")]
    data: PathBuf,
    /// Where the record is kept: `sqlite` (DATA/examgate.sqlite3, the
    /// default) or a PostgreSQL URL (`postgres://user@host:5432/examgate`)
    /// that several relays share (docs/deployment.md; they need the same
    /// DATA/secret.key).
    #[arg(long, default_value = "sqlite", value_parser = Database::parse)]
    database: Database,
    /// A NATS server (`nats://host:4222`, or a cluster's servers separated
    /// by commas) joining this relay to the others on the same PostgreSQL
    /// database: any relay then serves any student and any proctor
    /// (docs/deployment.md). Without it the relay serves alone.
    #[arg(long)]
    bus: Option<String>,
    /// Folder with the built client (index.html, pkg/).
    #[arg(long, default_value = "www")]
    www: PathBuf,
    /// Milliseconds after a deadline that in-flight answers still count.
    #[arg(long, default_value_t = DEFAULT_GRACE_MS)]
    grace_ms: i64,
    /// Folder of trusted CSCA certificates (DER or PEM) for chip-ID
    /// check-in. Default: DATA/trust; created with the demo's test CSCA
    /// when missing (replace it with real CSCAs in production).
    #[arg(long)]
    trust_dir: Option<PathBuf>,
    /// Serve the demo's software card reader with synthetic cards (pages
    /// opened with `?demo-reader`). Never for real exams.
    #[cfg(feature = "demo")]
    #[arg(long)]
    demo_reader: bool,
    /// Start a fresh database empty, for a real exam: no demo exam, rooms or
    /// accounts, only a one-time set-up link for the first exam-office
    /// account. (A relay built without the `demo` feature always does.)
    #[arg(long)]
    no_demo: bool,
    /// Most connections held at once (students, proctors, pages); past it
    /// new connections get HTTP 503 `overloaded` with `Retry-After`.
    /// Default: the open-file limit, raised to its hard limit at start,
    /// less a reserve (docs/deployment.md).
    #[arg(long)]
    max_connections: Option<usize>,
}

#[derive(clap::Subcommand)]
enum Command {
    /// The tamper-evident record (docs/audit.md): verify the hash chains
    /// or export the audit trail.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Seed a fresh data folder for a load rehearsal (docs/load.md): the
    /// sample exam open now in ROOMS typed-name rooms (codes DT0001, …)
    /// and a central proctor `dientap`; writes DATA/rehearsal.json.
    Rehearsal {
        /// The folder to create (it must hold no database yet).
        #[arg(long)]
        data: PathBuf,
        #[arg(long, default_value_t = 500)]
        rooms: usize,
        /// Working time per attempt, in minutes.
        #[arg(long, default_value_t = 60)]
        minutes: u32,
        /// Working time in seconds instead (short chaos runs).
        #[arg(long)]
        seconds: Option<u32>,
        /// The central proctor's password (default: a random one, written
        /// to rehearsal.json).
        #[arg(long)]
        password: Option<String>,
    },
    /// The question bank from the command line (docs/question-bank.md).
    Bank {
        #[command(subcommand)]
        action: BankAction,
    },
    /// Grade and analyse responses from elsewhere (OMR scanner, another
    /// platform); prints the analysis as JSON. Format: docs/import-format.md.
    Analyse {
        /// The answer key CSV.
        #[arg(long)]
        key: PathBuf,
        /// The responses CSV (one row per candidate).
        #[arg(long)]
        responses: PathBuf,
    },
    /// Check an inspection package (zip) against its SHA-256 manifest:
    /// every file present, unchanged, nothing added. Exit code 1 if not.
    VerifyPackage {
        /// The package file.
        package: PathBuf,
    },
    /// Remove personal data past its retention period (docs/exam-office.md):
    /// card files of check-ins, then CCCD numbers (masked to the last four
    /// digits). Marks, answers and the audit trail stay.
    Purge {
        /// Folder with the SQLite database.
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// Days after a sitting closes that the chip photo and card files
        /// are kept.
        #[arg(long, default_value_t = Retention::default().card_files_days)]
        card_files_days: i64,
        /// Days after a sitting closes that CCCD numbers are kept.
        #[arg(long, default_value_t = Retention::default().person_ids_days)]
        id_days: i64,
        /// Count only; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(clap::Subcommand)]
enum AuditAction {
    /// Check the audit chain and every attempt's answer events in a data
    /// folder, or an exported file. Prints the entries checked and the
    /// head, or the first broken entry (exit code 1).
    #[command(group = clap::ArgGroup::new("source").required(true).args(["data", "file"]))]
    Verify {
        /// Folder with the SQLite database (opened read-only).
        #[arg(long)]
        data: Option<PathBuf>,
        /// A file written by `audit export` (or a package's audit.jsonl).
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Write the audit trail as JSON lines, one entry per line with its hash.
    Export {
        #[arg(long, default_value = "data")]
        data: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(clap::Subcommand)]
enum BankAction {
    /// Read files as an import would and print every question, or every
    /// problem with its line or paragraph. Exit code 1 if any file has one.
    Check {
        files: Vec<PathBuf>,
        /// docx, gift, aiken, moodle_xml or qti; detected when absent.
        #[arg(long)]
        format: Option<String>,
    },
    /// Convert a file to gift, aiken, moodle_xml or qti (3.0 package).
    Convert {
        file: PathBuf,
        #[arg(long)]
        to: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long)]
        format: Option<String>,
    },
    /// Import files into the bank of a data folder (each all or nothing;
    /// questions the bank has are skipped), owned by an existing account.
    Import {
        files: Vec<PathBuf>,
        #[arg(long, default_value = "data")]
        data: PathBuf,
        /// The owning account (a teacher or the exam office).
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "")]
        subject: String,
        #[arg(long, default_value = "")]
        topic: String,
        /// nhận biết, thông hiểu, vận dụng, vận dụng cao (or NB/TH/VD/VDC).
        #[arg(long)]
        level: Option<String>,
        #[arg(long)]
        format: Option<String>,
    },
}

fn bank_format(
    name: Option<&str>,
) -> Result<Option<examgate_bank_formats::Format>, Box<dyn std::error::Error>> {
    name.map(|n| {
        examgate_bank_formats::Format::parse(n).ok_or_else(|| {
            format!("unknown format {n:?}: docx, gift, aiken, moodle_xml or qti").into()
        })
    })
    .transpose()
}

fn run_bank(action: &BankAction) -> Result<(), Box<dyn std::error::Error>> {
    use examgate_relay::bank::cli;
    match action {
        BankAction::Check { files, format } => {
            if !cli::check(files, bank_format(format.as_deref())?)? {
                std::process::exit(1);
            }
            Ok(())
        }
        BankAction::Convert {
            file,
            to,
            out,
            format,
        } => {
            let to = bank_format(Some(to))?.expect("named");
            cli::convert(file, bank_format(format.as_deref())?, to, out)
        }
        BankAction::Import {
            files,
            data,
            user,
            subject,
            topic,
            level,
            format,
        } => {
            let args = cli::ImportArgs {
                data,
                user,
                subject,
                topic,
                level: level.as_deref(),
            };
            cli::import(files, bank_format(format.as_deref())?, &args).map(|_| ())
        }
    }
}

fn run_audit(action: &AuditAction) -> Result<(), Box<dyn std::error::Error>> {
    use examgate_relay::audit::cli;
    match action {
        AuditAction::Verify {
            file: Some(file), ..
        } => cli::verify_exported(file),
        AuditAction::Verify {
            data: Some(data), ..
        } => cli::verify_data(data),
        AuditAction::Verify { .. } => unreachable!("clap requires --data or --file"),
        AuditAction::Export { data, out } => cli::export_to(data, out),
    }
}

fn verify_package(path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let report = examgate_relay::handin::package::verify_package(&bytes)
        .map_err(|e| format!("{}: NOT verified: {e}", path.display()))?;
    println!(
        "{}: verified — {} file(s), {} bytes, root SHA-256 {}",
        path.display(),
        report.files,
        report.bytes,
        report.root_sha256
    );
    if let Some(head) = report.audit_chain_head {
        println!(
            "  audit chain head when made: entry {} {} (check audit.jsonl with `audit verify --file`)",
            head.id, head.hash
        );
    }
    Ok(())
}

fn run_purge(
    data: &Path,
    retention: Retention,
    dry_run: bool,
) -> Result<(), Box<dyn std::error::Error>> {
    let db = data.join(examgate_relay::store::DB_FILE);
    if !db.exists() {
        return Err(format!("no database at {}", db.display()).into());
    }
    let mut conn = examgate_relay::store::open(&db)?;
    // The numbers are sealed: masking keeps their last four digits, so the
    // folder's key is needed (and never made anew here).
    let at_rest = examgate_relay::at_rest::AtRest::load(data)?;
    let now = examgate_relay::clock::now_ms();
    let done = purge(&mut conn, &at_rest, retention, now, dry_run)?;
    let verb = if dry_run { "would remove" } else { "removed" };
    println!(
        "{verb}: card files of {} check-in(s) (kept {} days); {} CCCD number(s) masked (kept {} days)",
        done.card_files, retention.card_files_days, done.person_ids, retention.person_ids_days
    );
    Ok(())
}

fn analyse(key: &Path, responses: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
    };
    let imported = examgate_shared::import::import(&read(key)?, &read(responses)?)?;
    println!("{}", serde_json::to_string_pretty(&imported)?);
    Ok(())
}

/// Rust's allocations go to mimalloc: per-thread heaps that stay cheap and
/// small under a province's joins (`memory.rs` has the measurements).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Before any thread exists: threads take their malloc arena at their
    // first allocation (see `memory::one_arena`).
    examgate_relay::memory::one_arena();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("examgate-relay: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    // Errors for people: their Display, not Debug.
    match runtime.block_on(run()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("examgate-relay: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    match &args.command {
        Some(Command::Analyse { key, responses }) => return analyse(key, responses),
        Some(Command::Rehearsal {
            data,
            rooms,
            minutes,
            seconds,
            password,
        }) => {
            let rehearsal = examgate_relay::rehearsal::Rehearsal {
                rooms: *rooms,
                duration_ms: seconds.map_or(i64::from(*minutes) * 60_000, |s| i64::from(s) * 1000),
                opens_at: examgate_relay::clock::now_ms() - 60_000,
                password: password
                    .clone()
                    .unwrap_or_else(examgate_relay::auth::random_password),
            };
            let info = examgate_relay::rehearsal::seed_on(data, &args.database, &rehearsal)?;
            println!(
                "rehearsal: {} rooms ({} … {}), central proctor {} — {}",
                info.codes.len(),
                info.codes.first().map_or("", String::as_str),
                info.codes.last().map_or("", String::as_str),
                info.proctor,
                data.join("rehearsal.json").display()
            );
            return Ok(());
        }
        Some(Command::VerifyPackage { package }) => return verify_package(package),
        Some(Command::Bank { action }) => return run_bank(action),
        Some(Command::Audit { action }) => return run_audit(action),
        Some(Command::Purge {
            data,
            card_files_days,
            id_days,
            dry_run,
        }) => {
            let retention = Retention {
                card_files_days: *card_files_days,
                person_ids_days: *id_days,
            };
            return run_purge(data, retention, *dry_run);
        }
        None => {}
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    if !args.www.join("index.html").exists() {
        tracing::warn!(
            "{} has no index.html: build the client with `cargo xtask build`",
            args.www.display()
        );
    }
    let trust_dir = args
        .trust_dir
        .clone()
        .unwrap_or_else(|| args.data.join("trust"));
    let demo = demo_wanted(&args);
    if !trust_dir.exists() {
        std::fs::create_dir_all(&trust_dir)?;
        if demo {
            write_demo_csca(&trust_dir)?;
        } else {
            tracing::warn!(
                "{} did not exist: created empty; put the CSCA certificates of the cards you accept there (every card is refused until then)",
                trust_dir.display()
            );
        }
    }
    let trust = examgate_shared::chip::verify::TrustList::from_dir(&trust_dir)?;
    log_trust(&trust, &trust_dir);
    let open_files = examgate_relay::listen::raise_open_files();
    let max_connections = args
        .max_connections
        .unwrap_or_else(|| examgate_relay::listen::capacity(open_files));
    let config = Config {
        www_dir: args.www.clone(),
        grace_ms: args.grace_ms,
        trust: std::sync::Arc::new(trust),
        demo_routes: demo_routes(&args),
        max_connections: Some(max_connections),
    };
    if args.bus.is_some() && matches!(args.database, Database::Sqlite) {
        return Err(
            "--bus joins relays on one PostgreSQL database: give --database postgres://…".into(),
        );
    }
    let booted = boot_on(&args.data, &args.database, config, start(&args))?;
    if let Some(url) = &args.bus {
        examgate_relay::bus::attach(&booted.state, url)
            .await
            .map_err(|e| format!("--bus {url}: {e}"))?;
    }
    let credentials_file = args.data.join("credentials.txt");
    #[cfg(feature = "demo")]
    if let Some(info) = &booted.seeded {
        write_credentials(&credentials_file, info)?;
    }
    let listener = examgate_relay::listen::bind(args.listen)?;
    let addr = listener.local_addr()?;
    print_banner(addr, &booted.db_path, &credentials_file);
    println!(
        "  Holds up to {max_connections} connections at once (open-file limit {open_files}; past it: 503 overloaded).\n"
    );
    tracing::info!(
        "open-file limit {open_files}: up to {max_connections} connections, listen backlog {}",
        examgate_relay::listen::BACKLOG
    );
    if let Some(token) = &booted.setup_token {
        println!("  No account exists yet. Create the first exam-office account (works once):");
        println!("    http://{addr}/office?setup={token}");
        if addr.ip().is_unspecified() {
            println!(
                "    (replace {} with this machine's address on the school network)",
                addr.ip()
            );
        }
        println!();
    }
    #[cfg(feature = "demo")]
    if args.demo_reader {
        println!(
            "  Demo card reader (synthetic cards, room TOAN-P03): http://{addr}/checkin?demo-reader"
        );
        println!("    proctor of that room: phong03 at http://{addr}/proctor");
    }
    serve(listener, booted.state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

/// Whether an empty database becomes the demo.
fn demo_wanted(args: &Args) -> bool {
    cfg!(feature = "demo") && !args.no_demo
}

fn start(args: &Args) -> Start {
    #[cfg(feature = "demo")]
    if demo_wanted(args) {
        return Start::Demo(None);
    }
    let _ = args;
    Start::Empty
}

#[cfg(feature = "demo")]
fn write_demo_csca(trust_dir: &Path) -> std::io::Result<()> {
    let pki = examgate_cardsim::pki::TestPki::generate(examgate_relay::seed::DEMO_PKI_SEED);
    std::fs::write(trust_dir.join("examgate-demo-csca.der"), pki.csca_der())?;
    tracing::warn!(
        "{} did not exist: created with the demo's TEST CSCA; put real CSCA certificates there for real exams",
        trust_dir.display()
    );
    Ok(())
}

#[cfg(not(feature = "demo"))]
fn write_demo_csca(_: &Path) -> std::io::Result<()> {
    unreachable!("demo_wanted is false without the demo feature")
}

#[cfg(feature = "demo")]
fn demo_routes(args: &Args) -> Option<axum::Router> {
    args.demo_reader
        .then(|| std::sync::Arc::new(examgate_relay::demo_reader::DemoReader::new()).routes())
}

#[cfg(not(feature = "demo"))]
fn demo_routes(_: &Args) -> Option<axum::Router> {
    None
}

/// Keeps the seeded passwords (shown again on every start) readable only by
/// the owner.
#[cfg(feature = "demo")]
fn write_credentials(path: &Path, info: &DemoInfo) -> std::io::Result<()> {
    let mut text = String::from("# examgate demo accounts: user<TAB>password<TAB>role<TAB>scope\n");
    for c in &info.credentials {
        text.push_str(&format!(
            "{}\t{}\t{:?}\t{}\n",
            c.username, c.password, c.role, c.scope
        ));
    }
    for (code, room) in &info.join_codes {
        text.push_str(&format!("# join code {code}\t{room}\n"));
    }
    std::fs::write(path, text)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

fn print_banner(addr: SocketAddr, db: &Path, credentials: &Path) {
    println!();
    println!("examgate relay is running (Ctrl+C to stop)");
    println!("  Student page:  http://{addr}/");
    println!("  Proctor view:  http://{addr}/proctor");
    println!("  Results:       http://{addr}/results  (teacher, central proctor)");
    println!("  Exam office:   http://{addr}/office  (plan, rosters, accounts, hand-in)");
    println!(
        "  Question bank: http://{addr}/bank  (teacher, exam office: import, edit, papers, practice)"
    );
    println!("  Database:      {}", db.display());
    match std::fs::read_to_string(credentials) {
        Ok(text) => {
            println!(
                "  Demo accounts and join codes ({}):",
                credentials.display()
            );
            for line in text.lines().skip(1) {
                let line = line.trim_start_matches("# ");
                println!("    {}", line.replace('\t', "  "));
            }
        }
        Err(_) => println!("  Staff accounts: made by the exam office at http://{addr}/office"),
    }
    println!();
}

/// Says at start what chip check-in will trust (also `GET /api/trust`).
fn log_trust(trust: &examgate_shared::chip::verify::TrustList, dir: &std::path::Path) {
    let report = trust.report(examgate_relay::clock::now_ms() / 1000);
    tracing::info!(
        "{} trusted CSCA certificate(s), {} master list(s), {} CRL(s) from {}",
        report.cscas.len(),
        report.master_lists.len(),
        report.revocation_lists.len(),
        dir.display()
    );
    for csca in &report.cscas {
        tracing::info!(
            "  CSCA {} [{}] {} valid until {} ({})",
            csca.subject,
            csca.country,
            csca.key,
            csca.not_after,
            csca.origin
        );
    }
    for warning in &report.warnings {
        tracing::warn!("trust list: {warning}");
    }
}
