//! The page itself: the static files under `www/`, how long browsers keep
//! them, and the security headers every response carries.
//!
//! - Files are sent precompressed (`<file>.br`, `<file>.gz`, written by
//!   `cargo xtask build`) when the browser accepts it; nothing is compressed
//!   per request.
//! - `/pkg/<module>-<16 hex>.js` and `…_bg.wasm` carry their content hash:
//!   kept a year, `immutable`. Everything else static (`index.html`,
//!   `boot.js`, `style.css`) is `no-cache`: revalidated with
//!   `If-Modified-Since`, a 304 when unchanged. API answers are `no-store`:
//!   papers, marks and personal data stay out of shared and disk caches.
//! - A missing `/pkg/` file is a 404, never the single page's `index.html`
//!   (a stale `boot.js` must not be handed HTML as JavaScript, let alone
//!   cached for a year). Other unknown paths are the single page, in the
//!   copy that preloads the module the path needs: `checkin.html` under
//!   `/checkin`, `staff.html` under the staff pages ([`STAFF_PAGES`]),
//!   `index.html` (the students' name-join module) everywhere else. `boot.js`
//!   picks the module by the same paths.
//! - The Content-Security-Policy lets the page run only the relay's own
//!   scripts and wasm (`'wasm-unsafe-eval'` for the module, no inline script
//!   or style), talk only to its own origin, and never be framed.

use std::path::Path;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// The page's policy. `img-src data: blob:`: question pictures are `data:`
/// URLs and the chip photo a blob fetched with the proctor's token.
/// `connect-src 'self'` covers the WebSockets of the same host.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
     script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self'; \
     img-src 'self' data: blob:; \
     connect-src 'self'; \
     object-src 'none'; \
     base-uri 'none'; \
     form-action 'self'; \
     frame-ancestors 'none'";

/// WebUSB for the card reader's bridge on this origin; nothing else.
const PERMISSIONS_POLICY: &str =
    "usb=(self), camera=(), microphone=(), geolocation=(), payment=(), display-capture=()";

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";
const NO_STORE: &str = "no-store";

/// The staff pages' paths (and everything under them): the page that
/// preloads the staff module. `client/web/boot.js` names the same.
pub const STAFF_PAGES: [&str; 4] = ["/proctor", "/results", "/office", "/bank"];

/// The static files: `/pkg/` strictly, the card room's and the staff
/// pages' copies of the page at their paths, everything else with the
/// students' page as fallback.
pub fn static_files<S: Clone + Send + Sync + 'static>(www: &Path) -> Router<S> {
    let pkg = ServeDir::new(www.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    // A `www/` built before the page had a copy per module has only
    // `index.html`: every path gets it (boot.js still picks by path).
    let page = |file: &str| {
        let file = if www.join(file).exists() {
            file
        } else {
            "index.html"
        };
        ServeFile::new(www.join(file))
            .precompressed_br()
            .precompressed_gzip()
    };
    let rest = ServeDir::new(www)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(page("index.html"));
    let mut router = Router::new()
        .nest_service("/pkg", pkg)
        .nest_service("/checkin", page("checkin.html"));
    for staff in STAFF_PAGES {
        router = router.nest_service(staff, page("staff.html"));
    }
    router.fallback_service(rest)
}

/// The security headers and the cache policy, around the whole router.
pub fn harden<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let headers: [(HeaderName, &'static str); 6] = [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        // For browsers older than frame-ancestors.
        (header::X_FRAME_OPTIONS, "DENY"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            PERMISSIONS_POLICY,
        ),
    ];
    let mut router = router.layer(axum::middleware::from_fn(cache_policy));
    for (name, value) in headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router
}

/// `Cache-Control` by path, where the handler set none.
async fn cache_policy(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    if response.headers().contains_key(header::CACHE_CONTROL) {
        return response;
    }
    let status = response.status();
    let policy = if path.starts_with("/api/") {
        NO_STORE
    } else if (status.is_success() || status == axum::http::StatusCode::NOT_MODIFIED)
        && is_hashed_module(&path)
    {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    response
}

/// `/pkg/<name>-<16 hex digits>.js` or `…_bg.wasm`, as `cargo xtask build`
/// names them.
pub fn is_hashed_module(path: &str) -> bool {
    let Some(file) = path.strip_prefix("/pkg/") else {
        return false;
    };
    let Some(stem) = file
        .strip_suffix("_bg.wasm")
        .or_else(|| file.strip_suffix(".js"))
    else {
        return false;
    };
    let Some((name, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    !name.is_empty()
        && !name.contains('/')
        && hash.len() == 16
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    const MODULE: &str = "examgate_client-0123456789abcdef";

    /// A `www/` as `cargo xtask build` leaves it, in miniature.
    fn www() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("pkg");
        std::fs::create_dir(&pkg).unwrap();
        std::fs::write(dir.path().join("index.html"), "<!doctype html>page").unwrap();
        std::fs::write(dir.path().join("index.html.br"), "BR(page)").unwrap();
        std::fs::write(dir.path().join("index.html.gz"), "GZ(page)").unwrap();
        for copy in ["checkin", "staff"] {
            let file = dir.path().join(format!("{copy}.html"));
            std::fs::write(&file, format!("<!doctype html>{copy} page")).unwrap();
            std::fs::write(file.with_extension("html.br"), format!("BR({copy} page)")).unwrap();
        }
        std::fs::write(pkg.join(format!("{MODULE}.js")), "export {}").unwrap();
        std::fs::write(pkg.join(format!("{MODULE}.js.br")), "BR(js)").unwrap();
        std::fs::write(pkg.join(format!("{MODULE}_bg.wasm")), b"\0asm").unwrap();
        std::fs::write(pkg.join("boot.js"), "import('/pkg/x.js')").unwrap();
        dir
    }

    fn app(www: &Path) -> Router {
        harden(
            Router::new()
                .route("/api/thing", axum::routing::get(|| async { "json" }))
                .merge(static_files(www)),
        )
    }

    async fn get(
        app: &Router,
        path: &str,
        accept: &str,
    ) -> (StatusCode, header::HeaderMap, String) {
        let request = Request::get(path)
            .header(header::ACCEPT_ENCODING, accept)
            .body(Body::empty())
            .unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let (parts, body) = response.into_parts();
        let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
        (
            parts.status,
            parts.headers,
            String::from_utf8_lossy(&bytes).into(),
        )
    }

    fn value(headers: &header::HeaderMap, name: impl header::AsHeaderName) -> &str {
        headers.get(name).map_or("", |v| v.to_str().unwrap())
    }

    #[tokio::test]
    async fn the_page_is_sent_precompressed_and_revalidated() {
        let dir = www();
        let app = app(dir.path());
        let (status, headers, body) = get(&app, "/", "gzip, deflate, br").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, "BR(page)");
        assert_eq!(value(&headers, header::CONTENT_ENCODING), "br");
        assert_eq!(value(&headers, header::CACHE_CONTROL), REVALIDATE);
        assert!(value(&headers, header::VARY).contains("accept-encoding"));
        let (_, headers, body) = get(&app, "/", "gzip").await;
        assert_eq!(
            (body.as_str(), value(&headers, header::CONTENT_ENCODING)),
            ("GZ(page)", "gzip")
        );
        let (_, headers, body) = get(&app, "/", "identity").await;
        assert_eq!(body, "<!doctype html>page");
        assert_eq!(value(&headers, header::CONTENT_ENCODING), "");
        // The single page's other paths: the copy that preloads their
        // module, revalidated like the page.
        for (path, page) in [
            ("/office/plan", "BR(staff page)"),
            ("/proctor", "BR(staff page)"),
            ("/bank/", "BR(staff page)"),
            ("/results/7", "BR(staff page)"),
            ("/checkin", "BR(checkin page)"),
            ("/checkin?code=ABC123", "BR(checkin page)"),
            ("/somewhere", "BR(page)"),
            ("/officer", "BR(page)"),
        ] {
            let (status, headers, body) = get(&app, path, "br").await;
            assert_eq!((status, body.as_str()), (StatusCode::OK, page), "{path}");
            assert_eq!(value(&headers, header::CACHE_CONTROL), REVALIDATE, "{path}");
        }
    }

    #[tokio::test]
    async fn a_www_without_the_pages_copies_serves_the_page_everywhere() {
        let dir = www();
        for copy in [
            "checkin.html",
            "checkin.html.br",
            "staff.html",
            "staff.html.br",
        ] {
            std::fs::remove_file(dir.path().join(copy)).unwrap();
        }
        let app = app(dir.path());
        for path in ["/checkin", "/proctor", "/"] {
            let (status, _, body) = get(&app, path, "br").await;
            assert_eq!(
                (status, body.as_str()),
                (StatusCode::OK, "BR(page)"),
                "{path}"
            );
        }
    }

    #[tokio::test]
    async fn hashed_modules_are_kept_a_year_and_a_missing_one_is_not_the_page() {
        let dir = www();
        let app = app(dir.path());
        let (status, headers, body) = get(&app, &format!("/pkg/{MODULE}.js"), "br").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "BR(js)"));
        assert_eq!(value(&headers, header::CACHE_CONTROL), IMMUTABLE);
        assert!(value(&headers, header::CONTENT_TYPE).contains("javascript"));
        let (status, headers, _) = get(&app, &format!("/pkg/{MODULE}_bg.wasm"), "br").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(value(&headers, header::CONTENT_TYPE), "application/wasm");
        assert_eq!(value(&headers, header::CACHE_CONTROL), IMMUTABLE);
        // boot.js names the modules: revalidated every time.
        let (_, headers, _) = get(&app, "/pkg/boot.js", "br").await;
        assert_eq!(value(&headers, header::CACHE_CONTROL), REVALIDATE);
        // An old build's module: 404, not index.html, and not cached.
        let (status, headers, body) =
            get(&app, "/pkg/examgate_client-ffffffffffffffff.js", "br").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!body.contains("page"));
        assert_eq!(value(&headers, header::CACHE_CONTROL), REVALIDATE);
    }

    #[tokio::test]
    async fn every_response_carries_the_security_headers_and_the_api_is_never_stored() {
        let dir = www();
        let app = app(dir.path());
        for path in [
            "/",
            "/proctor",
            &format!("/pkg/{MODULE}.js"),
            "/api/thing",
            "/pkg/nothing",
        ] {
            let (_, headers, _) = get(&app, path, "").await;
            let csp = value(&headers, header::CONTENT_SECURITY_POLICY);
            for directive in [
                "script-src 'self' 'wasm-unsafe-eval';",
                "style-src 'self';",
                "frame-ancestors 'none'",
                "object-src 'none'",
            ] {
                assert!(
                    csp.contains(directive),
                    "{path}: {directive} missing from {csp}"
                );
            }
            assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
            assert_eq!(
                value(&headers, header::X_CONTENT_TYPE_OPTIONS),
                "nosniff",
                "{path}"
            );
            assert_eq!(
                value(&headers, header::REFERRER_POLICY),
                "no-referrer",
                "{path}"
            );
            assert_eq!(value(&headers, header::X_FRAME_OPTIONS), "DENY", "{path}");
        }
        let (_, headers, _) = get(&app, "/api/thing", "").await;
        assert_eq!(value(&headers, header::CACHE_CONTROL), NO_STORE);
    }

    #[test]
    fn only_names_with_a_content_hash_are_immutable() {
        assert!(is_hashed_module(&format!("/pkg/{MODULE}.js")));
        assert!(is_hashed_module(&format!("/pkg/{MODULE}_bg.wasm")));
        for path in [
            "/pkg/boot.js",
            "/pkg/manifest.json",
            "/pkg/examgate_client.js",
            "/pkg/examgate_client-0123456789ABCDEF.js",
            "/pkg/examgate_client-0123456789abcde.js",
            "/pkg/-0123456789abcdef.js",
            "/pkg/a/b-0123456789abcdef.js",
            "/examgate_client-0123456789abcdef.js",
            "/pkg/examgate_client-0123456789abcdef.css",
        ] {
            assert!(!is_hashed_module(path), "{path}");
        }
    }
}
