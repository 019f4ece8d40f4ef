// CISP Parcours service worker, at the root scope.
// - Pages: network first; when the network is gone, the copy this phone last saw, else the
//   offline screen. Pages are prerendered without personal data: caching them leaks nothing.
// - Built files (/assets/*, hashed names): cache first; a new version brings new names.
// - The page tells which screens to keep for its language (the trainee's screens and sign-in):
//   they are fetched with the built files they name, so they all open offline.
// - Backend paths are never cached.
// The page registers this worker as /sw.js?v=<digest of the app's files>: a new version of the
// app is a new worker with a new cache, and the old cache goes when it takes over.
const VERSION = "3-" + (new URL(self.location.href).searchParams.get("v") || "dev");
const CACHE = "cisp-shell-" + VERSION;
const OFFLINE = "/offline.html";
const SHELL = [OFFLINE, "/cisp.css", "/icon-192.png", "/favicon.svg"];
// The server varies its answers on Origin and Accept-Encoding; a kept file is the same file
// whichever way it was asked for (a page's module request sends Origin, our own fetch not).
const ANY = { ignoreVary: true };
// Voice messages (/voice/<id>) are personal and answered only with the session: never kept.
// So are the photos of her certificates (/certificate/<id>): health data.
// Shared passports and badges (/badges/...) must show a withdrawal at once: never kept either.
// The hours' files (/exports/...) are personal and made on demand: never kept.
const NEVER = ["/_event", "/_upload", "/ping", "/_health", "/_all_routes", "/_backend", "/voice", "/certificate", "/badges",
  "/exports"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  // A new version replaces the old one whole: older caches go.
  event.waitUntil(dropOldCaches().then(() => self.clients.claim()));
});

// The screens of one language, with every built file their HTML names.
const SCREEN = /^\/[a-z]{2}\/([a-z-]+\/)?$/;
const ASSET = /(?:href|src)="(\/assets\/[^"?#]+)"/g;

// A worker replaced by a newer version stops keeping files: its cache is gone for good.
const replaced = () => self.serviceWorker && self.serviceWorker.state === "redundant";
const dropOldCaches = () => caches.keys().then((keys) => Promise.all(
  keys.filter((k) => k.startsWith("cisp-shell-") && k !== CACHE).map((k) => caches.delete(k))));

async function keepScreens(paths) {
  // The active worker is the newest: anything an older one left behind goes.
  if (self.serviceWorker && self.serviceWorker.state === "activated") await dropOldCaches();
  const cache = await caches.open(CACHE);
  for (const path of paths.filter((p) => typeof p === "string" && SCREEN.test(p))) {
    try {
      if (replaced() || await cache.match(path, ANY)) continue; // opened online since: kept fresh
      const response = await fetch(path, { credentials: "same-origin" });
      if (!response.ok || replaced()) continue;
      const html = await response.clone().text();
      await cache.put(path, response);
      const assets = [...new Set([...html.matchAll(ASSET)].map((m) => m[1]))];
      await Promise.all(assets.map((asset) => cache.match(asset, ANY).then((hit) => hit || fetch(asset).then((r) => {
        if (r.ok && !replaced()) return cache.put(asset, r);
      }))));
    } catch (e) {
      // No network now: the next page opened online asks again.
    }
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "keep-screens" && Array.isArray(data.paths)) event.waitUntil(keepScreens(data.paths.slice(0, 20)));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (NEVER.some((path) => url.pathname.startsWith(path))) return;

  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
          }
          return response;
        })
        .catch(() => caches.open(CACHE).then((cache) =>
          cache.match(url.pathname, ANY).then((hit) => hit || cache.match(OFFLINE, ANY)))),
    );
    return;
  }
  if (url.pathname.startsWith("/assets/") || SHELL.includes(url.pathname)) {
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match(request, ANY).then((hit) => hit || fetch(request).then((response) => {
        if (response.ok) cache.put(request, response.clone());
        return response;
      }))),
    );
  }
});

// Push notifications (issue 6): the server sends neutral words only, already in the person's
// language ("Nouveau message"), and the screen to open; never a message, never a name.
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  const url = typeof data.url === "string" && data.url.startsWith("/") ? data.url : "/";
  event.waitUntil(self.registration.showNotification(data.title || "CISP Parcours", {
    body: data.body || "",
    icon: "/icon-192.png",
    badge: "/icon-192.png",
    tag: data.tag || "cisp",
    renotify: true,
    lang: data.lang || "",
    dir: data.dir === "rtl" ? "rtl" : "auto",
    data: { url },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  // Only a path of this app: a tap opens this site, never another one.
  const target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const same = windows.find((w) => new URL(w.url).pathname === target.pathname);
      if (same) return same.focus();
      if (windows[0]) return windows[0].focus().then((w) => w.navigate(target.href))
        .catch(() => self.clients.openWindow(target.href));
      return self.clients.openWindow(target.href);
    }),
  );
});
