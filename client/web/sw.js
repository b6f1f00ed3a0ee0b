// The student page's service worker: a reload while the school's network
// is down still opens the exam. The page keeps the paper, the answers and
// the unsent outbox in localStorage already; what a reload lacks offline is
// the page itself (index.html, boot.js, the module, the stylesheet), and
// this worker keeps a copy of exactly that. It is a template: `cargo xtask
// build` writes it to www/sw.js with this build's names, so a new build is a
// new worker that replaces the old copy.
//
// - The page (`/`, and `/checkin`'s own copy in card rooms), boot.js and
//   the stylesheets: kept at install; then the
//   network first (a new build is seen at once), the copy when the network
//   fails or hangs past NETWORK_WAIT_MS.
// - The module: only the one this computer's page uses (the name-join
//   module at `/`, the card-room module at `/checkin`), so installing the
//   worker costs no download (the browser has it cached already, for a
//   year) and a room without readers never fetches the card code. Hashed
//   names never change: from the copy, else the network (then kept).
// - Only the students' pages are served: requests from staff pages, /api/
//   and the WebSockets always go to the relay.

const BUILD = '@BUILD@';
const CACHE = `examgate-page-${BUILD}`;
const SHELL = ['/', '/pkg/boot.js', '/style.css', '/noscript.css'];
const STUDENT = ['/pkg/@STUDENT_JS@', '/pkg/@STUDENT_WASM@'];
const CHECKIN = ['/pkg/@CHECKIN_JS@', '/pkg/@CHECKIN_WASM@'];
const MODULES = [...STUDENT, ...CHECKIN];
// The students' pages: `/` (name-join rooms) and `/checkin` (card rooms).
const STUDENT_PAGE = /^\/(checkin\/?)?$/;
const CARD_PAGE = /^\/checkin\/?$/;
const NETWORK_WAIT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    // The module of each student page open now (the one that registered
    // this worker among them).
    const pages = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const modules = new Set();
    for (const page of pages) {
      const path = new URL(page.url).pathname;
      if (STUDENT_PAGE.test(path)) {
        // A card room's page is its own copy (it preloads the card module).
        (CARD_PAGE.test(path) ? ['/checkin', ...CHECKIN] : STUDENT)
          .forEach((file) => modules.add(file));
      }
    }
    const cache = await caches.open(CACHE);
    await cache.addAll([...SHELL, ...modules]);
    await self.skipWaiting();
  })());
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
    // Each student path has its copy of the page (preloading its module).
    if (STUDENT_PAGE.test(url.pathname)) {
      event.respondWith(networkFirst(request, CARD_PAGE.test(url.pathname) ? '/checkin' : '/'));
    }
    return;
  }
  const ours = MODULES.includes(url.pathname) || SHELL.includes(url.pathname);
  if (!ours) {
    return;
  }
  event.respondWith((async () => {
    // A staff page's boot.js or stylesheet comes from the relay, never from
    // the students' copy (after an upgrade it would name a gone module).
    if (!(await fromStudentPage(event))) {
      return fetch(request);
    }
    if (MODULES.includes(url.pathname)) {
      return (await caches.match(request)) || keep(request, url.pathname);
    }
    return networkFirst(request, url.pathname);
  })());
});

// Whether the request comes from one of the students' pages.
async function fromStudentPage(event) {
  const client = event.clientId && await self.clients.get(event.clientId);
  return !!client && STUDENT_PAGE.test(new URL(client.url).pathname);
}

// A module from the network, kept for the next offline reload.
async function keep(request, key) {
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(key, response.clone());
  }
  return response;
}

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
  // No card room's page was open when this worker installed, so it kept no
  // copy of /checkin: the students' page is the same app (boot.js picks
  // the module by path; offline, the card module only if it was kept).
  const copy = (await cache.match(key)) || (key === '/checkin' && await cache.match('/'));
  return copy || network;
}
