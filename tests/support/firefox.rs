//! Debian's Firefox ESR driven through WebDriver: geckodriver (built from
//! crates.io by `cargo xtask test` into `target/tools/`) started on a free
//! loopback port, and fantoccini speaking the W3C protocol to it. Chromium
//! is driven through the DevTools protocol instead (`browser.rs`); this is
//! the standard, browser-neutral way in.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde::de::DeserializeOwned;

/// Debian's package.
pub const FIREFOX: &str = "/usr/bin/firefox-esr";

fn geckodriver() -> PathBuf {
    crate::workspace_root().join("target/tools/geckodriver/bin/geckodriver")
}

/// One headless Firefox with its geckodriver; [`Firefox::close`] ends the
/// session. Dropping kills Firefox (geckodriver's children) and then
/// geckodriver, so a failed test leaves no Firefox behind; Firefox's content
/// processes end with their parent.
pub struct Firefox {
    pub client: Client,
    driver: Child,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl Firefox {
    pub async fn launch() -> Firefox {
        let turn = crate::browser::one_browser_at_a_time().await;
        for (path, what) in [
            (Path::new(FIREFOX), "firefox-esr"),
            (&geckodriver(), "geckodriver"),
        ] {
            assert!(
                path.exists(),
                "{} is missing: run `cargo xtask test`, which installs {what}",
                path.display()
            );
        }
        let port = {
            let probe = TcpListener::bind("127.0.0.1:0").unwrap();
            probe.local_addr().unwrap().port()
        };
        let log = std::fs::File::create(crate::browser::screenshot_dir().join("geckodriver.log"))
            .unwrap();
        let driver = Command::new(geckodriver())
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .stdout(Stdio::from(log.try_clone().unwrap()))
            .stderr(Stdio::from(log))
            .spawn()
            .expect("start geckodriver");
        let capabilities = serde_json::json!({
            "moz:firefoxOptions": {
                "binary": FIREFOX,
                "args": ["-headless", "--window-size=1280,900"],
                // This machine has no internet: no update, telemetry or
                // remote-settings calls that would only time out.
                "prefs": {
                    "app.update.enabled": false,
                    "browser.shell.checkDefaultBrowser": false,
                    "datareporting.policy.dataSubmissionEnabled": false,
                    "toolkit.telemetry.enabled": false,
                    "services.settings.server": "http://127.0.0.1:9/",
                    "network.captive-portal-service.enabled": false,
                    "network.connectivity-service.enabled": false,
                    "browser.safebrowsing.malware.enabled": false,
                    "browser.safebrowsing.phishing.enabled": false,
                },
            },
        });
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            let mut builder = ClientBuilder::new(connector);
            builder.capabilities(capabilities.as_object().unwrap().clone());
            match builder.connect(&url).await {
                Ok(client) => break client,
                // geckodriver is still starting.
                Err(_) if started.elapsed() < Duration::from_secs(60) => {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("no Firefox session from geckodriver at {url}: {e}"),
            }
        };
        Firefox {
            client,
            driver,
            _turn: turn,
        }
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
        // Drop ends geckodriver and whatever Firefox is left.
    }

    /// The value of the expression `js`.
    pub async fn eval<T: DeserializeOwned>(&self, js: &str) -> T {
        let value = self
            .client
            .execute(&format!("return ({js});"), Vec::new())
            .await
            .unwrap_or_else(|e| panic!("execute {js}: {e}"));
        serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{js} gave {value}: {e}"))
    }

    /// Polls `js` until it is `true`; panics with the page's text after
    /// `timeout`.
    pub async fn wait_for(&self, js: &str, timeout: Duration) {
        let started = Instant::now();
        loop {
            let value = self
                .client
                .execute(&format!("return !!({js});"), Vec::new())
                .await;
            if matches!(value, Ok(serde_json::Value::Bool(true))) {
                return;
            }
            if started.elapsed() > timeout {
                let text: String = self
                    .eval("document.body ? document.body.innerText.slice(0, 2000) : ''")
                    .await;
                panic!("Firefox: timed out waiting for {js}; page text:\n{text}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn find(&self, selector: &str) -> Element {
        self.client
            .find(Locator::Css(selector))
            .await
            .unwrap_or_else(|e| panic!("Firefox: no {selector}: {e}"))
    }

    /// A real click (WebDriver's element click: scrolled into view, hit
    /// tested, refused when something covers it).
    pub async fn click(&self, selector: &str) {
        self.find(selector)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("Firefox: click {selector}: {e}"));
    }

    /// Clears the field and types `text` key by key.
    pub async fn type_into(&self, selector: &str, text: &str) {
        let field = self.find(selector).await;
        field.clear().await.unwrap();
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("Firefox: type into {selector}: {e}"));
    }

    /// A PNG of the element at `selector`, saved as `target/e2e/<name>`.
    pub async fn screenshot_of(&self, selector: &str, name: &str) -> PathBuf {
        let png = self
            .find(selector)
            .await
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("Firefox: screenshot of {selector}: {e}"));
        let path = crate::browser::screenshot_dir().join(name);
        std::fs::write(&path, png).unwrap();
        path
    }

    /// Waits until the page's service worker is active
    /// (`navigator.serviceWorker.ready`).
    pub async fn service_worker_ready(&self) {
        let ready = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 navigator.serviceWorker.ready.then(() => done(true), (e) => done(String(e)));",
                Vec::new(),
            )
            .await
            .expect("navigator.serviceWorker.ready");
        assert_eq!(
            ready,
            serde_json::Value::Bool(true),
            "service worker: {ready}"
        );
    }

    /// Reloads the page as a person does (F5, `location.reload()`), and
    /// waits for the new document. Not WebDriver's refresh: Firefox's
    /// bypasses the page's service worker, so it would never show the
    /// offline copy.
    pub async fn reload(&self) {
        self.client
            .execute(
                "window.__examgateOld = true; location.reload();",
                Vec::new(),
            )
            .await
            .expect("reload");
        self.wait_for(
            "!window.__examgateOld && document.readyState === 'complete'",
            Duration::from_secs(30),
        )
        .await;
    }
}

impl Drop for Firefox {
    fn drop(&mut self) {
        for child in children_of(self.driver.id()) {
            let _ = Command::new("kill")
                .args(["-KILL", &child.to_string()])
                .status();
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// The processes whose parent is `parent`, from `/proc`.
fn children_of(parent: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&pid| {
            // `pid (comm) state ppid …`; comm may hold spaces, so split after ')'.
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                stat.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
                    == Some(parent)
            })
        })
        .filter(|&pid| pid > 1)
        .collect()
}
