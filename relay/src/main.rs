//! `examgate-relay`: parse flags, boot, print where to go, serve; or, with
//! `analyse`, grade and analyse answer sheets from elsewhere and print JSON.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::Parser;
use examgate_relay::boot::boot;
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
    /// Folder for the SQLite database (created if missing).
    #[arg(long, default_value = "data")]
    data: PathBuf,
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
    #[arg(long)]
    demo_reader: bool,
}

#[derive(clap::Subcommand)]
enum Command {
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
}

fn analyse(key: &Path, responses: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
    };
    let imported = examgate_shared::import::import(&read(key)?, &read(responses)?)?;
    println!("{}", serde_json::to_string_pretty(&imported)?);
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // Errors for people: their Display, not Debug.
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("examgate-relay: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    if let Some(Command::Analyse { key, responses }) = &args.command {
        return analyse(key, responses);
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
    if !trust_dir.exists() {
        std::fs::create_dir_all(&trust_dir)?;
        let pki = examgate_cardsim::pki::TestPki::generate(examgate_relay::seed::DEMO_PKI_SEED);
        std::fs::write(trust_dir.join("examgate-demo-csca.der"), pki.csca_der())?;
        tracing::warn!(
            "{} did not exist: created with the demo's TEST CSCA; put real CSCA certificates there for real exams",
            trust_dir.display()
        );
    }
    let trust = examgate_shared::chip::verify::TrustList::from_dir(&trust_dir)?;
    tracing::info!(
        "{} trusted CSCA certificate(s) from {}",
        trust.len(),
        trust_dir.display()
    );
    let config = Config {
        www_dir: args.www.clone(),
        grace_ms: args.grace_ms,
        trust: std::sync::Arc::new(trust),
        demo_reader: args
            .demo_reader
            .then(|| std::sync::Arc::new(examgate_relay::demo_reader::DemoReader::new())),
    };
    let booted = boot(&args.data, config, None)?;
    let credentials_file = args.data.join("credentials.txt");
    if let Some(info) = &booted.seeded {
        write_credentials(&credentials_file, info)?;
    }
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    let addr = listener.local_addr()?;
    print_banner(addr, &booted.db_path, &credentials_file);
    if args.demo_reader {
        println!("  Demo card reader (synthetic cards, room TOAN-P03): http://{addr}/?demo-reader");
        println!("    proctor of that room: phong03 at http://{addr}/proctor");
    }
    serve(listener, booted.state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

/// Keeps the seeded passwords (shown again on every start) readable only by
/// the owner.
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
        Err(_) => println!(
            "  (no {} — accounts were created elsewhere)",
            credentials.display()
        ),
    }
    println!();
}
