// The vault's health report (GET /v1/vault/health): fetched after unlock and again after changes,
// held here, and shown as a badge on each card whose password is weak, reused or exposed. The list
// never waits for it: cards are drawn first and marked when the report comes.

import { element } from "./cardparts.js";

// After a save, a delete or a restore, the report is fetched again once changes pause this long,
// so an import or several saves in a row cost the server one report, not one each.
const REPORT_PAUSE_MS = 1000;
// The findings a card's badge names.
const MARKED = ["weak", "reused", "exposed"];

let app = null; // {call}: set by setupHealthReport
let report = null; // the last answer, null until one came
let marks = new Map(); // item id -> ["weak", "reused", ...]
let timer = null;
let generation = 0; // counts forgetReport(), so a fetch that outlived the vault changes nothing
const listeners = new Set();

function markAll() {
  marks = new Map();
  for (const item of report ? report.items : []) {
    const words = MARKED.filter((key) => key in item.findings);
    if (words.length) marks.set(item.id, words);
  }
  for (const card of document.querySelectorAll("#groups li.item")) markCard(card);
}

// A card's badge: one line of words ("Weak, reused password"), not a colour alone.
export function healthBadge(itemId) {
  const words = marks.get(itemId);
  if (!words) return null;
  const text = `${words.join(", ")} password`;
  return element("span", "badge health-badge", text[0].toUpperCase() + text.slice(1));
}

function markCard(card) {
  const old = card.querySelector(".health-badge");
  if (old) old.remove();
  const badge = healthBadge(Number(card.dataset.itemId));
  if (badge) card.querySelector(".item-badges").prepend(badge);
}

export const heldReport = () => report;

// Fetch the report now; the badges and whoever listens get it. Null when it failed (an older server
// has no report: the cards then carry no badge).
export async function fetchReport() {
  clearTimeout(timer);
  const started = generation;
  try {
    const answer = await app.call("GET", "vault/health");
    if (started !== generation) return null;
    report = answer;
    markAll();
    for (const listener of listeners) listener(report);
    return report;
  } catch (problem) {
    if (started === generation) for (const listener of listeners) listener(null, problem);
    return null;
  }
}

// Fetch the report again once the changes pause.
export function reportLater() {
  clearTimeout(timer);
  timer = setTimeout(fetchReport, REPORT_PAUSE_MS);
}

export function onReport(listener) {
  listeners.add(listener);
}

// Lock, sign out, session end: the report leaves with the vault.
export function forgetReport() {
  clearTimeout(timer);
  generation += 1;
  report = null;
  markAll();
}

export function setupHealthReport(context) {
  app = context;
}
