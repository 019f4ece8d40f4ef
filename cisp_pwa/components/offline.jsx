// Offline, on the trainee's phone.
// - A copy of what each screen last showed, kept in localStorage, readable with no network and
//   marked "hors ligne" (OfflineCopy).
// - Drafts: a message, a voice message or a self-assessment made offline waits in an outbox on
//   the phone and is sent once the connection is back, in the order it was made; its id is made
//   here, so sending it again keeps it once on the server (Outbox). A voice message's place in
//   the outbox is a small entry like the others; its recording waits in IndexedDB (a blob,
//   which localStorage cannot hold) and goes over HTTP (POST /voice), the others by the socket.
// - At sign-out all of it goes (forget); when a session ends by itself, the copies go and the
//   drafts wait for the same person to sign in again (the server refuses them for anyone else).
import React, { useContext, useEffect, useRef, useState } from "react";
import { useLocation, useNavigate } from "react-router";
// Reflex's own JavaScript, and its window.__reflex_otel hook below: not its documented API, so each
// is listed and checked when the app starts (cisp_pwa/reflex_internals.py).
import { EventLoopContext } from "$/utils/context";
import { getBackendURL } from "$/utils/state";
import env from "$/env.json";
import { ReadAloud } from "$/public/external/cisp_pwa/components/reach/reach.jsx";
// The pictograms of the live screens (cisp_pwa/words.py), one module each as Reflex does.
import Sprout from "lucide-react/dist/esm/icons/sprout.mjs";
import HandHelping from "lucide-react/dist/esm/icons/hand-helping.mjs";
import UserCheck from "lucide-react/dist/esm/icons/user-check.mjs";
import Presentation from "lucide-react/dist/esm/icons/presentation.mjs";
import Hourglass from "lucide-react/dist/esm/icons/hourglass.mjs";
import Footprints from "lucide-react/dist/esm/icons/footprints.mjs";
import CircleCheck from "lucide-react/dist/esm/icons/circle-check.mjs";
import CircleSlash from "lucide-react/dist/esm/icons/circle-slash.mjs";
import CircleDot from "lucide-react/dist/esm/icons/circle-dot.mjs";
import Briefcase from "lucide-react/dist/esm/icons/briefcase.mjs";
import GraduationCap from "lucide-react/dist/esm/icons/graduation-cap.mjs";
import House from "lucide-react/dist/esm/icons/house.mjs";
import HeartPulse from "lucide-react/dist/esm/icons/heart-pulse.mjs";
import Bus from "lucide-react/dist/esm/icons/bus.mjs";
import Wallet from "lucide-react/dist/esm/icons/wallet.mjs";
import Languages from "lucide-react/dist/esm/icons/languages.mjs";
import Smartphone from "lucide-react/dist/esm/icons/smartphone.mjs";
import FileText from "lucide-react/dist/esm/icons/file-text.mjs";
import Brain from "lucide-react/dist/esm/icons/brain.mjs";
import Landmark from "lucide-react/dist/esm/icons/landmark.mjs";
import ShoppingBasket from "lucide-react/dist/esm/icons/shopping-basket.mjs";
import Baby from "lucide-react/dist/esm/icons/baby.mjs";
import Drama from "lucide-react/dist/esm/icons/drama.mjs";
import Phone from "lucide-react/dist/esm/icons/phone.mjs";
import MapPin from "lucide-react/dist/esm/icons/map-pin.mjs";
import CircleX from "lucide-react/dist/esm/icons/circle-x.mjs";
import PhoneCall from "lucide-react/dist/esm/icons/phone-call.mjs";
import CalendarCheck from "lucide-react/dist/esm/icons/calendar-check.mjs";
import Flag from "lucide-react/dist/esm/icons/flag.mjs";
import Undo2 from "lucide-react/dist/esm/icons/undo-2.mjs";
import WifiOff from "lucide-react/dist/esm/icons/wifi-off.mjs";
import Clock from "lucide-react/dist/esm/icons/clock.mjs";

const COPY = "cisp_copy_";     // + screen name: what that screen last showed
const OUTBOX = "cisp_outbox";  // drafts waiting to be sent, oldest first
const OWNER = "cisp_owner";    // whose copies and drafts these are (an account id)
const SESSION = "cisp_session";
const CHANGED = "cisp-outbox-changed";
const SHELL_CACHE = "cisp-shell-"; // the service worker's pages: prerendered, nothing personal
const VOICE_DB = "cisp-voice";     // IndexedDB: the recordings of voice drafts, by draft id
const RECORDINGS = "recordings";

function read(key, fallback) {
  try {
    const raw = window.localStorage.getItem(key);
    return raw ? JSON.parse(raw) : fallback;
  } catch (e) {
    return fallback;
  }
}

function write(key, value) {
  try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or off */ }
}

export function newId() {
  if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
  const b = window.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** "1:05" for 65 000 ms: the length of a recording. */
export function clock(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** The session token, as the socket reads it: voice requests carry it in a header. */
export function sessionToken() {
  try {
    const raw = window.localStorage.getItem(SESSION) || "";
    return raw.startsWith("\"") ? JSON.parse(raw) : raw;
  } catch (e) {
    return "";
  }
}

export function voiceURL(path) {
  return new URL(path, getBackendURL(env.UPLOAD)).toString();
}

/** Send one recording (endpoints/voice.py): { status, error } from the server, or null when the
 *  network failed. The same id sent again lands once. */
export async function uploadVoice({ trainee, id, blob, ms }) {
  try {
    const response = await fetch(voiceURL(`/voice?trainee=${encodeURIComponent(trainee)}`), {
      method: "POST",
      headers: {
        Authorization: `Bearer ${sessionToken()}`,
        "Content-Type": blob.type.split(";")[0] ? blob.type : "audio/webm",
        "X-Client-Id": id,
        "X-Duration-Ms": String(Math.max(1, Math.round(ms))),
      },
      body: blob,
      cache: "no-store",
    });
    const body = await response.json().catch(() => ({}));
    return { status: response.status, error: (body && body.error) || "" };
  } catch (e) {
    return null;
  }
}

// IndexedDB, one short transaction at a time (an open connection would block its deletion).
function recordings(mode, act) {
  return new Promise((resolve, reject) => {
    if (!window.indexedDB) { reject(new Error("no IndexedDB")); return; }
    const opening = window.indexedDB.open(VOICE_DB, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(RECORDINGS);
    opening.onerror = () => reject(opening.error);
    opening.onsuccess = () => {
      const db = opening.result;
      const tx = db.transaction(RECORDINGS, mode);
      const request = act(tx.objectStore(RECORDINGS));
      tx.oncomplete = () => { db.close(); resolve(request ? request.result : undefined); };
      tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
    };
  });
}

function dropRecordings(ids) {
  if (ids.length) recordings("readwrite", (store) => { ids.forEach((id) => store.delete(id)); }).catch(() => null);
}

/** A voice message recorded with no network: its recording kept on the phone, its place taken
 *  in the outbox. False when the phone could not keep it (no IndexedDB, storage full). */
export async function addVoiceDraft({ id, blob, ms, trainee }) {
  try {
    await recordings("readwrite", (store) => store.put(blob, id));
  } catch (e) {
    return false;
  }
  addDraft({ kind: "voice", id, trainee, ms: Math.round(ms) });
  return true;
}

export function drafts() {
  const list = read(OUTBOX, []);
  return Array.isArray(list) ? list : [];
}

export function addDraft(draft) {
  const list = drafts().filter((d) => d.id !== draft.id);
  list.push({ ...draft, owner: read(OWNER, 0), at: Date.now() });
  write(OUTBOX, list);
  window.dispatchEvent(new Event(CHANGED));
}

export function removeDrafts(ids) {
  const gone = new Set(ids);
  const list = drafts();
  const kept = list.filter((d) => !gone.has(d.id));
  if (kept.length === list.length) return;
  dropRecordings(list.filter((d) => gone.has(d.id) && d.kind === "voice").map((d) => d.id));
  if (kept.length) write(OUTBOX, kept); else window.localStorage.removeItem(OUTBOX);
  window.dispatchEvent(new Event(CHANGED));
}

/** The outbox as React state, kept in step with every change (this tab and others). */
export function useDrafts() {
  const [list, setList] = useState([]);
  useEffect(() => {
    const sync = () => setList(drafts());
    sync();
    window.addEventListener(CHANGED, sync);
    window.addEventListener("storage", sync);
    return () => {
      window.removeEventListener(CHANGED, sync);
      window.removeEventListener("storage", sync);
    };
  }, []);
  return list;
}

/** The signed-in person, as the server says: another person's copies go before any is kept. */
function claim(owner) {
  if (!owner) return;
  if (read(OWNER, 0) !== owner) { forget(false); write(OWNER, owner); }
}

/** Forget what is personal on this phone. `all`: at sign-out, the drafts and the session too. */
export function forget(all) {
  try {
    const storage = window.localStorage;
    const keys = [];
    for (let i = 0; i < storage.length; i++) keys.push(storage.key(i));
    keys.filter((k) => k && (k.startsWith(COPY) || k === OWNER || (all && (k === OUTBOX || k === SESSION))))
      .forEach((k) => storage.removeItem(k));
  } catch (e) { /* no storage: nothing kept */ }
  // IndexedDB holds only the recordings of voice drafts: they wait with the drafts (and go
  // with them at sign-out); anything else found there, and in other caches, goes.
  try {
    if (window.indexedDB && window.indexedDB.databases) {
      window.indexedDB.databases().then((dbs) => dbs.forEach((d) => d.name && (all || d.name !== VOICE_DB)
        && window.indexedDB.deleteDatabase(d.name)));
    }
  } catch (e) { /* not supported */ }
  try {
    if (window.caches) {
      window.caches.keys().then((keys) => keys.filter((k) => !k.startsWith(SHELL_CACHE)).forEach((k) => window.caches.delete(k)));
    }
  } catch (e) { /* not supported */ }
  // A shared phone: the next person must not get this one's notifications. The server forgets
  // the subscription at its next push (the push service then answers 410).
  if (all && navigator.serviceWorker) {
    navigator.serviceWorker.getRegistration()
      .then((r) => r && r.pushManager && r.pushManager.getSubscription())
      .then((s) => s && s.unsubscribe())
      .catch(() => null);
  }
  window.dispatchEvent(new Event(CHANGED));
}

// Once per page, even if the bundler loads this module twice.
if (typeof window !== "undefined" && !window.cispForget) {
  window.cispForget = forget;
  // Signing out with no network: the server cannot be told, but this phone forgets at once.
  window.addEventListener("click", (event) => {
    const button = event.target && event.target.closest && event.target.closest("#sign-out");
    if (!button || navigator.onLine) return;
    event.preventDefault();
    event.stopPropagation();
    forget(true);
    const seg = window.location.pathname.split("/")[1] || "fr";
    window.location.replace(`/${seg}/sign-in/`);
  }, true);
}

// Reflex cancels a screen's background work (its live updates) when the connection drops, and
// changes made meanwhile never reach the screen: after a reconnection the screen loads again
// (Outbox). Reflex's tracing hooks are the one place that tells when the socket connects.
if (typeof window !== "undefined" && !window.cispReconnectWatch) {
  window.cispReconnectWatch = true;
  let connects = 0;
  const hooks = window.__reflex_otel || {};
  const before = hooks.onSocketConnect;
  window.__reflex_otel = {
    ...hooks,
    onSocketConnect: (...args) => {
      connects += 1;
      if (before) before(...args);
      if (connects > 1) window.dispatchEvent(new Event("cisp-reconnected"));
    },
  };
}

/** True when there is no network, or the app's server cannot be reached. */
export function useOffline() {
  const [, connectErrors] = useContext(EventLoopContext);
  const [networkDown, setNetworkDown] = useState(false);
  useEffect(() => {
    const update = () => setNetworkDown(!navigator.onLine);
    update();
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);
  return networkDown || (Array.isArray(connectErrors) && connectErrors.length > 0);
}

const h = React.createElement;

const ICONS = {
  "sprout": Sprout,
  "hand-helping": HandHelping,
  "user-check": UserCheck,
  "presentation": Presentation,
  "hourglass": Hourglass,
  "footprints": Footprints,
  "circle-check": CircleCheck,
  "circle-slash": CircleSlash,
  "circle-dot": CircleDot,
  "briefcase": Briefcase,
  "graduation-cap": GraduationCap,
  "house": House,
  "heart-pulse": HeartPulse,
  "bus": Bus,
  "wallet": Wallet,
  "languages": Languages,
  "smartphone": Smartphone,
  "file-text": FileText,
  // Trouver de l'aide: the categories of help, a service's address, where a referral stands.
  "brain": Brain,
  "landmark": Landmark,
  "shopping-basket": ShoppingBasket,
  "baby": Baby,
  "drama": Drama,
  "phone": Phone,
  "map-pin": MapPin,
  "circle-x": CircleX,
  "phone-call": PhoneCall,
  "calendar-check": CalendarCheck,
  "flag": Flag,
  "undo-2": Undo2,
  "wifi-off": WifiOff,
  // Mes heures: her month, each session present, late, absent or to come.
  "clock": Clock,
};

function Icon({ name, size = 18 }) {
  const Pictogram = ICONS[name];
  return Pictogram ? h(Pictogram, { size, "aria-hidden": "true" }) : null;
}

function CopyItem({ item, labels, levels, waiting, classes, listen }) {
  const [open, setOpen] = useState(false);
  const pending = waiting.find((d) => d.kind === "assessment" && d.skill === item.skill);
  const choose = (level) => {
    addDraft({ kind: "assessment", id: newId(), skill: item.skill, level, comment: "" });
    setOpen(false);
  };
  return h("li", { className: item.mine ? classes.mine : classes.item, "data-mine": item.mine ? "true" : undefined },
    item.author && h("p", { className: classes.meta, dir: "auto" }, item.author),
    // A message reads as written; a goal's or a skill's name stands out. Speech works offline.
    h("div", { className: classes.row },
      h("p", { dir: "auto", className: "mine" in item ? classes.body : classes.text }, item.text),
      h(ReadAloud, { text: item.text, lang: listen.lang, label: listen.label, noVoice: listen.noVoice,
        className: item.mine ? listen.onDark : listen.button })),
    item.meta && h("p", { className: classes.meta, dir: "auto" }, h(Icon, { name: item.icon }), item.meta),
    // A voice message: its recording is never kept on the phone (endpoints/voice.py), so the copy
    // says plainly it cannot play now, rather than a "Message vocal (0:04)" that seems broken.
    item.voice && h("p", { className: classes.voiceLater, "data-voice-later": "true" },
      h(Icon, { name: "wifi-off", size: 20 }), labels.voiceLater),
    // A partner service's phone: calling needs no data, so the kept copy keeps the button.
    item.tel && h("a", { href: "tel:" + String(item.tel).replace(/[^0-9+]/g, ""), className: classes.call },
      h(Icon, { name: "phone", size: 22 }), labels.call, " ", h("span", { dir: "ltr" }, item.tel)),
    item.skill && pending && h("p", { className: classes.waiting, "data-draft": "assessment" },
      labels.waitingLevel.replace("%(level)s", (levels.find((l) => l.level === pending.level) || {}).word || "")),
    item.skill && !open && h("button", {
      type: "button", className: classes.small, onClick: () => setOpen(true), "aria-expanded": "false",
    }, labels.assess),
    item.skill && open && h("div", { role: "group", "aria-label": labels.myLevel, className: classes.levels },
      levels.map((l) => h("div", { key: l.level, className: classes.row },
        h("button", {
          type: "button", className: classes.level, onClick: () => choose(l.level), "data-level": l.level,
        }, h(Icon, { name: l.icon, size: 24 }), l.word),
        h(ReadAloud, { text: l.word, lang: listen.lang, label: listen.label, noVoice: listen.noVoice,
          className: listen.button })))),
  );
}

/**
 * The screen's own content while connected; with no network, the copy this phone kept of it.
 * `snapshot` is what the screen shows, as sections of plain items, already in the screen's
 * language; it is saved each time the screen loads while connected.
 */
export function OfflineCopy({
  page = "", lang = "fr", loaded = false, owner = 0, snapshot = null, labels = {}, levels = [],
  classes = {}, listen = {}, early = false, children,
}) {
  const offline = useOffline();
  const waiting = useDrafts();
  useEffect(() => {
    if (!loaded || !owner || offline || !Array.isArray(snapshot)) return;
    claim(owner);
    write(COPY + page, { saved: Date.now(), sections: snapshot });
  }, [loaded, owner, offline, snapshot, page]);

  // Read after the first render (hydration must match the prerendered page, which has no copy).
  const [mounted, setMounted] = useState(false);
  useEffect(() => { setMounted(true); }, []);
  const copy = offline || (early && !loaded && mounted) ? read(COPY + page, null) : null;
  // `early`: while the screen loads, the copy kept on this phone shows at once (no loading
  // text); the fresh data replaces it as soon as it comes.
  if (!offline && !(early && !loaded && copy)) return h(React.Fragment, null, children);
  const sections = copy && (copy.sections || []).map((section, i) => h("section", { key: i, className: classes.section },
    section.title && h("h2", { className: classes.title, dir: "auto" }, h(Icon, { name: section.icon, size: 24 }),
      section.title),
    h("ul", { className: classes.list },
      (section.items || []).map((item, j) => h(CopyItem, {
        key: j, item, labels, levels, waiting, classes, listen,
      })))));
  if (!offline) {
    return h("div", { id: "early-copy", className: classes.wrapper, "aria-busy": "true" },
      labels.heading && h("h1", { className: classes.heading }, labels.heading), sections);
  }
  let saved = "";
  if (copy && copy.saved) {
    try {
      // The centre's time zone, as the dates the server writes.
      saved = new Date(copy.saved).toLocaleString(lang, { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Brussels" });
    } catch (e) {
      saved = new Date(copy.saved).toLocaleString();
    }
  }
  return h("div", { id: "offline-copy", className: classes.wrapper },
    labels.heading && h("h1", { className: classes.heading }, labels.heading),
    h("div", { role: "status", className: classes.banner },
      h("p", { className: classes.badge }, labels.offline),
      h("p", null, copy ? labels.seen.replace("%(date)s", saved) : labels.nothing)),
    sections,
  );
}

/**
 * Sends the drafts when the connection is there: on opening a screen and each time it comes
 * back, oldest first. Messages and self-assessments go in batches by the socket (the server
 * answers with the ids it is done with: kept, or refused for good); a voice message goes alone
 * over HTTP, and what follows it waits for it.
 */
export function Outbox({ onDeliver, owner = 0, delivered = [], refused = 0, notice = "", labels = {}, classes = {} }) {
  const offline = useOffline();
  const waiting = useDrafts();
  const uploading = useRef(false);
  // Drafts given to the socket during this connection: not given again until it comes back.
  const given = useRef(new Set());
  const [voiceRefused, setVoiceRefused] = useState(0);
  const latest = useRef({ onDeliver, owner });
  latest.current = { onDeliver, owner };

  // Drafts are stamped with their author (staff write drafts too, on screens with no copy).
  useEffect(() => { claim(owner); }, [owner]);

  const pump = async () => {
    const { onDeliver: send, owner: me } = latest.current;
    if (uploading.current || !send || !me || !navigator.onLine) return;
    const list = drafts();
    if (!list.length) return;
    const head = list[0];
    if (head.kind !== "voice") {
      const batch = [];
      for (const d of list) { if (d.kind === "voice") break; batch.push(d); }
      if (batch.every((d) => given.current.has(d.id))) return; // no answer yet, or kept back
      batch.forEach((d) => given.current.add(d.id));
      send(batch);
      return;
    }
    // Someone else's recording (a shared phone) never goes as this account's: it is dropped,
    // as the server refuses the other drafts of another person.
    let outcome = "refused";
    if (head.owner === me) {
      uploading.current = true;
      let blob = null;
      try { blob = await recordings("readonly", (store) => store.get(head.id)); } catch (e) { blob = null; }
      const answer = blob ? await uploadVoice({ trainee: head.trainee || me, id: head.id, blob, ms: head.ms }) : null;
      uploading.current = false;
      if (!blob) outcome = "refused"; // the phone lost it (storage cleared): nothing to send
      else if (!answer || answer.status === 401 || answer.status === 429 || answer.status >= 500) return; // later
      else outcome = answer.status === 200 ? "sent" : "refused";
    }
    if (outcome === "refused") setVoiceRefused((n) => n + 1);
    removeDrafts([head.id]);
    pump();
  };

  useEffect(() => {
    if (Array.isArray(delivered) && delivered.length) removeDrafts(delivered);
    pump(); // what was waiting behind them (a voice message) goes next
  }, [delivered]);

  useEffect(() => {
    if (offline) given.current = new Set(); else pump();
  }, [offline, onDeliver, owner]);

  // Back after a dropped connection (a new connection, even if no error showed): the drafts go,
  // then the screen loads again (same address: Reflex runs its on_load again), which brings what
  // changed meanwhile and its live updates.
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(() => {
    const again = () => {
      given.current = new Set();
      pump();
      navigate(location.pathname + location.search, { replace: true });
    };
    window.addEventListener("cisp-reconnected", again);
    return () => window.removeEventListener("cisp-reconnected", again);
  }, [location, navigate]);

  return h(React.Fragment, null,
    // Screens with no kept copy (staff) still say that the connection is gone.
    offline && notice && h("p", { role: "status", id: "offline-notice", className: classes.offline }, notice),
    waiting.length > 0 && h("p", { role: "status", id: "outbox-waiting", className: classes.waiting },
      labels.waitingCount.replace("%(n)s", waiting.length)),
    refused + voiceRefused > 0 && h("p", { role: "alert", id: "outbox-refused", className: classes.refused }, labels.refused),
  );
}
