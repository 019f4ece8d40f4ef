// A file the server makes on demand for the person signed in (the hours' files,
// cisp_pwa/endpoints/hours_exports.py): fetched with the session token in an Authorization
// header, as voice messages are, then saved under the name the server gives. The address alone
// gives nothing to anyone else; nothing keeps the file (the service worker skips /exports).
// Every word comes from Python, in the person's language.
import React, { useEffect, useRef, useState } from "react";
import { sessionToken, voiceURL } from "$/public/external/cisp_pwa/components/offline/offline.jsx";
import Download from "lucide-react/dist/esm/icons/download.mjs";
import LoaderCircle from "lucide-react/dist/esm/icons/loader-circle.mjs";

const h = React.createElement;

function nameFrom(response, fallback) {
  const said = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
  return (said && said[1]) || fallback;
}

export function FetchDownload({
  path, filename, label, ariaLabel, busyLabel, failed, buttonId, className, problemClass, wrapperClass,
}) {
  const [state, setState] = useState(""); // "", "busy" or "failed"
  const alive = useRef(true);
  useEffect(() => () => { alive.current = false; }, []);

  const fetchIt = async () => {
    if (state === "busy") return;
    setState("busy");
    try {
      const response = await fetch(voiceURL(path), {
        headers: { Authorization: `Bearer ${sessionToken()}` }, cache: "no-store",
      });
      if (!response.ok) throw new Error(String(response.status));
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement("a");
      link.href = url;
      link.download = nameFrom(response, filename);
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 30000);
      if (alive.current) setState("");
    } catch (e) {
      if (alive.current) setState("failed");
    }
  };

  return h("span", { className: wrapperClass },
    h("button", {
      type: "button", id: buttonId, className, onClick: fetchIt, "data-download": path,
      "aria-label": ariaLabel || undefined,
      "aria-busy": state === "busy" ? "true" : undefined,
    },
    h(state === "busy" ? LoaderCircle : Download, { size: 20, "aria-hidden": "true", className: state === "busy" ? "animate-spin" : undefined }),
    state === "busy" ? busyLabel : label),
    state === "failed" ? h("span", { role: "alert", className: problemClass }, failed) : null);
}
