// The Health view: the vault's score and counts from GET /v1/vault/health (healthreport.js fetches
// it), then one group per finding (weak, reused, old, exposed, no password, http-only, shared
// one-time code seeds), each item with Change password (its editor with a new password generated)
// and Edit. Built with textContent only, like the vault list.

import { errorLine } from "./accountparts.js";
import { explain } from "./api.js";
import { button, element } from "./cardparts.js";
import { itemTitle } from "./card.js";
import { openItemEditor, openPasswordChange } from "./editors.js";
import { fetchReport, heldReport, onReport } from "./healthreport.js";
import { showError } from "./notice.js";
import { shown } from "./views.js";

const $ = (id) => document.getElementById(id);
const plural = (count, what) => `${count} ${what}${count === 1 ? "" : "s"}`;

let app = null; // {vault, onClose}: set by setupHealth

// The groups in the order shown: [finding, heading, its words]. Reused passwords and shared seeds are
// sets of items (the report's `reused` and `shared_totp`), the others one item each.
const GROUPS = [
  ["weak", "Weak passwords", weakWords],
  ["reused", "Reused passwords", (ids) => `The same password in ${plural(ids.length, "item")}:`],
  ["old", "Old passwords", (old) => `Not changed for ${plural(old.days, "day")}.`],
  ["exposed", "Exposed passwords", (exposed) => `Seen ${exposed.count.toLocaleString()} times in published breaches.`],
  ["no_password", "Items without a password", () => ""],
  ["http_only", "Sites without https", () => "The address is plain http, not https: what is typed there travels unencrypted."],
  ["shared_totp", "One-time code seeds in several items", (ids) => `The same seed in ${plural(ids.length, "item")}:`],
];
const SETS = new Set(["reused", "shared_totp"]);
const EXPOSED_CHECK = {
  off: "The exposed check is off: this server has no list of exposed passwords to look in.",
  unreadable: "The exposed check failed: the server could not read its list of exposed passwords.",
};

function weakWords(weak) {
  return [`Score ${weak.score} of 4.`, weak.warning, ...weak.suggestions].filter(Boolean).join(" ");
}

const itemOf = (itemId) => app.vault().items.find((item) => item.id === itemId) || null;
const collectionOf = (item) => app.vault().collections.find((collection) => collection.id === item.collection_id);

// One item of a finding: its name, where it is shared, and its buttons (none where it is read-only).
function itemRow(itemId, key) {
  const found = heldReport().items.find((one) => one.id === itemId);
  const row = element("li", "health-item");
  const item = itemOf(itemId);
  if (!item) {
    row.append(element("span", "muted", "An item this page does not hold: lock and unlock to see it."));
    return row;
  }
  const title = itemTitle(item);
  const what = element("div", "health-what");
  what.append(element("strong", "", title));
  const collection = item.collection_id == null ? null : collectionOf(item);
  const readOnly = found ? !found.counted : Boolean(collection && collection.role === "read");
  if (collection) what.append(" ", element("span", "badge", `Shared in ${collection.name || "(no name)"}`));
  if (readOnly) what.append(element("span", "muted health-note", "Read only: not counted against you."));
  row.append(what);
  if (readOnly) return row;
  const tools = element("div", "group-actions");
  const change = button("Change password", "small", `Change password of ${title}`, () => open(change, item, true));
  const edit = button("Edit", "small", `Edit ${title}`, () => open(edit, item, false));
  change.dataset.key = `${key}-${itemId}-change`;
  edit.dataset.key = `${key}-${itemId}-edit`;
  tools.append(change, edit);
  row.append(tools);
  return row;
}

// The editor over this view; once it closes, the keyboard comes back to the button that opened it
// (or, after the report was drawn again, the same button in the new report).
function open(opener, item, changing) {
  const key = opener.dataset.key;
  $("item-dialog").addEventListener("close", () => {
    if (!shown("health-view")) return;
    const again = $("health-view").querySelector(`[data-key="${key}"]`);
    (again || $("health-back")).focus();
  }, { once: true });
  if (changing) openPasswordChange(item);
  else openItemEditor(item);
}

function setRow(ids, key, words) {
  const row = element("li", "health-set");
  const items = element("ul", "plain-list");
  items.append(...ids.map((itemId) => itemRow(itemId, `${key}-${ids[0]}`)));
  row.append(element("p", "health-detail", words(ids)), items);
  return row;
}

function oneRow(found, key, words) {
  const row = itemRow(found.id, key);
  const text = words(found.findings[key]);
  if (text) row.querySelector(".health-what").append(element("p", "health-detail", text));
  return row;
}

function groupElement([key, heading, words], report) {
  const rows = SETS.has(key)
    ? report[key].map((ids) => setRow(ids, key, words))
    : report.items.filter((found) => key in found.findings).map((found) => oneRow(found, key, words));
  const section = element("section", "health-group");
  section.id = `health-${key}`;
  section.setAttribute("aria-labelledby", `health-${key}-title`);
  const title = element("h2", "", `${heading} (${rows.length})`);
  title.id = `health-${key}-title`;
  section.append(title);
  if (key === "exposed" && EXPOSED_CHECK[report.exposed_check]) {
    title.textContent = heading;
    section.append(element("p", "muted", EXPOSED_CHECK[report.exposed_check]));
  } else if (!rows.length) {
    section.append(element("p", "muted", "None."));
  } else {
    const list = element("ul", "plain-list");
    list.append(...rows);
    section.append(list);
  }
  return section;
}

function summary(report) {
  const counts = report.counts;
  const found = GROUPS.filter(([key]) => counts[key]).map(([key, heading]) => `${heading.toLowerCase()}: ${counts[key]}`);
  const checked = `${plural(report.checked, "item")} checked`;
  return `Score ${report.score} of 100. ${checked}${found.length ? `; ${found.join(", ")}` : ", nothing found"}.`;
}

function draw(report, problem) {
  if (!shown("health-view")) return;
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.key : null;
  if (!report) {
    if (problem && problem.status !== 401) showError("health-error", explain(problem));
    $("health-status").textContent = "";
    return;
  }
  showError("health-error", "");
  $("health-status").textContent = summary(report);
  $("health-groups").replaceChildren(...GROUPS.map((group) => groupElement(group, report)));
  // The keyboard stays on the same button, or on Back when its item left the report.
  if (focused) ($("health-view").querySelector(`[data-key="${focused}"]`) || $("health-back")).focus();
}

export async function showHealth() {
  $("health-groups").replaceChildren();
  showError("health-error", "");
  $("health-status").textContent = "Checking your passwords…";
  $("health-back").focus();
  // Drawn by the listener below, as are the reports fetched after a save made from this view.
  await fetchReport();
}

// Lock, sign out, session end: the report leaves the page with the vault.
export function wipeHealth() {
  $("health-groups").replaceChildren();
  $("health-status").textContent = "";
}

export function setupHealth(context) {
  app = context;
  const heading = element("div", "toolbar");
  const back = button("Back", "", "", app.onClose);
  back.id = "health-back";
  heading.append(element("h1", "", "Vault health"), back);
  // Say what it is: the server reads every password to make the report.
  const hint = element("p", "hint",
    "The server reads your passwords to make this report while it answers, as it does to show them, and " +
    "stores nothing of it. Nothing is sent to another site. Shared items count where you can change them.");
  const status = element("p", "health-status", "");
  status.id = "health-status";
  status.setAttribute("role", "status");
  const groups = element("div", "health-groups");
  groups.id = "health-groups";
  $("health-view").replaceChildren(heading, hint, status, errorLine("health-error"), groups);
  onReport(draw);
  if (heldReport()) draw(heldReport());
}
