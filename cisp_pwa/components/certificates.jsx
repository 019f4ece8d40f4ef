// Her absence, with a photo of a certificate if she has one (issue 25), and the photo opened by
// those who may see it.
// AbsenceSend: "Prendre une photo" (the phone's camera) or "Choisir une photo" (its gallery);
// a big photo is shrunk here first (a canvas, JPEG, at most 1600 px on its long side, under
// 2 MiB: a certificate stays readable, a cheap data plan is spared). "Envoyer": with a photo, the
// notice and its photo go together over HTTP (POST /certificate, cisp_pwa/endpoints/certificates.py)
// with the session token in an Authorization header, then the screen is told (onSent); without
// one, the screen sends it by the socket (onSend).
// CertificateView: the photo is fetched with the same header when asked for and shown from a
// blob: URL, so its address is useless to anyone else and nothing keeps it (the service worker
// skips /certificate). Every word comes from Python, in the person's language.
import React, { useEffect, useState } from "react";
import { sessionToken, useOffline, voiceURL } from "$/public/external/cisp_pwa/components/offline/offline.jsx";
import Camera from "lucide-react/dist/esm/icons/camera.mjs";
import ImageIcon from "lucide-react/dist/esm/icons/image.mjs";
import Send from "lucide-react/dist/esm/icons/send.mjs";
import X from "lucide-react/dist/esm/icons/x.mjs";
import Eye from "lucide-react/dist/esm/icons/eye.mjs";

const MAX_BYTES = 2 * 1024 * 1024; // models.CERTIFICATE_MAX_BYTES
const SMALL_BYTES = 1024 * 1024;   // a photo this small, of a type we keep, goes as it is
const KEPT = ["image/jpeg", "image/png", "image/webp"];
const LONG_EDGE = 1600;
const h = React.createElement;
// shrink-0: beside words that wrap (large text, 320 px), the pictogram keeps its size.
const icon = (Icon) => h(Icon, { size: 24, "aria-hidden": "true", className: "shrink-0" });

function decode(file) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => { URL.revokeObjectURL(url); resolve(img); };
    img.onerror = () => { URL.revokeObjectURL(url); reject(new Error("not an image")); };
    img.src = url;
  });
}

/** The photo as it will be sent: small enough as it is, else redrawn as a JPEG under 2 MiB. */
export async function shrink(file) {
  if (KEPT.includes(file.type) && file.size <= SMALL_BYTES) return file;
  const img = await decode(file); // a HEIC the browser cannot read fails here
  let edge = LONG_EDGE;
  let quality = 0.8;
  for (let i = 0; i < 6; i += 1) {
    const scale = Math.min(1, edge / Math.max(img.naturalWidth, img.naturalHeight));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(img.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(img.naturalHeight * scale));
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // a transparent screenshot on white, as on paper
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(img, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
    if (blob && blob.size <= MAX_BYTES) return blob;
    edge = Math.round(edge * 0.75);
    quality = Math.max(0.5, quality - 0.1);
  }
  throw new Error("too big");
}

function PhotoInput({ id, capture, label, Icon, onChange, className }) {
  return h("label", { htmlFor: id, className },
    icon(Icon), h("span", null, label),
    h("input", {
      id, type: "file", accept: "image/*", capture: capture ? "environment" : undefined,
      className: "sr-only", onChange,
    }));
}

export function AbsenceSend({
  day = "", presence = "", reason = "", minutes = 0, photo = true, labels = {}, classes = {}, onSend, onSent,
}) {
  const offline = useOffline();
  const [picked, setPicked] = useState(null); // { blob, url }
  const [phase, setPhase] = useState("idle"); // idle | preparing | sending
  const [problem, setProblem] = useState("");

  useEffect(() => () => { if (picked) URL.revokeObjectURL(picked.url); }, [picked]);

  const choose = async (event) => {
    const file = event.target.files && event.target.files[0];
    event.target.value = ""; // the same photo may be chosen again
    if (!file) return;
    setProblem("");
    setPhase("preparing");
    try {
      const blob = await shrink(file);
      setPicked({ blob, url: URL.createObjectURL(blob) });
    } catch (e) {
      setProblem(e && e.message === "too big" ? labels.tooBig : labels.notImage);
    }
    setPhase("idle");
  };

  const send = async () => {
    setProblem("");
    if (!reason) { setProblem(labels.chooseReason || ""); return; }
    if (offline || !navigator.onLine) { setProblem(labels.network || ""); return; }
    if (!photo || !picked) { if (onSend) onSend(); return; }
    setPhase("sending");
    try {
      const query = new URLSearchParams({ day, presence, reason, late: String(minutes || 0) });
      const response = await fetch(voiceURL(`/certificate?${query}`), {
        method: "POST",
        headers: { Authorization: `Bearer ${sessionToken()}`, "Content-Type": picked.blob.type || "image/jpeg" },
        body: picked.blob,
        cache: "no-store",
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok) {
        setPicked(null);
        setPhase("idle");
        if (onSent) onSent(body.id || 0);
        return;
      }
      setProblem((body.error && labels.errors && labels.errors[body.error]) || labels.failed || "");
    } catch (e) {
      setProblem(labels.network || "");
    }
    setPhase("idle");
  };

  return h("div", { className: classes.wrapper, id: "absence-send", "data-phase": phase },
    photo && h("div", { className: classes.photo },
      h("p", { className: classes.title }, labels.photoTitle),
      picked
        ? h("div", { className: classes.picked },
          h("img", { src: picked.url, alt: labels.preview, id: "certificate-preview", className: classes.preview }),
          h("button", { type: "button", id: "certificate-remove", className: classes.remove, onClick: () => setPicked(null) },
            icon(X), labels.remove))
        : h("div", { className: classes.choices },
          h(PhotoInput, { id: "certificate-camera", capture: true, label: labels.camera, Icon: Camera, onChange: choose, className: classes.pick }),
          h(PhotoInput, { id: "certificate-file", capture: false, label: labels.gallery, Icon: ImageIcon, onChange: choose, className: classes.pick })),
      phase === "preparing" && h("p", { role: "status", className: classes.status }, labels.preparing)),
    h("button", {
      type: "button", id: "absence-send-button", className: classes.send, onClick: send, disabled: phase !== "idle",
    }, icon(Send), phase === "sending" ? labels.sending : labels.send),
    h("p", { id: "absence-error", role: "alert", className: problem ? classes.error : "" }, problem),
  );
}

export function CertificateView({ certificateId = 0, labels = {}, classes = {} }) {
  const [url, setUrl] = useState("");
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState("");

  useEffect(() => () => { if (url) URL.revokeObjectURL(url); }, [url]);

  const toggle = async () => {
    if (open) { setOpen(false); return; }
    setProblem("");
    if (!url) {
      try {
        const response = await fetch(voiceURL(`/certificate/${certificateId}`), {
          headers: { Authorization: `Bearer ${sessionToken()}` }, cache: "no-store",
        });
        if (!response.ok) throw new Error(String(response.status));
        setUrl(URL.createObjectURL(await response.blob()));
      } catch (e) {
        setProblem(labels.failed || "");
        return;
      }
    }
    setOpen(true);
  };

  return h("div", { className: classes.wrapper, "data-certificate": certificateId },
    h("button", {
      type: "button", className: classes.button, onClick: toggle, "aria-expanded": open ? "true" : "false",
      "data-action": "certificate",
    }, icon(open ? X : Eye), open ? labels.hide : labels.show),
    open && url && h("img", { src: url, alt: labels.alt, className: classes.image, "data-photo": certificateId }),
    problem && h("p", { role: "alert", className: classes.error }, problem),
  );
}
