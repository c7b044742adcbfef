// Moving the chosen items (selection.js) into a collection or into the personal vault in ONE request:
// POST /v1/items, a row per item with its new collection_id and the revision the page showed. The
// server moves all of them or none (extensions §3: the Write role on both sides), re-sealing each
// under its new key, and refuses an item changed since the page read it. Items already where they
// are asked to go are left out, and the person is told so.

import { explain } from "./api.js";
import { itemTitle } from "./card.js";
import { element } from "./cardparts.js";
import { writableCollections } from "./collectionchoice.js";
import { showError } from "./notice.js";
import { keepingPlace } from "./place.js";
import { chosenIds, clearSelection, showBar } from "./selection.js";

const $ = (id) => document.getElementById(id);

// {call, vault, itemSaved, catchUp, say}: set by setupMove
let app = null;

const counted = (count) => `${count} item${count === 1 ? "" : "s"}`;
const nameOf = (collection) => (collection && collection.name) || "(no name)";
const collectionOf = (id) => app.vault().collections.find((collection) => collection.id === id) || null;
const writable = () => writableCollections(app.vault().collections);

// Up to three items by name ("Gmail, Bank and Wifi"), more by their number.
function named(items) {
  if (items.length > 3) return counted(items.length);
  const names = items.map(itemTitle);
  return names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

const where = (targetId) => (targetId === null ? "your personal vault" : nameOf(collectionOf(targetId)));

// Why the server moved nothing, naming the items it is about: a refusal names a row, an item or a
// collection, never all of them.
function refusal(problem, going, targetId) {
  const description = problem.description || "";
  const number = (pattern) => Number((pattern.exec(description) || [])[1]);
  if (problem.status === 403) {
    const collectionId = number(/collection (\d+)/);
    if (collectionId === targetId) return `you can no longer add items to ${where(targetId)} (your role changed).`;
    const held = going.filter((item) => item.collection_id === collectionId);
    const name = nameOf(collectionOf(collectionId));
    return `you may only read ${name}, so ${named(held)} cannot leave it. Take ${held.length === 1 ? "it" : "them"} ` +
      `out of the selection, or ask a manager of ${name} for the Write role.`;
  }
  const item = going.find((one) => one.id === number(/[Ii]tem (\d+)/));
  if (problem.status === 409 && item) {
    return `${itemTitle(item)} changed since the page showed it (saved in another window or by another member). ` +
      "The list shows it as it is now: check it and move again.";
  }
  if (/collection \d+ does not exist/.test(description)) return `you are no longer a member of ${where(targetId)}.`;
  if (item) return `${itemTitle(item)} is no longer in your vault (deleted, or its collection left). The list shows what is left.`;
  return explain(problem);
}

// Move the chosen items to `targetId` (a collection's id, or null: the personal vault).
async function move(targetId) {
  const chosen = new Set(chosenIds());
  const items = app.vault().items.filter((item) => chosen.has(item.id));
  const going = items.filter((item) => (item.collection_id ?? null) !== targetId);
  const there = items.filter((item) => (item.collection_id ?? null) === targetId);
  const already = there.length ? `${named(there)} ${there.length === 1 ? "was" : "were"} there already.` : "";
  if (!going.length) return showError("selection-error", `Nothing to move: ${already}`);
  showError("selection-error", "");
  const rows = going.map((item) => ({ id: item.id, collection_id: targetId, if_revision: item.revision }));
  let answer;
  try {
    answer = await app.call("POST", "items", { items: rows });
  } catch (problem) {
    if (problem.status === 401) return;
    showError("selection-error", `Nothing moved: ${refusal(problem, going, targetId)}`);
    // A changed or vanished item: the list catches up, so what the person sees is what the server holds.
    if (problem.status !== 403) await app.catchUp().catch(() => {});
    return;
  }
  keepingPlace(() => answer.items.forEach(app.itemSaved));
  clearSelection();
  // The keyboard goes on from the first item moved, in its new place in the list.
  const moved = new Set(going.map((item) => String(item.id)));
  const first = [...document.querySelectorAll("#groups li.item")].find((card) => moved.has(card.dataset.itemId));
  const box = first && first.querySelector("input.select");
  if (box) {
    box.scrollIntoView({ block: "nearest" });
    box.focus({ preventScroll: true });
  }
  app.say(`Moved ${counted(going.length)} to ${where(targetId)}.${already ? ` ${already}` : ""}`);
}

// The dialog listing the collections the person may write to, the first one chosen.
function openMoveDialog() {
  $("move-title").textContent = `Move ${counted(chosenIds().length)} to a collection`;
  const choices = writable().map((collection, index) => {
    const row = element("span", "radio long");
    const input = element("input");
    Object.assign(input, { type: "radio", name: "move-to", value: collection.id, id: `move-to-${collection.id}` });
    input.checked = index === 0;
    const label = element("label", "", nameOf(collection));
    label.htmlFor = input.id;
    row.append(input, label);
    return row;
  });
  $("move-choices").replaceChildren(...choices);
  $("move-dialog").showModal();
  const first = $("move-choices").querySelector("input");
  if (first) first.focus();
}

async function moveChosen(event) {
  event.preventDefault();
  const choice = document.querySelector("#move-choices input:checked");
  $("move-dialog").close();
  await move(choice ? Number(choice.value) : null);
}

// Hidden "Move to collection…" when the person may write to no collection.
export function showMoveChoices() {
  $("selection-move").hidden = writable().length === 0;
  showBar();
}

export function setupMove(context) {
  app = context;
  $("selection-move").addEventListener("click", openMoveDialog);
  $("selection-personal").addEventListener("click", () => move(null));
  $("move-form").addEventListener("submit", moveChosen);
  $("move-dialog").querySelector(".cancel").addEventListener("click", () => $("move-dialog").close());
  // Closed without moving (Cancel, Escape): the keyboard goes back to the button that opened it.
  $("move-dialog").addEventListener("close", () => {
    if (!document.activeElement || document.activeElement === document.body) $("selection-move").focus();
  });
}
