// Reaching every trainee: a "listen" button that reads a text aloud in the screen's language,
// and the display settings (text size, listen buttons on or off) kept on the phone.
// The settings live on <html> as data attributes, set by the head script before the first paint.
import React, { useEffect, useState } from "react";

const SPEAKER = React.createElement("svg", {
  width: 22, height: 22, viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", strokeWidth: 2,
  strokeLinecap: "round", strokeLinejoin: "round", "aria-hidden": "true",
},
React.createElement("path", { d: "M11 4.7a.7.7 0 0 0-1.2-.5L6.4 7.6A1.4 1.4 0 0 1 5.4 8H3a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h2.4a1.4 1.4 0 0 1 1 .4l3.4 3.4a.7.7 0 0 0 1.2-.5z" }),
React.createElement("path", { d: "M16 9a5 5 0 0 1 0 6" }),
React.createElement("path", { d: "M19.4 18.4a9 9 0 0 0 0-12.8" }));

function voicesFor(lang) {
  if (!("speechSynthesis" in window)) return [];
  const all = window.speechSynthesis.getVoices() || [];
  return all.filter((v) => (v.lang || "").toLowerCase().replace("_", "-").split("-")[0] === lang);
}

export function ReadAloud({ text = "", lang = "fr", label = "", noVoice = "", className = "" }) {
  const [message, setMessage] = useState("");
  const speak = () => {
    setMessage("");
    if (!("speechSynthesis" in window) || !("SpeechSynthesisUtterance" in window)) {
      setMessage(noVoice);
      return;
    }
    const go = () => {
      const voices = voicesFor(lang);
      if (voices.length === 0) { setMessage(noVoice); return; }
      window.speechSynthesis.cancel();
      const utterance = new window.SpeechSynthesisUtterance(text);
      utterance.lang = lang;
      try { utterance.voice = voices[0]; } catch (e) { /* the lang alone picks a voice */ }
      utterance.rate = 0.9;  // a little slower: easier to follow
      window.speechSynthesis.speak(utterance);
    };
    // Some browsers load their voices late: wait for them once.
    if ((window.speechSynthesis.getVoices() || []).length === 0) {
      let done = false;
      const once = () => { if (!done) { done = true; go(); } };
      window.speechSynthesis.addEventListener("voiceschanged", once, { once: true });
      setTimeout(once, 700);
    } else {
      go();
    }
  };
  return React.createElement("span", { className: "read-aloud inline-flex flex-col items-start" },
    React.createElement("button", {
      type: "button", onClick: speak, "aria-label": label, title: label, className,
      "data-read-aloud": "button",
    }, SPEAKER),
    message && React.createElement("span", { role: "status", className: "text-sm", "data-read-aloud": "status" },
      message));
}

function current(key, fallback) {
  return (document.documentElement.dataset && document.documentElement.dataset[key]) || fallback;
}

export function DisplaySettings({ labels = {}, classes = {} }) {
  const [size, setSize] = useState("normal");
  const [listen, setListen] = useState("on");
  useEffect(() => {
    setSize(current("textSize", "normal"));
    setListen(current("readAloud", "on"));
  }, []);
  const store = (key, storageKey, value, set) => {
    document.documentElement.dataset[key] = value;
    try { window.localStorage.setItem(storageKey, value); } catch (e) { /* private mode: this visit only */ }
    set(value);
  };
  const choice = (group, value, label, isOn, onClick) => React.createElement("button", {
    type: "button", key: value, "aria-pressed": isOn ? "true" : "false", onClick,
    className: isOn ? classes.on : classes.off, id: `setting-${group}-${value}`,
  }, label);
  return React.createElement("div", { className: classes.panel },
    React.createElement("p", { className: classes.title, id: "text-size-label" }, labels.textSize),
    React.createElement("div", { role: "group", "aria-labelledby": "text-size-label", className: classes.row },
      ["normal", "large", "xlarge"].map((value) => choice("size", value, labels[value], size === value,
        () => store("textSize", "cisp_text_size", value, setSize)))),
    React.createElement("p", { className: classes.title, id: "read-aloud-label" }, labels.readAloud),
    React.createElement("div", { role: "group", "aria-labelledby": "read-aloud-label", className: classes.row },
      choice("listen", "on", labels.on, listen === "on", () => store("readAloud", "cisp_read_aloud", "on", setListen)),
      choice("listen", "off", labels.off, listen === "off", () => store("readAloud", "cisp_read_aloud", "off", setListen))));
}
