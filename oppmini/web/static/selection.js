// Several items chosen at once: a box on each card, Shift (with a click or with Space) choosing every
// card shown from the one chosen last, and the selection bar saying how many are chosen, with what
// can be done to them (move.js). The chosen ids outlive a redraw of the list: a box is drawn
// checked when its item is chosen.

import { element } from "./cardparts.js";

const $ = (id) => document.getElementById(id);
const SHOWN_CARDS = "#groups .items:not([hidden]) > li.item:not([hidden])";

const chosen = new Set(); // the ids of the items chosen
let anchor = null; // the id of the item chosen or unchosen last by itself: a range starts there
let ranging = false; // Shift was down when Space was pressed on a box (its click may not say so)

const boxOf = (itemId) => document.querySelector(`#groups [data-item-id="${itemId}"] input.select`);
const idOf = (box) => Number(box.closest("li.item").dataset.itemId);

// A card's box, checked when its item is chosen. Its label is as large as a finger (44 px); its name
// says which item it chooses, since the item's name is shown beside it.
export function selectBox(item, title) {
  const box = element("input", "select");
  box.type = "checkbox";
  box.checked = chosen.has(item.id);
  box.setAttribute("aria-label", `Select ${title}`);
  const label = element("label", "select-box");
  label.append(box);
  return label;
}

export const chosenIds = () => [...chosen];

function choose(itemId, on) {
  if (on) chosen.add(itemId);
  else chosen.delete(itemId);
  const box = boxOf(itemId);
  if (box) box.checked = on;
}

// The cards shown from one item's to another's, both included, in the order of the list; [] when
// either is not shown (filtered away, or its group closed).
function cardsBetween(fromId, toId) {
  const ids = [...document.querySelectorAll(SHOWN_CARDS)].map((card) => Number(card.dataset.itemId));
  const from = ids.indexOf(fromId);
  const to = ids.indexOf(toId);
  if (from < 0 || to < 0) return [];
  return ids.slice(Math.min(from, to), Math.max(from, to) + 1);
}

function picked(event) {
  const box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.classList.contains("select")) return;
  const itemId = idOf(box);
  const range = (event.shiftKey || ranging) && anchor !== null && anchor !== itemId;
  ranging = false;
  for (const id of range ? cardsBetween(anchor, itemId) : []) choose(id, box.checked);
  choose(itemId, box.checked);
  anchor = itemId;
  showBar();
}

// "3 selected" and the bar's buttons while anything is chosen; the bar hides when nothing is.
export function showBar() {
  $("selection-bar").hidden = chosen.size === 0;
  $("selection-status").textContent = `${chosen.size} selected`;
  if (!chosen.size) $("selection-error").hidden = true;
}

// Forget the ids of items no longer in the vault (moved away by a member, deleted elsewhere).
export function keepSelection(items) {
  const held = new Set(items.map((item) => item.id));
  for (const itemId of chosen) if (!held.has(itemId)) chosen.delete(itemId);
  if (anchor !== null && !held.has(anchor)) anchor = null;
  showBar();
}

// Nothing chosen any more; every box unchecked.
export function clearSelection() {
  for (const itemId of chosen) choose(itemId, false);
  showBar();
}

// Lock, sign out: the selection leaves with the vault.
export function forgetSelection() {
  chosen.clear();
  anchor = null;
  showBar();
}

export function setupSelection(container) {
  container.addEventListener("click", picked);
  container.addEventListener("keydown", (event) => {
    if (event.key === " " && event.target.classList.contains("select")) ranging = event.shiftKey;
  });
  $("selection-clear").addEventListener("click", () => {
    const last = anchor;
    clearSelection();
    // The keyboard goes back to the box chosen last, else to Search.
    const box = last !== null && boxOf(last);
    (box || $("search")).focus();
  });
}
