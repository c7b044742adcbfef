// The Trash view: deleted items (GET /v1/trash), each restored (POST) or deleted for
// good (DELETE by id), and the whole trash emptied (DELETE all), asking first.
// Built with textContent only, like the vault list.

import { explain } from "./api.js";
import { button, element } from "./cardparts.js";
import { itemTitle } from "./card.js";
import { ask } from "./editors.js";

let app = null; // {call, say, itemSaved, onClose}: set by setupTrash

const $ = (id) => document.getElementById(id);

function showError(text) {
  $("trash-error").textContent = text;
  $("trash-error").hidden = !text;
}

// Run a trash call; its failure shows above the list. True when it went through.
async function attempt(work) {
  showError("");
  try {
    await work();
    return true;
  } catch (problem) {
    if (problem.status !== 401) showError(explain(problem));
    return false;
  }
}

function stamp(seconds) {
  return new Date(seconds * 1000).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

function counted() {
  const count = $("trash-list").children.length;
  $("trash-status").textContent = count
    ? `${count} item${count === 1 ? "" : "s"} in the trash.`
    : "The trash is empty.";
  $("trash-empty").hidden = count === 0;
}

// A row gone: the keyboard moves to the next row's first button, else the previous one's, else Back.
function dropRow(row) {
  const next = row.nextElementSibling || row.previousElementSibling;
  row.remove();
  counted();
  (next ? next.querySelector("button") : $("trash-back")).focus();
}

function rowOf(item) {
  const title = itemTitle(item);
  const row = element("li", "trash-row");
  row.dataset.itemId = item.id;
  const what = element("div", "trash-what");
  what.append(element("strong", "", title), element("span", "muted", ` deleted ${stamp(item.deleted_at)}`));
  const restore = button("Restore", "small", `Restore ${title}`, async () => {
    let answer = null;
    if (!(await attempt(async () => (answer = await app.call("POST", "trash", { ids: [item.id] }))))) return;
    for (const restored of answer.items) app.itemSaved(restored);
    app.say(`Restored ${title} to the vault.`);
    dropRow(row);
  });
  const purge = button("Delete for good", "small danger", `Delete for good: ${title}`, async () => {
    const choice = await ask(`Delete ${title} for good?`, "It leaves the trash and cannot be restored.", [
      { label: "Delete for good", value: "purge", danger: true },
    ]);
    if (!choice) return purge.focus();
    if (!(await attempt(() => app.call("DELETE", "trash", { ids: [item.id] }, { phrase: false })))) return;
    app.say(`Deleted ${title} for good.`);
    dropRow(row);
  });
  const tools = element("div", "group-actions");
  tools.append(restore, purge);
  row.append(what, tools);
  return row;
}

async function emptyTrash() {
  const count = $("trash-list").children.length;
  const text = `${count === 1 ? "The item" : `The ${count} items`} in it will be deleted for good and cannot be restored.`;
  const choice = await ask("Empty the trash?", text, [{ label: "Empty the trash", value: "all", danger: true }]);
  if (!choice) return $("trash-empty").focus();
  if (!(await attempt(() => app.call("DELETE", "trash", { all: true }, { phrase: false })))) return;
  $("trash-list").replaceChildren();
  counted();
  app.say("The trash is empty.");
  $("trash-back").focus();
}

export async function showTrash() {
  $("trash-list").replaceChildren();
  $("trash-status").textContent = "Loading…";
  $("trash-empty").hidden = true;
  let answer = null;
  if (!(await attempt(async () => (answer = await app.call("GET", "trash"))))) return;
  $("trash-list").replaceChildren(...answer.items.map(rowOf));
  counted();
  const first = $("trash-list").querySelector("button");
  (first || $("trash-back")).focus();
}

// Lock, sign out, session end: the deleted items leave the page with the vault.
export function wipeTrash() {
  $("trash-list").replaceChildren();
}

export function setupTrash(context) {
  app = context;
  const heading = element("div", "toolbar");
  const back = button("Back", "", "", app.onClose);
  back.id = "trash-back";
  heading.append(element("h1", "", "Trash"), back);
  const status = element("p", "muted", "");
  status.id = "trash-status";
  const error = element("p", "error");
  error.id = "trash-error";
  error.setAttribute("role", "alert");
  error.hidden = true;
  const list = element("ul", "plain-list");
  list.id = "trash-list";
  const empty = button("Empty the trash", "danger", "", emptyTrash);
  empty.id = "trash-empty";
  const hint = element("p", "hint",
    "Deleted items wait here until you delete them for good or the server purges them after the days it keeps them.");
  $("trash-view").replaceChildren(heading, hint, status, error, list, empty);
}
