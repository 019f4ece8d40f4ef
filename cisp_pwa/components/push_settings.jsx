// The on/off switch of one kind of notification ("Nouveaux messages", "Compétences validées").
// Turning it on is the browser's part: ask the person (Notification.requestPermission), then
// subscribe this phone with the server's VAPID public key, then hand the endpoint and keys to
// the server (onEnable). Turning it off only tells the server (onDisable).
// When the phone cannot do push, or the person blocked notifications, onProblem says which:
// the card then says so in plain words.
import React, { useEffect, useState } from "react";

const WAIT_MS = 20000;  // a push service that never answers: say it did not work

function supported() {
  return typeof window !== "undefined" && "serviceWorker" in navigator && "PushManager" in window
    && "Notification" in window;
}

function keyBytes(base64url) {
  const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(window.atob(padded), (c) => c.charCodeAt(0));
}

function sameKey(buffer, wanted) {
  if (!buffer) return false;
  const a = new Uint8Array(buffer);
  return a.length === wanted.length && a.every((x, i) => x === wanted[i]);
}

function withTimeout(promise) {
  return Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), WAIT_MS))]);
}

async function thisPhone(publicKey) {
  const key = keyBytes(publicKey);
  const registration = await navigator.serviceWorker.ready;
  const existing = await registration.pushManager.getSubscription();
  // A subscription made with another server key (the key file was replaced) cannot be used.
  if (existing && sameKey(existing.options && existing.options.applicationServerKey, key)) return existing;
  if (existing) await existing.unsubscribe();
  return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
}

async function askPermission() {
  if (Notification.permission === "granted" || Notification.permission === "denied") return Notification.permission;
  // Older Safari answers through a callback only.
  return new Promise((resolve) => {
    const answer = Notification.requestPermission(resolve);
    if (answer && answer.then) answer.then(resolve);
  });
}

export function PushToggle({
  kind, on = false, publicKey = "", revision = 0, labels = {}, classes = {}, labelledBy,
  onEnable, onDisable, onProblem,
}) {
  const [busy, setBusy] = useState(false);
  useEffect(() => { setBusy(false); }, [on, revision]);  // the server answered
  useEffect(() => {
    if (!supported()) onProblem("unsupported");
    else if (Notification.permission === "denied") onProblem("denied");
  }, []);

  const turnOn = async () => {
    if (!supported()) { onProblem("unsupported"); return; }
    setBusy(true);
    try {
      if ((await askPermission()) !== "granted") { setBusy(false); onProblem("denied"); return; }
      if (!publicKey) throw new Error("no key yet");
      const json = (await withTimeout(thisPhone(publicKey))).toJSON();
      onEnable(kind, json.endpoint, json.keys.p256dh, json.keys.auth);
    } catch (e) {
      setBusy(false);
      onProblem("failed");
    }
  };
  const click = () => {
    if (busy) return;
    if (on) { setBusy(true); onDisable(kind); } else { turnOn(); }
  };
  return React.createElement("button", {
    type: "button", role: "switch", "aria-checked": on ? "true" : "false",
    // The row's words, then the switch's own ("Oui"/"Non"): the visible text is in the name.
    "aria-labelledby": `${labelledBy} push-${kind}`,
    "aria-busy": busy ? "true" : "false", onClick: click, id: `push-${kind}`, "data-on": on ? "true" : "false",
    className: on ? classes.on : classes.off,
  }, busy ? labels.wait : (on ? labels.on : labels.off));
}
