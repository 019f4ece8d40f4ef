// Voice messages (issue 17): record, listen, send; and play one in the thread.
// Recording: MediaRecorder, WebM/Opus where the phone has it, else MP4 (Safari); two minutes at
// most. Before it goes, the person hears it and chooses "Envoyer" or "Annuler". It goes to the
// backend (POST /voice, cisp_pwa/endpoints/voice.py) with the session token in an Authorization header
// and an id made here: a retry lands once. The thread shows it when the server's event comes.
// With no network (or when the network fails on the way) it goes into the phone's outbox
// (offline.jsx), recording in IndexedDB, and leaves in its turn when the connection is back.
// Playing: the recording is fetched with the same header and played from a blob: URL, so its
// address is useless to anyone else and nothing keeps it (the service worker skips /voice).
// Every word comes from Python, in the person's language.
import React, { useEffect, useRef, useState } from "react";
import {
  addVoiceDraft, clock, newId, sessionToken, uploadVoice, useOffline, voiceURL,
} from "$/public/external/cisp_pwa/components/offline/offline.jsx";
import Mic from "lucide-react/dist/esm/icons/mic.mjs";
import Square from "lucide-react/dist/esm/icons/square.mjs";
import Play from "lucide-react/dist/esm/icons/play.mjs";
import Pause from "lucide-react/dist/esm/icons/pause.mjs";
import Send from "lucide-react/dist/esm/icons/send.mjs";
import X from "lucide-react/dist/esm/icons/x.mjs";

const MAX_MS = 120000;
const h = React.createElement;
const icon = (Icon) => h(Icon, { size: 24, "aria-hidden": "true" });

function pickMime() {
  if (typeof MediaRecorder === "undefined") return null;
  const can = (t) => (MediaRecorder.isTypeSupported ? MediaRecorder.isTypeSupported(t) : false);
  if (can("audio/webm;codecs=opus")) return "audio/webm;codecs=opus";
  if (can("audio/mp4")) return "audio/mp4";
  return "";
}

// Brings the recorder's buttons into view above the trainee's fixed tab bar (whatever its
// height with large text): first the browser's own nearest scroll (the wrapper's scroll margin
// clears the usual bar), then what still sits under the bar is lifted above it.
function bringIntoView(element) {
  if (!element) return;
  element.scrollIntoView({ block: "nearest" });
  const bar = document.querySelector("nav.fixed.bottom-0");
  if (!bar) return;
  const under = element.getBoundingClientRect().bottom + 12 - bar.getBoundingClientRect().top;
  if (under > 0) window.scrollBy(0, under);
}

export function VoiceRecorder({ trainee = 0, loaded = false, labels = {}, classes = {} }) {
  const offline = useOffline();
  // idle | recording | recorded | sending
  const [phase, setPhase] = useState("idle");
  const [elapsed, setElapsed] = useState(0);
  const [problem, setProblem] = useState("");
  const [take, setTake] = useState(null); // { blob, url, ms, id }
  const [playing, setPlaying] = useState(false);
  const recorder = useRef(null);
  const started = useRef(0);
  const timer = useRef(null);
  const audio = useRef(null);
  const said = useRef(null);
  const box = useRef(null);

  // "Arrêter", then "Annuler" and "Envoyer": on screen as soon as they appear, never under the
  // tab bar (she should not have to scroll to send).
  useEffect(() => { if (phase === "recording" || phase === "recorded") bringIntoView(box.current); }, [phase]);

  // Why it did not work shows below the button, near the tab bar: brought into view, whole.
  useEffect(() => { if (problem && said.current) said.current.scrollIntoView({ block: "nearest" }); }, [problem]);

  const stopTracks = () => {
    const r = recorder.current;
    if (r && r.stream) r.stream.getTracks().forEach((t) => t.stop());
  };
  useEffect(() => () => { clearInterval(timer.current); stopTracks(); }, []);
  useEffect(() => () => { if (take) URL.revokeObjectURL(take.url); }, [take]);

  const start = async () => {
    setProblem("");
    const mime = pickMime();
    if (mime === null || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      setProblem(labels.unsupported || "");
      return;
    }
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (e) {
      const name = e && e.name;
      setProblem(name === "NotFoundError" || name === "OverconstrainedError" ? labels.noMic : labels.denied);
      return;
    }
    const chunks = [];
    const r = new MediaRecorder(stream, mime ? { mimeType: mime } : undefined);
    recorder.current = r;
    r.ondataavailable = (event) => { if (event.data && event.data.size) chunks.push(event.data); };
    r.onstop = () => {
      clearInterval(timer.current);
      stream.getTracks().forEach((t) => t.stop());
      const ms = Math.min(MAX_MS, Date.now() - started.current);
      const blob = new Blob(chunks, { type: (r.mimeType || mime || "audio/webm") });
      setTake({ blob, url: URL.createObjectURL(blob), ms, id: newId() });
      setElapsed(ms);
      setPhase("recorded");
    };
    started.current = Date.now();
    setElapsed(0);
    r.start(250);
    setPhase("recording");
    timer.current = setInterval(() => {
      const ms = Date.now() - started.current;
      setElapsed(ms);
      if (ms >= MAX_MS && r.state === "recording") r.stop(); // two minutes: it stops by itself
    }, 250);
  };

  const stop = () => {
    if (recorder.current && recorder.current.state === "recording") recorder.current.stop();
  };

  const cancel = () => {
    if (audio.current) audio.current.pause();
    setPlaying(false);
    setTake(null);
    setProblem("");
    setPhase("idle");
  };

  const togglePreview = () => {
    const a = audio.current;
    if (!a) return;
    if (a.paused) { a.play().then(() => setPlaying(true)).catch(() => setPlaying(false)); } else { a.pause(); setPlaying(false); }
  };

  const done = () => { setTake(null); setPhase("idle"); };

  // No network: into the outbox (it shows there as waiting); the recorder is free again.
  const keepForLater = async () => {
    if (await addVoiceDraft({ id: take.id, blob: take.blob, ms: take.ms, trainee })) { done(); return; }
    setProblem(labels.network || "");
    setPhase("recorded");
  };

  const send = async () => {
    if (!take) return;
    if (audio.current) audio.current.pause();
    setPlaying(false);
    setPhase("sending");
    setProblem("");
    if (offline || !navigator.onLine) { await keepForLater(); return; }
    const answer = await uploadVoice({ trainee, id: take.id, blob: take.blob, ms: take.ms });
    if (answer === null) { await keepForLater(); return; }
    if (answer.status === 200) { done(); return; }
    // Kept on screen: the person may try again (the same id: it lands once) or cancel.
    setProblem((answer.error && labels.errors && labels.errors[answer.error]) || labels.failed || "");
    setPhase("recorded");
  };

  // Offline, the trainee's screen may open from the phone before it loaded: her own conversation.
  if ((!loaded || !trainee) && !offline) return null;
  return h("div", { className: classes.wrapper, id: "voice-recorder", "data-phase": phase, ref: box },
    phase === "idle" && h("button", { type: "button", id: "voice-record", className: classes.record, onClick: start },
      icon(Mic), labels.record),
    phase === "recording" && h("div", { className: classes.row },
      h("p", { className: classes.timer, id: "voice-timer", role: "timer", "aria-live": "off" },
        h("span", { className: classes.dot, "aria-hidden": "true" }), `${labels.recording} ${clock(elapsed)} / ${clock(MAX_MS)}`),
      h("button", { type: "button", id: "voice-stop", className: classes.stop, onClick: stop }, icon(Square), labels.stop)),
    (phase === "recorded" || phase === "sending") && take && h("div", { className: classes.review },
      h("audio", { ref: audio, src: take.url, preload: "auto", onEnded: () => setPlaying(false), id: "voice-preview-audio" }),
      h("div", { className: classes.row },
        h("button", {
          type: "button", id: "voice-preview", className: classes.play, onClick: togglePreview,
          "aria-label": playing ? labels.pause : labels.listen,
        }, icon(playing ? Pause : Play), h("span", null, playing ? labels.pause : labels.listen)),
        h("span", { className: classes.duration }, clock(take.ms))),
      h("div", { className: classes.actions },
        h("button", {
          type: "button", id: "voice-cancel", className: classes.cancel, onClick: cancel, disabled: phase === "sending",
          "aria-label": labels.cancelVoice,
        }, icon(X), labels.cancel),
        h("button", {
          type: "button", id: "voice-send", className: classes.send, onClick: send, disabled: phase === "sending",
          "aria-label": phase === "sending" ? labels.sending : labels.sendVoice,
        }, icon(Send), phase === "sending" ? labels.sending : labels.send))),
    h("p", { id: "voice-error", role: "alert", ref: said, className: problem ? classes.error : "" }, problem),
  );
}

// The progress bar runs left to right in every language, as the play icon points right: media
// controls follow the timeline of the recording, not the direction of the text.
export function VoicePlayer({ messageId = 0, duration = "", durationMs = 0, labels = {}, classes = {} }) {
  const audio = useRef(null);
  const [url, setUrl] = useState("");
  const [playing, setPlaying] = useState(false);
  const [loading, setLoading] = useState(false);
  const [slow, setSlow] = useState(false);
  const [problem, setProblem] = useState("");
  const [position, setPosition] = useState(0); // ms heard so far

  useEffect(() => () => { if (url) URL.revokeObjectURL(url); }, [url]);
  useEffect(() => { if (audio.current) audio.current.playbackRate = slow ? 0.75 : 1; }, [slow, url]);

  const toggle = async () => {
    const a = audio.current;
    if (!a) return;
    if (!a.paused) { a.pause(); return; }
    setProblem("");
    if (!url) {
      setLoading(true);
      try {
        const response = await fetch(voiceURL(`/voice/${messageId}`), {
          headers: { Authorization: `Bearer ${sessionToken()}` }, cache: "no-store",
        });
        if (!response.ok) throw new Error(String(response.status));
        const made = URL.createObjectURL(await response.blob());
        a.src = made;
        setUrl(made);
      } catch (e) {
        setLoading(false);
        setProblem(labels.failed || "");
        return;
      }
      setLoading(false);
    }
    a.playbackRate = slow ? 0.75 : 1;
    a.play().catch(() => setProblem(labels.failed || ""));
  };

  // The length the server knows (a recording from a phone often does not say its own).
  const total = Math.max(1, durationMs);
  const heard = Math.min(total, position);
  return h("div", { className: classes.wrapper, "data-voice": messageId },
    h("audio", {
      ref: audio, preload: "none", id: `voice-audio-${messageId}`,
      onPlay: () => setPlaying(true), onPause: () => setPlaying(false),
      onTimeUpdate: (e) => setPosition(e.currentTarget.currentTime * 1000),
      onEnded: (e) => { setPlaying(false); setPosition(total); e.currentTarget.dataset.ended = "true"; },
    }),
    h("button", {
      type: "button", className: classes.play, onClick: toggle, "data-action": "play",
      "aria-label": `${playing ? labels.pause : labels.play} (${duration})`,
    }, icon(playing ? Pause : Play)),
    h("div", { className: classes.info },
      h("span", { className: classes.word }, labels.voice),
      h("span", { className: classes.row },
        h("span", { className: classes.duration, dir: "ltr" },
          loading ? labels.loading : (heard > 0 ? `${clock(heard)} / ${duration}` : duration)),
        h("button", {
          type: "button", className: classes.speed, onClick: () => setSlow((s) => !s), "data-action": "speed",
          "aria-pressed": slow ? "true" : "false", "aria-label": `${labels.slower} ${slow ? "0.75×" : "1×"}`, dir: "ltr",
        }, slow ? "0.75×" : "1×"))),
    h("div", {
      className: classes.track, dir: "ltr", role: "progressbar", "aria-label": labels.voice,
      "aria-valuemin": 0, "aria-valuemax": total, "aria-valuenow": Math.round(heard),
      "aria-valuetext": `${clock(heard)} / ${duration}`, "data-progress": Math.round((100 * heard) / total),
    }, h("div", { className: classes.fill, style: { width: `${(100 * heard) / total}%` } })),
    problem && h("p", { role: "alert", className: classes.error }, problem),
  );
}
