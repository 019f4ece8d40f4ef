// A conversation opens at its newest message, and follows new ones: when one arrives while the
// person reads further up, a "new message" button appears instead of moving the page under her
// eyes; her own message always brings her down. Older pages added on top keep her place (the
// browser's scroll anchoring).
import React, { useEffect, useRef, useState } from "react";

const NEAR_PX = 160;

function nearBottom() {
  const page = document.scrollingElement;
  return page.scrollHeight - page.scrollTop - page.clientHeight < NEAR_PX;
}

function toBottom(smooth) {
  window.scrollTo({ top: document.scrollingElement.scrollHeight, behavior: smooth ? "smooth" : "auto" });
}

export function ThreadFollow({ lastId = 0, lastMine = false, label = "", className = "" }) {
  const shown = useRef(0);
  const wasNear = useRef(true);
  const [fresh, setFresh] = useState(false);

  useEffect(() => {
    const onScroll = () => {
      wasNear.current = nearBottom();
      if (wasNear.current) setFresh(false);
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => window.removeEventListener("scroll", onScroll);
  }, []);

  useEffect(() => {
    if (!lastId || lastId === shown.current) return;
    const opening = shown.current === 0;
    shown.current = lastId;
    if (opening) toBottom(false);
    else if (lastMine || wasNear.current) toBottom(true);
    else setFresh(true);
  }, [lastId, lastMine]);

  if (!fresh) return null;
  return React.createElement("button", {
    type: "button", id: "new-message", className,
    onClick: () => { setFresh(false); toBottom(true); },
  }, label);
}
