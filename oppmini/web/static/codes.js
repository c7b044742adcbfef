// One-time codes in the cards: the server computes them (GET /v1/totp, the seeds never
// reach this page's code), a one-second tick counts each one down, and all are fetched
// again when one's time step ends.

import { copySecret } from "./clipboard.js";
import { button, element } from "./cardparts.js";

const RETRY_MS = 15000; // after a failed fetch, so a server in trouble is not asked every second

let app = null; // {call, say}: set by setupCodes
let codes = new Map(); // item id -> {code, period, remaining, digits}, as the server answered
let rows = new Map(); // item id -> {code, left} elements of its card
let due = 0; // when, on this machine's clock, the next fetch is due; 0: never (no codes)
let ticker = null;
let fetching = false;
let generation = 0; // counts forgetCodes(), so a fetch that outlived the vault changes nothing

// A card's row for its one-time code, filled in by the next fetch or tick.
export function codeRow(item, title) {
  const code = element("span", "value code", "······");
  const left = element("span", "muted code-left");
  const copy = button("Copy", "small", `Copy one-time code of ${title}`, () => {
    const current = codes.get(item.id);
    if (current) copySecret(current.code, "One-time code", app.say);
  });
  const detail = element("dd");
  detail.append(code, left, copy);
  rows.set(item.id, { code, left });
  draw(item.id);
  return [element("dt", "", "One-time code"), detail];
}

function draw(itemId) {
  const row = rows.get(itemId);
  const current = codes.get(itemId);
  if (!row) return;
  if (!current) {
    row.left.textContent = "";
    return;
  }
  const seconds = Math.max(0, Math.ceil((current.ends - Date.now()) / 1000));
  row.code.textContent = current.code;
  row.left.textContent = `${seconds} s left`;
}

function tick() {
  for (const [itemId, row] of rows) {
    // A card removed or redrawn leaves its old row behind: forgotten here.
    if (row.code.isConnected) draw(itemId);
    else rows.delete(itemId);
  }
  if (due && Date.now() >= due) fetchCodes();
}

// Fetch every code of the vault again; called when the vault is drawn or an item saved.
export async function fetchCodes() {
  if (fetching) return;
  fetching = true;
  const started = generation;
  try {
    const answer = await app.call("GET", "totp");
    if (started !== generation) return;
    const now = Date.now();
    codes = new Map(answer.codes.map((one) => [one.id, { ...one, ends: now + one.remaining * 1000 }]));
    due = codes.size ? Math.min(...[...codes.values()].map((one) => one.ends)) : 0;
  } catch {
    if (started !== generation) return;
    // The old code stays, its countdown at 0; tried again shortly.
    due = Date.now() + RETRY_MS;
  } finally {
    fetching = false;
  }
  if (!ticker) ticker = setInterval(tick, 1000);
  tick();
}

// Lock, sign out, session end: the codes leave the page with the vault.
export function forgetCodes() {
  generation += 1;
  clearInterval(ticker);
  ticker = null;
  codes = new Map();
  rows = new Map();
  due = 0;
}

export function setupCodes(context) {
  app = context;
}
