// The message box, with the messages not yet confirmed by the server.
// Each message gets an id made here, on the phone: sending again (a double tap, a retry after
// the connection dropped) reuses it, so the server keeps the message once. A message the server
// has not confirmed shows "non envoyé — réessayer" and stays until it is confirmed.
// Text is always rendered as text, never as HTML.
import React, { useContext, useEffect, useState } from "react";
import { EventLoopContext } from "$/utils/context";

const SEND_TIMEOUT_MS = 8000;

function newClientId() {
  if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
  const b = window.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function MessageComposer({
  sentClientIds = [], onSend, labels = {}, maxLength = 2000, classes = {},
}) {
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
  const offline = networkDown || (Array.isArray(connectErrors) && connectErrors.length > 0);
  const [text, setText] = useState("");
  const [error, setError] = useState("");
  const [pending, setPending] = useState([]);

  // Confirmed by the server: the message now shows in the thread above.
  useEffect(() => {
    const sent = new Set(sentClientIds);
    setPending((list) => list.filter((m) => !sent.has(m.clientId)));
  }, [sentClientIds]);

  // Not confirmed in time, or the connection is gone: say so, offer to retry.
  useEffect(() => {
    const timer = setInterval(() => {
      setPending((list) => list.map((m) =>
        m.status === "sending" && (offline || Date.now() - m.since > SEND_TIMEOUT_MS)
          ? { ...m, status: "failed" } : m));
    }, 1000);
    return () => clearInterval(timer);
  }, [offline]);

  const dispatch = (message) => {
    setPending((list) => [
      ...list.filter((m) => m.clientId !== message.clientId),
      { ...message, status: "sending", since: Date.now() },
    ]);
    if (onSend) onSend(message.clientId, message.body);
  };

  const submit = (event) => {
    event.preventDefault();
    const body = text.trim();
    if (!body) { setError(labels.empty || ""); return; }
    // Characters as people count them (and as the server does): an emoji is one.
    if ([...body].length > maxLength) { setError(labels.tooLong || ""); return; }
    setError("");
    setText("");
    dispatch({ clientId: newClientId(), body });
  };

  const onKeyDown = (event) => {
    // Ctrl+Enter or Cmd+Enter sends; Enter alone makes a new line (phones have no Ctrl).
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) submit(event);
  };

  return React.createElement("div", { className: classes.wrapper },
    pending.length > 0 && React.createElement("ul", {
      className: classes.pendingList, id: "pending-messages", "aria-live": "polite",
    }, pending.map((m) => React.createElement("li", {
      key: m.clientId, className: classes.pendingBubble, "data-status": m.status,
    },
      React.createElement("p", { dir: "auto", className: classes.body }, m.body),
      m.status === "sending"
        ? React.createElement("p", { className: classes.pendingMeta }, labels.sending)
        : React.createElement("button", {
          type: "button", className: classes.retry, onClick: () => dispatch(m),
        }, labels.failed),
    ))),
    React.createElement("form", { onSubmit: submit, className: classes.form, id: "message-form" },
      React.createElement("label", { htmlFor: "message-body", className: classes.label }, labels.label),
      React.createElement("textarea", {
        id: "message-body", name: "body", value: text, rows: 3, maxLength, dir: "auto",
        className: classes.textarea, onKeyDown,
        "aria-describedby": "message-counter message-error",
        onChange: (e) => { setText(e.target.value); if (error) setError(""); },
      }),
      React.createElement("div", { className: classes.row },
        React.createElement("span", { id: "message-counter", className: classes.meta },
          `${[...text].length} / ${maxLength}`),
        React.createElement("button", { type: "submit", id: "message-send", className: classes.send },
          labels.send),
      ),
      React.createElement("p", { id: "message-error", role: "alert", className: error ? classes.error : "" }, error),
    ),
  );
}
