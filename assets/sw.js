// CISP Parcours service worker, at the root scope.
// - Pages: network first; when the network is gone, the copy this phone last saw, else the
//   offline screen. Pages are prerendered without personal data: caching them leaks nothing.
// - Built files (/assets/*, hashed names): cache first; a new version brings new names.
// - Backend paths are never cached.
const VERSION = "2";
const CACHE = "cisp-shell-" + VERSION;
const OFFLINE = "/offline.html";
const SHELL = [OFFLINE, "/cisp.css", "/icon-192.png", "/manifest.webmanifest", "/favicon.svg"];
const NEVER = ["/_event", "/_upload", "/ping", "/_health", "/_all_routes", "/_backend"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  // A new version replaces the old one whole: older caches go.
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("cisp-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
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
          cache.match(url.pathname).then((hit) => hit || cache.match(OFFLINE)))),
    );
    return;
  }
  if (url.pathname.startsWith("/assets/") || SHELL.includes(url.pathname)) {
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match(request).then((hit) => hit || fetch(request).then((response) => {
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
