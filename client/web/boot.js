// The page's one script (www/index.html loads it as /pkg/boot.js). It is a
// template: `cargo xtask build` writes it into www/pkg/ with the
// content-hashed module names filled in, so the modules can be cached for a
// year and this file (a few hundred bytes) is what revalidates. It is a file,
// not an inline script, so the Content-Security-Policy allows only the
// relay's own scripts.
//
// Students load the small module; staff pages (proctors' room tables and
// the central view, results, the exam office, the question bank) load the
// staff one, so no proctor code travels to a student's PC.

const STUDENT_MODULE = '/pkg/@STUDENT_MODULE@';
const STAFF_MODULE = '/pkg/@STAFF_MODULE@';

const path = location.pathname;
const under = (page) => path === page || path.startsWith(page + '/');
const staff = under('/proctor') || under('/results') || under('/office') || under('/bank');

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

const app = await import(staff ? STAFF_MODULE : STUDENT_MODULE);
await app.default();
app.run();
