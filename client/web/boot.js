// The page's one script (www/index.html loads it as /pkg/boot.js). It is a
// template: `cargo xtask build` writes it into www/pkg/ with the
// content-hashed module names filled in, so the modules can be cached for a
// year and this file (a few hundred bytes) is what revalidates. It is a file,
// not an inline script, so the Content-Security-Policy allows only the
// relay's own scripts.
//
// Students in name-join rooms load the smallest module; card rooms
// (`/checkin`) load the one with the chip-ID card reader; staff pages
// (proctors' room tables and the central view, results, the exam office, the
// question bank) load the staff one. No proctor code travels to a student's
// PC, and no card code to a room without readers.

const STUDENT = { js: '/pkg/@STUDENT_JS@', wasm: '/pkg/@STUDENT_WASM@' };
const CHECKIN = { js: '/pkg/@CHECKIN_JS@', wasm: '/pkg/@CHECKIN_WASM@' };
const STAFF = { js: '/pkg/@STAFF_JS@', wasm: '/pkg/@STAFF_WASM@' };

const path = location.pathname;
const under = (page) => path === page || path.startsWith(page + '/');
// The relay serves each of these paths the copy of the page that preloads
// the same module (relay/src/web.rs, STAFF_PAGES and /checkin).
const staff = under('/proctor') || under('/results') || under('/office') || under('/bank');
const module = staff ? STAFF : under('/checkin') ? CHECKIN : STUDENT;

// Adds a stylesheet; settles when it has loaded or failed (a page without
// it is plain, not broken).
function stylesheet(href) {
  return new Promise((settled) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = href;
    link.onload = link.onerror = settled;
    document.head.append(link);
  });
}

async function boot() {
  // The wasm is fetched alongside its glue, not after it: one round trip less
  // on a school's slow line (150 ms at 1.6 Mbit/s).
  const wasm = fetch(module.wasm);

  // The demo's software card reader (relay started with --demo-reader): a fake
  // navigator.usb, loaded before the app so the app finds it.
  if (new URLSearchParams(location.search).has('demo-reader')) {
    await new Promise((loaded) => {
      const script = document.createElement('script');
      script.src = '/demo/reader.js';
      script.onload = script.onerror = loaded;
      document.head.append(script);
    });
  }

  // Staff pages' own rules (staff.css): students never download them.
  const styled = staff ? stylesheet('/staff.css') : Promise.resolve();

  const app = await import(module.js);
  await app.default({ module_or_path: wasm });
  await styled;
  app.run();

  // Students' pages keep a copy of themselves (client/web/sw.js, written to
  // /sw.js per build) so a reload with the network down still opens the
  // exam. Browsers allow it only in a secure context (HTTPS or localhost);
  // elsewhere the page works as before, online.
  if (!staff && 'serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js')
      .catch((e) => console.warn('examgate: no offline copy of the page', e));
  }
}

// The page could not start: a browser too old for the page's policy (it lets
// WebAssembly run only where 'wasm-unsafe-eval' is understood: Chrome 97,
// Firefox 102, Safari 16), or the module did not arrive. Either way the
// student reads what to do instead of "Loading…" for ever.
boot().catch((error) => {
  console.error('examgate: the page could not start', error);
  const refused = typeof WebAssembly !== 'object'
    || error instanceof WebAssembly.CompileError
    || /unsafe-eval|Content Security Policy/i.test(String(error));
  const texts = refused
    ? [
      ['vi', 'Trình duyệt này không mở được trang thi. Hãy dùng Chrome, Edge hoặc Firefox bản mới.'],
      ['en', 'This browser cannot open the exam page. Use a recent Chrome, Edge or Firefox.'],
    ]
    : [
      ['vi', 'Không tải được trang thi. Hãy kiểm tra mạng rồi tải lại trang.'],
      ['en', 'The exam page did not load. Check the network and reload the page.'],
    ];
  const app = document.getElementById('app');
  app.textContent = '';
  for (const [lang, text] of texts) {
    const p = document.createElement('p');
    p.className = 'boot error';
    p.lang = lang;
    p.setAttribute('role', 'alert');
    p.textContent = text;
    app.append(p);
  }
});
