// The student page's service worker: a reload while the school's network
// is down still opens the exam. The page keeps the paper, the answers and
// the unsent outbox in localStorage already; what a reload lacks offline is
// the page itself (index.html, boot.js, the module, the stylesheet), and
// this worker keeps a copy of exactly that. It is a template: `cargo xtask
// build` writes it to www/sw.js with this build's names, so a new build is a
// new worker that replaces the old copy.
//
// - The hashed module files never change: from the copy, else the network.
// - The page, boot.js and the stylesheet: the network first (a new build is
//   seen at once), the copy when the network fails or hangs past
//   NETWORK_WAIT_MS.
// - Nothing else is touched: /api/ and the WebSockets always go to the relay,
//   and staff pages are never answered from the copy.

const BUILD = '@BUILD@';
const CACHE = `examgate-page-${BUILD}`;
const SHELL = [
  '/', '/pkg/boot.js', '/style.css', '/noscript.css',
  '/pkg/@STUDENT_JS@', '/pkg/@STUDENT_WASM@', '/pkg/@CHECKIN_JS@', '/pkg/@CHECKIN_WASM@',
];
// The students' pages: `/` (name-join rooms) and `/checkin` (card rooms).
// Staff pages are never served from the copy.
const STUDENT_PAGE = /^\/(checkin\/?)?$/;
const NETWORK_WAIT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith('examgate-page-') && name !== CACHE)
          .map((name) => caches.delete(name)),
      ))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === 'navigate') {
    // Both student paths are the same single page (boot.js picks the module).
    if (STUDENT_PAGE.test(url.pathname)) {
      event.respondWith(networkFirst(request, '/'));
    }
  } else if (/^\/pkg\/[A-Za-z0-9_]+-[0-9a-f]{16}(\.js|_bg\.wasm)$/.test(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname));
  }
});

// The network's answer, kept as the copy under `key`; the copy when the
// network fails, errs or takes longer than NETWORK_WAIT_MS.
async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then((response) => {
    if (response.ok) {
      cache.put(key, response.clone());
    }
    return response;
  });
  // Settled later or never looked at again once the copy answered.
  network.catch(() => {});
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_WAIT_MS));
  try {
    const first = await Promise.race([network, timeout]);
    if (first && first.ok) {
      return first;
    }
  } catch (_) {
    // Offline: fall through to the copy.
  }
  const copy = await cache.match(key);
  return copy || network;
}
