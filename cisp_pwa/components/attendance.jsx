// Présences: one row per trainee, three taps (présent·e, en retard then its minutes, absent·e).
// The taps stay here, on the device, until "Enregistrer": then the sheet goes as one draft of the
// outbox (offline.jsx), each mark with a client id made here, so a sheet sent twice (the network
// came back twice) is written once. Connected, it goes at once (onSave) and the server's answer
// says whether it was taken (`sent`) or refused (`refused`, the screen says why); with no network
// it waits on the device ("En attente d'envoi") and the outbox sends it once the network is back.
// A row shows what is recorded; her notice ("je serai absente") shows on her row and pre-selects it.
import React, { useEffect, useRef, useState } from "react";
import {
  addDraft, newId, removeDrafts, useDrafts, useOffline,
} from "$/public/external/cisp_pwa/components/offline/offline.jsx";
import CircleCheck from "lucide-react/dist/esm/icons/circle-check.mjs";
import ClockAlert from "lucide-react/dist/esm/icons/clock-alert.mjs";
import CircleX from "lucide-react/dist/esm/icons/circle-x.mjs";
import Thermometer from "lucide-react/dist/esm/icons/thermometer.mjs";
import Baby from "lucide-react/dist/esm/icons/baby.mjs";
import Bus from "lucide-react/dist/esm/icons/bus.mjs";
import CalendarClock from "lucide-react/dist/esm/icons/calendar-clock.mjs";
import CircleDot from "lucide-react/dist/esm/icons/circle-dot.mjs";
import CheckCheck from "lucide-react/dist/esm/icons/check-check.mjs";
import Save from "lucide-react/dist/esm/icons/save.mjs";
import Megaphone from "lucide-react/dist/esm/icons/megaphone.mjs";
import Hourglass from "lucide-react/dist/esm/icons/hourglass.mjs";

const h = React.createElement;
const PRESENCES = ["present", "late", "absent"];
// The pictograms of cisp_pwa/words.py (presences, absence_reasons).
const ICONS = {
  "circle-check": CircleCheck,
  "clock-alert": ClockAlert,
  "circle-x": CircleX,
  "thermometer": Thermometer,
  "baby": Baby,
  "bus": Bus,
  "calendar-clock": CalendarClock,
  "circle-dot": CircleDot,
};

function Icon({ name, size = 22, Of = null }) {
  const Pictogram = Of || ICONS[name];
  return Pictogram ? h(Pictogram, { size, "aria-hidden": "true", className: "shrink-0" }) : null;
}

function say(text, values) {
  return Object.entries(values).reduce((t, [k, v]) => t.replace(`%(${k})s`, String(v)), text || "");
}

/** What a row stands at: chosen here, else recorded, else what she announced. */
function recordedOf(line) {
  return line.presence ? { presence: line.presence, late: line.late || 0 } : null;
}

function noticeOf(line) {
  return line.notice ? { presence: line.notice, late: line.notice_late || 0 } : null;
}

function same(a, b) {
  return !!a && !!b && a.presence === b.presence && (a.presence !== "late" || a.late === b.late);
}

export function AttendanceSheet({
  loaded = false, group = 0, day = "", starts = "", closed = false, lines = [], sent = [], refused = "",
  askReason = false, presences = {}, reasons = {}, minutes = [], labels = {}, classes = {}, onSave, children,
}) {
  const offline = useOffline();
  const outbox = useDrafts();
  const key = `${group}|${day}|${starts}`;
  // The taps of this sheet not recorded yet, and the reason of a correction.
  const [mem, setMem] = useState({ key: "", choices: {}, reason: "" });
  const [problem, setProblem] = useState("");
  const reasonField = useRef(null);
  const choices = mem.key === key ? mem.choices : {};
  const reason = mem.key === key ? mem.reason : "";

  const update = (change) => setMem((m) => {
    const base = m.key === key ? m : { key, choices: {}, reason: "" };
    return { ...base, ...change(base) };
  });

  // Recorded since (here or elsewhere): the row shows what is recorded, the tap is done with.
  useEffect(() => {
    setMem((m) => {
      if (m.key !== key) return m;
      const next = { ...m.choices };
      let changed = false;
      lines.forEach((line) => {
        if (next[line.id] && same(next[line.id], recordedOf(line))) { delete next[line.id]; changed = true; }
      });
      return changed ? { ...m, choices: next } : m;
    });
  }, [lines, key]);

  // Taken by the server: the device forgets the sheet, and the reason written for it.
  useEffect(() => {
    if (!Array.isArray(sent) || !sent.length) return;
    removeDrafts(sent);
    setMem((m) => (m.key === key ? { ...m, reason: "" } : m));
    setProblem("");
  }, [sent]);

  // Refused (the screen says why): it would be refused again, so it leaves the outbox; the taps
  // stay on the rows, to fix (a reason to give) and send again.
  useEffect(() => {
    if (!refused) return;
    removeDrafts([refused]);
  }, [refused]);

  useEffect(() => {
    if (askReason && reasonField.current) reasonField.current.focus();
  }, [askReason, refused]);

  const waiting = outbox.filter((d) => d.kind === "attendance" && d.group === group && d.day === day
    && d.starts === starts);
  const waitingIds = new Set();
  waiting.forEach((d) => {
    try { JSON.parse(d.marks).forEach((m) => waitingIds.add(m.trainee)); } catch (e) { /* not ours */ }
  });

  // A sheet that waited here left the outbox (the network came back): once its rows show what is
  // recorded, the screen says it arrived.
  const waitingKey = waiting.map((d) => d.id).join(" ");
  const waitedFor = useRef([]);
  const [arrived, setArrived] = useState(null);
  useEffect(() => {
    if (waitedFor.current.length && !waiting.length && !offline) setArrived(waitedFor.current);
    waitedFor.current = [...waitingIds];
  }, [waitingKey]);
  useEffect(() => { setArrived(null); }, [key]);

  const choiceOf = (line) => choices[line.id] || recordedOf(line) || noticeOf(line);
  const arrivedDone = Array.isArray(arrived) && arrived.every((id) => {
    const line = lines.find((l) => l.id === id);
    return !!line && same(choiceOf(line), recordedOf(line));
  });
  // What "Enregistrer" sends: each row whose choice is not what is recorded.
  const marks = lines.map((line) => ({ line, choice: choiceOf(line) }))
    .filter(({ line, choice }) => choice && !same(choice, recordedOf(line)));
  const needsReason = marks.length > 0 && (closed || marks.some(({ line }) => line.locked));
  const showReason = needsReason || askReason;

  const choose = (line, presence) => {
    setProblem("");
    setArrived(null);
    update((m) => {
      const before = choiceOf(line);
      let late = 0;
      if (presence === "late") {
        // Her notice's minutes, or those chosen before; else a tap on the minutes.
        late = before && before.presence === "late" ? before.late : (line.notice === "late" ? line.notice_late : 0);
      }
      return { choices: { ...m.choices, [line.id]: { presence, late } } };
    });
  };

  const chooseMinutes = (line, n) => {
    setProblem("");
    update((m) => ({ choices: { ...m.choices, [line.id]: { presence: "late", late: n } } }));
  };

  const allPresent = () => {
    setProblem("");
    setArrived(null);
    update((m) => {
      const next = { ...m.choices };
      lines.forEach((line) => { if (!choiceOf(line)) next[line.id] = { presence: "present", late: 0 }; });
      return { choices: next };
    });
  };

  const save = () => {
    if (!marks.length) { setProblem(labels.nothing); return; }
    const missing = marks.find(({ choice }) => choice.presence === "late" && !(choice.late > 0));
    if (missing) { setProblem(labels.lateMinutes); return; }
    const why = reason.trim();
    if (showReason && !why) {
      setProblem(labels.reasonMissing);
      if (reasonField.current) reasonField.current.focus();
      return;
    }
    setProblem("");
    const sheet = {
      kind: "attendance", id: newId(), group, day, starts, correction: showReason ? why : "",
      marks: JSON.stringify(marks.map(({ line, choice }) => ({
        trainee: line.id, presence: choice.presence, late: choice.presence === "late" ? choice.late : 0,
        reason: choice.presence === "present" ? "" : (line.notice_reason || line.reason || ""), client_id: newId(),
      }))),
    };
    addDraft(sheet);
    if (!offline && onSave) onSave(sheet);
  };

  if (!loaded) return null;
  const minuteChoices = (line, choice) => {
    const list = [...minutes];
    if (choice.late > 0 && !list.includes(choice.late)) list.push(choice.late);
    return list.sort((a, b) => a - b);
  };

  const row = (line) => {
    const choice = choiceOf(line);
    const recorded = recordedOf(line);
    const nameId = `attendance-name-${line.id}`;
    let status = "none";
    if (choice && same(choice, recorded)) status = "recorded";
    else if (choice && waitingIds.has(line.id)) status = "waiting";
    else if (choice) status = "changed";
    const told = line.notice && reasons[line.notice_reason];
    return h("li", {
      key: line.id, className: classes.row, "data-trainee": line.id, "data-name": line.name,
      "data-choice": choice ? choice.presence : "", "data-status": status,
    },
    h("div", { className: classes.head },
      h("p", { id: nameId, className: classes.name }, line.name),
      h("p", { className: classes[status] || classes.none, "data-row-status": status },
        status === "waiting" && h(Icon, { Of: Hourglass, size: 18 }),
        status === "recorded" && h(Icon, { Of: CircleCheck, size: 18 }),
        labels[status])),
    line.notice && h("p", { className: classes.notice, "data-notice": line.notice },
      h(Icon, { Of: Megaphone, size: 20 }),
      h("span", null, line.notice === "late" ? say(labels.noticeLate, { n: line.notice_late }) : labels.noticeAbsent),
      told && h("span", { className: classes.reason }, h(Icon, { name: told.icon, size: 20 }), told.word)),
    h("div", { role: "group", "aria-labelledby": nameId, className: classes.choices },
      PRESENCES.map((p) => {
        const on = !!choice && choice.presence === p;
        const word = presences[p] || {};
        return h("button", {
          key: p, type: "button", "aria-pressed": on ? "true" : "false", "data-presence": p,
          className: on ? classes[`${p}On`] : classes.choice, onClick: () => choose(line, p),
        }, h(Icon, { name: word.icon, size: 26 }), h("span", null, word.word));
      })),
    choice && choice.presence === "late" && h("div", {
      role: "group", "aria-label": `${labels.minutes} — ${line.name}`, className: classes.minutesRow,
    },
    h("p", { className: classes.minutesLabel, "aria-hidden": "true" }, labels.minutes),
    h("div", { className: classes.minutes },
      minuteChoices(line, choice).map((n) => h("button", {
        key: n, type: "button", "aria-pressed": choice.late === n ? "true" : "false", "data-minutes": n,
        className: choice.late === n ? classes.minuteOn : classes.minute, onClick: () => chooseMinutes(line, n),
      }, h("span", { dir: "auto" }, say(labels.minuteUnit, { n })))))));
  };

  const open = lines.filter((line) => !choiceOf(line)).length;
  return h("div", { className: classes.wrapper, id: "attendance-sheet" },
    h("button", { type: "button", id: "all-present", className: classes.allPresent, onClick: allPresent },
      h(Icon, { Of: CheckCheck, size: 24 }), labels.allPresent),
    h("ul", { id: "attendance-rows", className: classes.rows }, lines.map(row)),
    showReason && h("div", { className: classes.reasonBox },
      h("label", { htmlFor: "attendance-correction", className: classes.reasonLabel }, labels.reasonLabel),
      h("p", { id: "attendance-correction-hint", className: classes.hint }, labels.reasonHint),
      h("input", {
        id: "attendance-correction", ref: reasonField, type: "text", maxLength: 200, value: reason, dir: "auto",
        "aria-describedby": "attendance-correction-hint", className: classes.field,
        onChange: (e) => { const value = e.target.value; setProblem(""); update(() => ({ reason: value })); },
      })),
    open > 0 && h("p", { className: classes.hint, id: "attendance-open" }, say(labels.open, { n: open })),
    h("div", { className: classes.saveRow },
      h("button", { type: "button", id: "attendance-save", className: classes.save, onClick: save },
        h(Icon, { Of: Save, size: 24 }), labels.save, marks.length > 0 ? ` (${marks.length})` : "")),
    h("p", { role: "alert", id: "attendance-problem", className: problem ? classes.problem : "" }, problem),
    waiting.length > 0 && h("p", { role: "status", id: "attendance-waiting", className: classes.waitingBanner },
      h(Icon, { Of: Hourglass, size: 20 }), labels.waitingSheet),
    !waiting.length && arrivedDone && h("p", { role: "status", id: "attendance-arrived", className: classes.arrived },
      h(Icon, { Of: CircleCheck, size: 20 }), labels.arrived),
    children,
  );
}
