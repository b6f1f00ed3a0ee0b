//! Driving Debian's headless Chromium over the DevTools protocol
//! (chromiumoxide, no browser download). Each simulated person gets their own
//! browser context: separate storage, separate cookies, like separate PCs.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine;
use chromiumoxide::browser::{Browser, BrowserConfig};
use chromiumoxide::cdp::browser_protocol::input::{
    DispatchKeyEventParams, DispatchKeyEventType, InsertTextParams,
};
use chromiumoxide::cdp::browser_protocol::page::SetBypassCspParams;
use chromiumoxide::cdp::browser_protocol::target::{
    CreateBrowserContextParams, CreateTargetParams, SetAutoAttachParams,
};
use chromiumoxide::page::{Page, ScreenshotParams};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The path a built client module's glue is served at
/// (`/pkg/<name>-<content hash>.js`), from the manifest `cargo xtask build`
/// writes. Panics with what to run when the client is not built.
pub fn client_module(name: &str) -> String {
    let manifest = crate::workspace_root().join("www/pkg/manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap_or_else(|_| {
        panic!(
            "{} is missing: build the client with `cargo xtask build` (or run `cargo xtask test`)",
            manifest.display()
        )
    });
    let modules: serde_json::Value = serde_json::from_str(&text).expect("manifest.json");
    let js = modules[name]["js"]
        .as_str()
        .unwrap_or_else(|| panic!("{name} is not in {}", manifest.display()));
    format!("/pkg/{js}")
}

/// The linear memory of the client module `name` in `page`, in bytes (the
/// Rust heap: state, rows); the glue's init hands back the instance it
/// already made.
pub async fn wasm_memory_bytes(page: &Page, name: &str) -> f64 {
    eval(
        page,
        &format!(
            "import('{}').then((m) => m.default()).then((w) => w.memory.buffer.byteLength)",
            client_module(name)
        ),
    )
    .await
}

/// Every client module is built (a test's first line, so a missing build
/// says so instead of timing out on a blank page).
pub fn require_client() {
    client_module("examgate_client");
    client_module("examgate_checkin");
    client_module("examgate_staff");
}

/// One browser test at a time: on two cores, several Chromiums plus a relay
/// at once only make every test slower and timing-sensitive steps flaky.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Waits for the one browser this machine can drive well (2 cores) to be
/// free; the guard holds the turn.
pub(crate) async fn one_browser_at_a_time() -> tokio::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().await
}

/// Opens `url` in `page`, recording what its policy refuses
/// ([`csp_violations`]).
async fn open_recording_csp(page: Page, url: &str) -> Page {
    page.evaluate_on_new_document(RECORD_CSP_VIOLATIONS.to_string())
        .await
        .unwrap();
    page.goto(url).await.unwrap();
    page
}

/// Collects `securitypolicyviolation` events into `window.__cspViolations`.
const RECORD_CSP_VIOLATIONS: &str = "window.__cspViolations = [];\
    document.addEventListener('securitypolicyviolation', (e) =>\
    window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));";

/// What the page's Content-Security-Policy refused since it loaded
/// (`directive blocked-uri` each).
pub async fn csp_violations(page: &Page) -> Vec<String> {
    eval(page, "window.__cspViolations || ['recorder missing']").await
}

pub struct Chromium {
    pub browser: Browser,
    handler: tokio::task::JoinHandle<()>,
    _profile: tempfile::TempDir,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl Chromium {
    pub async fn launch() -> Chromium {
        let turn = one_browser_at_a_time().await;
        assert!(
            Path::new(CHROMIUM).exists(),
            "{CHROMIUM} is missing: run `cargo xtask test`, which installs Debian's chromium"
        );
        let profile = tempfile::tempdir().unwrap();
        let config = BrowserConfig::builder()
            .chrome_executable(CHROMIUM)
            .no_sandbox()
            .user_data_dir(profile.path())
            .window_size(1280, 900)
            .viewport(None)
            // chromiumoxide adds the leading dashes. Without the network
            // switches Chromium keeps calling home, which this machine refuses.
            .args([
                "disable-gpu",
                "disable-quic",
                "no-first-run",
                "disable-background-networking",
                "disable-component-update",
                "disable-sync",
                "disable-dev-shm-usage",
            ])
            .launch_timeout(Duration::from_secs(60))
            .request_timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let (browser, mut handler) = Browser::launch(config).await.expect("launch chromium");
        // The handler must be polled for the whole session.
        let handler = tokio::spawn(async move {
            while let Some(event) = handler.next().await {
                if event.is_err() {
                    // Unparsed events are harmless; keep polling.
                    continue;
                }
            }
        });
        Chromium {
            browser,
            handler,
            _profile: profile,
            _turn: turn,
        }
    }

    /// A page in a fresh browser context (its own storage), at `url`.
    /// Whatever the page's Content-Security-Policy refuses is recorded
    /// ([`csp_violations`]): a refused script or style is a broken page.
    pub async fn new_person(&self, url: &str) -> Page {
        open_recording_csp(self.blank_person().await, url).await
    }

    /// Like [`Chromium::new_person`], for a page whose service worker must
    /// run. chromiumoxide has every page auto-attach new targets paused
    /// until it resumes them, and a service worker started that way can stay
    /// paused, its `register()` pending for ever; this page attaches nothing.
    pub async fn new_person_with_service_worker(&self, url: &str) -> Page {
        let page = self.blank_person().await;
        let no_auto_attach = SetAutoAttachParams::builder()
            .auto_attach(false)
            .wait_for_debugger_on_start(false)
            .flatten(true)
            .build()
            .unwrap();
        page.execute(no_auto_attach).await.unwrap();
        open_recording_csp(page, url).await
    }

    /// A fresh browser context on `about:blank`, for a test that sets
    /// up the page (throttling, scripts) before it navigates.
    pub async fn blank_person(&self) -> Page {
        let context = self
            .browser
            .create_browser_context(CreateBrowserContextParams::default())
            .await
            .unwrap();
        let params = CreateTargetParams::builder()
            .url("about:blank")
            .browser_context_id(context)
            .build()
            .unwrap();
        self.browser.new_page(params).await.unwrap()
    }

    /// A page whose `navigator.usb` is the fake (`fake_usb.js`), run before
    /// any page script on every document. The fake reaches the software
    /// bridge on another port, which the page's `connect-src 'self'` would
    /// refuse; a real WebUSB transfer is not a fetch and the policy does not
    /// apply to it, so for this page alone the policy is bypassed.
    pub async fn new_person_with_fake_usb(&self, url: &str, fake_usb: &str) -> Page {
        let page = self.blank_person().await;
        page.execute(SetBypassCspParams::new(true)).await.unwrap();
        page.evaluate_on_new_document(fake_usb.to_string())
            .await
            .unwrap();
        page.goto(url).await.unwrap();
        page
    }

    pub async fn close(mut self) {
        let _ = self.browser.close().await;
        let _ = self.browser.wait().await;
        self.handler.abort();
    }
}

/// Evaluates `js` in the page.
pub async fn eval<T: DeserializeOwned>(page: &Page, js: &str) -> T {
    page.evaluate(js)
        .await
        .unwrap_or_else(|e| panic!("evaluate {js}: {e}"))
        .into_value()
        .unwrap_or_else(|e| panic!("value of {js}: {e}"))
}

/// Polls `js` (an expression) until it is `true`; returns how long it took.
pub async fn wait_for(page: &Page, js: &str, timeout: Duration) -> Duration {
    let start = Instant::now();
    loop {
        let ok = page
            .evaluate(js)
            .await
            .ok()
            .and_then(|v| v.into_value::<bool>().ok())
            .unwrap_or(false);
        if ok {
            return start.elapsed();
        }
        if start.elapsed() > timeout {
            let body: String = eval(page, "document.body ? document.body.innerText : ''").await;
            panic!("timed out after {timeout:?} waiting for `{js}`; page text:\n{body}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits for `selector` to exist, then clicks it with a real mouse event.
pub async fn click(page: &Page, selector: &str) {
    wait_for(
        page,
        &format!("!!document.querySelector({})", js_str(selector)),
        Duration::from_secs(20),
    )
    .await;
    page.find_element(selector)
        .await
        .unwrap_or_else(|e| panic!("find {selector}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click {selector}: {e}"));
}

/// Types `text` into the input `selector`: focuses it with a click, then
/// inserts the text as an input method does (Vietnamese letters such as "ễ"
/// have no key of their own; students type them through Telex or VNI).
pub async fn type_into(page: &Page, selector: &str, text: &str) {
    click(page, selector).await;
    insert_text(page, text).await;
}

/// Types `text` into whatever has the focus, as a keyboard would.
pub async fn insert_text(page: &Page, text: &str) {
    page.execute(InsertTextParams::new(text))
        .await
        .unwrap_or_else(|e| panic!("type {text:?}: {e}"));
}

/// Presses and releases `key` (a `KeyboardEvent.key`: "Tab", "Enter",
/// "Escape", " ", "ArrowLeft", "ArrowRight", a letter or a digit) the way a
/// keyboard does: to whatever has the focus, with the browser's own
/// default action (Tab moves the focus, Enter submits or presses).
/// `Shift+` before the key holds Shift with it ("Shift+Tab").
pub async fn press(page: &Page, key: &str) {
    // CDP's modifier bit for Shift.
    let (key, modifiers) = match key.strip_prefix("Shift+") {
        Some(key) => (key, 8),
        None => (key, 0),
    };
    let (code, key_code, text) = match key {
        "Tab" => ("Tab".to_owned(), 9, None),
        "Enter" => ("Enter".to_owned(), 13, Some("\r".to_owned())),
        "Escape" => ("Escape".to_owned(), 27, None),
        " " => ("Space".to_owned(), 32, Some(" ".to_owned())),
        "ArrowLeft" => ("ArrowLeft".to_owned(), 37, None),
        "ArrowRight" => ("ArrowRight".to_owned(), 39, None),
        k if k.len() == 1 && k.as_bytes()[0].is_ascii_alphanumeric() => {
            let c = k.as_bytes()[0].to_ascii_uppercase();
            let code = if c.is_ascii_digit() {
                format!("Digit{k}")
            } else {
                format!("Key{}", c as char)
            };
            (code, i64::from(c), Some(k.to_owned()))
        }
        other => panic!("press: no key {other:?}"),
    };
    let down = if text.is_some() {
        DispatchKeyEventType::KeyDown
    } else {
        DispatchKeyEventType::RawKeyDown
    };
    let mut event = DispatchKeyEventParams::builder()
        .key(key)
        .code(code)
        .windows_virtual_key_code(key_code)
        .native_virtual_key_code(key_code)
        .modifiers(modifiers);
    if let Some(text) = text {
        event = event.text(text);
    }
    for kind in [down, DispatchKeyEventType::KeyUp] {
        let params = event.clone().r#type(kind).build().unwrap();
        page.execute(params)
            .await
            .unwrap_or_else(|e| panic!("press {key:?}: {e}"));
    }
}

/// `s` as a JavaScript string literal.
pub fn js_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// The text of `selector`, or "" when absent.
pub async fn text_of(page: &Page, selector: &str) -> String {
    eval(
        page,
        &format!(
            "(document.querySelector({}) || {{innerText: ''}}).innerText",
            js_str(selector)
        ),
    )
    .await
}

/// Where test screenshots go: `target/e2e/`.
pub fn screenshot_dir() -> PathBuf {
    let dir = crate::workspace_root().join("target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub async fn screenshot(page: &Page, name: &str) -> PathBuf {
    let path = screenshot_dir().join(name);
    page.save_screenshot(ScreenshotParams::builder().full_page(true).build(), &path)
        .await
        .unwrap_or_else(|e| panic!("screenshot {name}: {e}"));
    path
}

/// Puts a file into `<input type=file>` as a person picking it would: the
/// input's `files` set, then its `change` event.
pub async fn pick_file(page: &Page, selector: &str, name: &str, bytes: &[u8]) {
    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
    let ok: bool = eval(
        page,
        &format!(
            "(() => {{
                const input = document.querySelector({sel});
                const bin = atob({b64});
                const data = new Uint8Array(bin.length);
                for (let i = 0; i < bin.length; i++) data[i] = bin.charCodeAt(i);
                const dt = new DataTransfer();
                dt.items.add(new File([data], {name}));
                input.files = dt.files;
                input.dispatchEvent(new Event('change', {{ bubbles: true }}));
                return true;
            }})()",
            sel = js_str(selector),
            b64 = js_str(&b64),
            name = js_str(name)
        ),
    )
    .await;
    assert!(ok);
}

/// Empties an input, then types `text` into it.
pub async fn fill(page: &Page, selector: &str, text: &str) {
    let _: bool = eval(
        page,
        &format!(
            "(document.querySelector({}).value = '', true)",
            js_str(selector)
        ),
    )
    .await;
    type_into(page, selector, text).await;
}

/// A JavaScript expression describing how the MathML inside `selector` is
/// laid out, the same in every browser: how many `<math>` elements, how
/// many are in the MathML namespace and drawn with a size, how many
/// fractions, and how many of those have their numerator above their
/// denominator — which only a browser that lays out MathML does (one that
/// does not shows "x2−4x−2" on one line).
pub fn mathml_layout_js(selector: &str) -> String {
    format!(
        r"(() => {{
            const root = document.querySelector({root});
            const maths = root ? [...root.querySelectorAll('math')] : [];
            const fractions = root ? [...root.querySelectorAll('mfrac')] : [];
            const box = (e) => e.getBoundingClientRect();
            return {{
                maths: maths.length,
                in_mathml_namespace: maths.filter((m) => m.namespaceURI === 'http://www.w3.org/1998/Math/MathML').length,
                drawn: maths.filter((m) => box(m).width > 0 && box(m).height > 0).length,
                fractions: fractions.length,
                stacked: fractions.filter((f) => f.children.length === 2
                    && box(f.children[0]).bottom <= box(f.children[1]).top + 1).length,
            }};
        }})()",
        root = js_str(selector)
    )
}

/// What [`mathml_layout_js`] reports.
#[derive(Debug, serde::Deserialize)]
pub struct MathmlLayout {
    pub maths: usize,
    pub in_mathml_namespace: usize,
    pub drawn: usize,
    pub fractions: usize,
    pub stacked: usize,
}

impl MathmlLayout {
    /// Every formula is MathML, drawn, and every fraction stacked.
    pub fn assert_laid_out(&self, browser: &str) {
        assert!(
            self.maths > 0 && self.fractions > 0,
            "{browser}: no formula to check: {self:?}"
        );
        assert_eq!(self.in_mathml_namespace, self.maths, "{browser}: {self:?}");
        assert_eq!(self.drawn, self.maths, "{browser}: {self:?}");
        assert_eq!(self.stacked, self.fractions, "{browser}: {self:?}");
    }
}
