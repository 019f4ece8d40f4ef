// The message box, with the messages not yet confirmed by the server.
// Each message gets an id made here, on the phone: sending again (a double tap, a retry after
// the connection dropped) reuses it, so the server keeps the message once. Every message is
// also put in the phone's outbox (offline.jsx) until the server confirms it: written offline,
// it shows "en attente d'envoi" and goes when the connection is back, even after a reload.
// A message sent while connected but not confirmed in time shows "non envoyé — réessayer".
// Voice messages recorded offline (voice_recorder.jsx) wait in the same list, in their order.
// Text is always rendered as text, never as HTML.
import React, { useEffect, useRef, useState } from "react";
import {
  addDraft, clock, newId, removeDrafts, useDrafts, useOffline,
} from "$/public/external/cisp_pwa/components/offline/offline.jsx";
import Mic from "lucide-react/dist/esm/icons/mic.mjs";

const SEND_TIMEOUT_MS = 8000;
// Control characters other than tab and line breaks, and lone UTF-16 surrogates.
const UNREADABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function MessageComposer({
  sentClientIds = [], onSend, labels = {}, maxLength = 2000, classes = {}, trainee = 0, loaded = false,
  refused = "", refusedCanRetry = false, locale = "fr", children = null,
}) {
  const offline = useOffline();
  const [text, setText] = useState("");
  const [error, setError] = useState("");
  // clientId -> { since, failed } for the messages sent from this screen while connected.
  const [tries, setTries] = useState({});
  const outbox = useDrafts();
  // Why it cannot go: in sight at once, above the trainee's fixed tab bar (below "Envoyer", it
  // would otherwise stay under the bar or past the screen's end).
  const said = useRef(null);
  useEffect(() => {
    const element = said.current;
    if (!error || !element) return;
    element.scrollIntoView({ block: "nearest" });
    const bar = document.querySelector("nav.fixed.bottom-0");
    const under = bar ? element.getBoundingClientRect().bottom + 12 - bar.getBoundingClientRect().top : 0;
    if (under > 0) window.scrollBy(0, under);
  }, [error]);
  const pending = outbox.filter((d) => (d.kind === "message" || d.kind === "voice")
    && (!trainee || !d.trainee || d.trainee === trainee));

  // Confirmed by the server: the message now shows in the thread above, the draft goes.
  useEffect(() => {
    if (sentClientIds.length) removeDrafts(sentClientIds);
  }, [sentClientIds]);

  // Refused by the server (the screen says why above): too many at once can go again later;
  // otherwise sending it again cannot work, so the text comes back into the box, to change.
  useEffect(() => {
    if (!refused) return;
    if (refusedCanRetry) {
      setTries((all) => (all[refused] ? { ...all, [refused]: { ...all[refused], failed: true } } : all));
      return;
    }
    const message = outbox.find((d) => d.id === refused);
    if (!message) return;
    removeDrafts([refused]);
    setTries((all) => { const next = { ...all }; delete next[refused]; return next; });
    setText((current) => current || message.body);
  }, [refused, refusedCanRetry]);

  // Not confirmed in time while connected: say so, offer to retry.
  useEffect(() => {
    const timer = setInterval(() => {
      setTries((all) => {
        let changed = false;
        const next = { ...all };
        Object.entries(all).forEach(([id, t]) => {
          if (!t.failed && Date.now() - t.since > SEND_TIMEOUT_MS) { next[id] = { ...t, failed: true }; changed = true; }
        });
        return changed ? next : all;
      });
    }, 1000);
    return () => clearInterval(timer);
  }, []);

  const dispatch = (message) => {
    setTries((all) => ({ ...all, [message.id]: { since: Date.now(), failed: false } }));
    if (onSend) onSend(message.id, message.body);
  };

  const statusOf = (m) => {
    if (offline) return "waiting";
    const t = tries[m.id];
    if (!t) return "sending"; // from before a reload: the outbox sends it
    return t.failed ? "failed" : "sending";
  };

  const submit = (event) => {
    event.preventDefault();
    const body = text.trim();
    if (!body) { setError(labels.empty || ""); return; }
    // Characters as people count them (and as the server does): an emoji is one. Past the
    // limit nothing is cut and nothing goes: she is told how many to take out (her text stays).
    const over = [...body].length - maxLength;
    if (over > 0) { setError((labels.tooLong || "").replace("%(n)s", number(over))); return; }
    // What the server keeps none of (state/guard.py): said here, the text stays in the box.
    if (UNREADABLE.test(body)) { setError(labels.unreadable || ""); return; }
    setError("");
    setText("");
    const message = { kind: "message", id: newId(), trainee, body };
    addDraft(message);
    if (!offline) dispatch(message);
  };

  // Numbers as her language groups them ("2 140" in French), in the digits the rest of the
  // app shows (the server's Babel numbers: Latin digits, Arabic and Dari included).
  const number = (n) => {
    try { return new Intl.NumberFormat(locale === "fa" ? "fa-AF" : locale, { numberingSystem: "latn" }).format(n); } catch (e) { return String(n); }
  };
  const count = [...text].length;
  const tooLong = count > maxLength;

  const onKeyDown = (event) => {
    // Ctrl+Enter or Cmd+Enter sends; Enter alone makes a new line (phones have no Ctrl).
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) submit(event);
  };

  // Before the screen has loaded, nothing to show; offline, the box works on the phone alone.
  if (!loaded && !offline) return null;
  return React.createElement("div", { className: classes.wrapper },
    pending.length > 0 && React.createElement("ul", {
      className: classes.pendingList, id: "pending-messages", "aria-live": "polite",
    }, pending.map((m) => {
      const status = statusOf(m);
      return React.createElement("li", {
        key: m.id, className: classes.pendingBubble, "data-status": status, "data-kind": m.kind,
      },
        m.kind === "voice"
          ? React.createElement("p", { className: classes.voice },
            React.createElement(Mic, { size: 20, "aria-hidden": "true" }), `${labels.voice} (${clock(m.ms)})`)
          : React.createElement("p", { dir: "auto", className: classes.body }, m.body),
        status === "failed"
          ? React.createElement("button", {
            type: "button", className: classes.retry, onClick: () => dispatch(m),
          }, labels.failed)
          : React.createElement("p", { className: classes.pendingMeta }, status === "waiting" ? labels.waiting : labels.sending),
      );
    })),
    // "Parler" (the voice recorder, given as children) before the text box: found first, by
    // someone who cannot write, as big as "Envoyer".
    children,
    React.createElement("form", { onSubmit: submit, className: classes.form, id: "message-form" },
      React.createElement("label", { htmlFor: "message-body", className: classes.label }, labels.label),
      React.createElement("textarea", {
        // No maxlength: the browser would cut what she wrote (or pasted) without a word.
        id: "message-body", name: "body", value: text, rows: 3, dir: "auto",
        "aria-invalid": tooLong ? "true" : undefined,
        className: classes.textarea, onKeyDown,
        "aria-describedby": "message-counter message-error",
        onChange: (e) => { setText(e.target.value); if (error) setError(""); },
      }),
      React.createElement("div", { className: classes.row },
        React.createElement("span", {
          id: "message-counter", className: tooLong ? classes.metaOver : classes.meta,
          "data-over": tooLong ? "true" : "false", dir: "ltr",  // "2 140 / 2 000" reads as one count
        }, `${number(count)} / ${number(maxLength)}`),
        React.createElement("button", { type: "submit", id: "message-send", className: classes.send },
          labels.send),
      ),
      React.createElement("p", { id: "message-error", role: "alert", ref: said, className: error ? classes.error : "" }, error),
    ),
  );
}
