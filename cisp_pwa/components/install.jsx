// "Installer l'application" on the trainee's home: the first few times only, gone for good once
// dismissed or installed. Uses the browser's install event where there is one (caught by the
// head script, which runs before any screen); on an iPhone, which has none, plain instructions.
import React, { useEffect, useState } from "react";
import { ReadAloud } from "$/public/external/cisp_pwa/components/reach/reach.jsx";

const SHOWN = "cisp_install_shown"; // how many times the card was shown on this phone
const DONE = "cisp_install_done";   // "dismissed" or "installed": never shown again
const MAX_SHOWN = 3;

function get(key) { try { return window.localStorage.getItem(key); } catch (e) { return null; } }
function set(key, value) { try { window.localStorage.setItem(key, value); } catch (e) { /* off */ } }

function installed() {
  return window.matchMedia("(display-mode: standalone)").matches || window.navigator.standalone === true;
}

function iPhone() {
  return /iphone|ipad|ipod/i.test(window.navigator.userAgent);
}

export function InstallPrompt({ labels = {}, classes = {}, listen = {} }) {
  const [mode, setMode] = useState(""); // "prompt" | "iphone" | ""
  useEffect(() => {
    if (installed() || get(DONE) || Number(get(SHOWN) || 0) >= MAX_SHOWN) return undefined;
    const ready = () => { if (window.cispInstallEvent) setMode("prompt"); };
    if (window.cispInstallEvent) setMode("prompt");
    else if (iPhone()) setMode("iphone");
    window.addEventListener("cisp-install-ready", ready);
    return () => window.removeEventListener("cisp-install-ready", ready);
  }, []);
  useEffect(() => { // one showing per opening of the screen
    if (mode) set(SHOWN, String(Number(get(SHOWN) || 0) + 1));
  }, [mode !== ""]);

  if (!mode) return null;
  const dismiss = () => { set(DONE, "dismissed"); setMode(""); };
  const install = () => {
    const event = window.cispInstallEvent;
    window.cispInstallEvent = null;
    if (!event) { setMode(""); return; }
    event.prompt();
    event.userChoice.then((choice) => {
      if (choice && choice.outcome === "accepted") set(DONE, "installed");
    }).catch(() => {});
    setMode("");
  };
  return React.createElement("section", { id: "install-card", className: classes.card, "aria-labelledby": "install-title" },
    React.createElement("h2", { id: "install-title", className: classes.title }, labels.title),
    React.createElement("div", { className: classes.textRow },
      React.createElement("p", null, mode === "iphone" ? labels.iphone : labels.text),
      React.createElement(ReadAloud, { text: mode === "iphone" ? labels.iphone : labels.text, lang: listen.lang,
        label: listen.label, noVoice: listen.noVoice, className: listen.button })),
    React.createElement("div", { className: classes.row },
      mode === "prompt" && React.createElement("button", {
        type: "button", id: "install-app", className: classes.primary, onClick: install,
      }, labels.install),
      React.createElement("button", {
        type: "button", id: "install-dismiss", className: classes.secondary, onClick: dismiss,
      }, labels.dismiss)));
}
