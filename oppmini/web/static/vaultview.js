// The vault screen: the vault the page holds, its list, search and the favourites filter, and
// what happens to the list after a change (one card redrawn, the place kept).

import { explain } from "./api.js";
import { openCard } from "./card.js";
import { fetchCodes } from "./codes.js";
import { fetchReport, forgetReport, reportLater } from "./healthreport.js";
import { isPhraseWrong } from "./session.js";
import { say, showError } from "./notice.js";
import { setupListNav } from "./listnav.js";
import { filterVault, placeItem, removeItem, renderVault, wipeVault } from "./vault.js";
import { catchUp } from "./changes.js";
import { keepingPlace } from "./place.js";
import {
  deleteCategory,
  deleteItem,
  openCategoryEditor,
  openItemEditor,
  setupEditors,
} from "./editors.js";
import { showFiles } from "./files.js";
import { showHistory } from "./history.js";
import { setupMove, showMoveChoices } from "./move.js";
import { forgetSelection, keepSelection, setupSelection } from "./selection.js";

const $ = (id) => document.getElementById(id);
const SEARCH_PAUSE_MS = 120; // a search runs once typing pauses this long, not on every key

let vault = { categories: [], items: [], collections: [] };
let searchTimer = null;
let serverMatches = null; // {query, ids}: the server's search for the query now in the box
let call = null; // the session's API call: set by setupVaultView

const actions = {
  say,
  editItem: openItemEditor,
  deleteItem,
  renameCategory: openCategoryEditor,
  deleteCategory,
  showHistory,
  showFiles,
  // The collection an item is shared in ({id, name, role}), null for a personal item.
  sharedIn: (item) => vault.collections.find((collection) => collection.id === item.collection_id) || null,
};

// The vault as fetched ({categories, items, collections}), drawn into the list. A server without
// sharing answers no "collections".
export function showVault(answer) {
  vault = { categories: answer.categories, items: answer.items, collections: answer.collections || [] };
  renderVault($("groups"), vault, actions);
  performance.mark("opp:rendered");
  selectionFollows();
  search();
  if (vault.items.some((item) => item.totp)) fetchCodes();
  // Not awaited: the list is drawn already, the badges follow the report.
  fetchReport();
}

export const heldVault = () => vault;

// A newer version of the vault from the server (GET fetchall): only what changed is redrawn, the
// place in the list, the focus and an open dialog kept. A category or collection changed (a role
// raised, a membership ended) redraws the list; otherwise each changed item's card alone.
export function applyVault(answer) {
  const next = { categories: answer.categories, items: answer.items, collections: answer.collections || [] };
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  const held = new Map(vault.items.map((item) => [item.id, item]));
  const whole = !same(next.categories, vault.categories) || !same(next.collections, vault.collections);
  vault = next;
  keepingPlace(() => {
    if (whole) {
      renderVault($("groups"), vault, actions);
      return;
    }
    const kept = new Set();
    for (const item of next.items) {
      const old = held.get(item.id);
      kept.add(item.id);
      if (!old || old.revision !== item.revision || old.collection_id !== item.collection_id) placeItem(item);
    }
    for (const itemId of held.keys()) if (!kept.has(itemId)) removeItem(itemId);
  });
  selectionFollows();
  showStatus();
  if (vault.items.some((item) => item.totp)) fetchCodes();
  reportLater();
}

// The selection keeps only items still held; Move to collection only while one may be written to.
function selectionFollows() {
  keepSelection(vault.items);
  showMoveChoices();
}

export async function refresh() {
  showVault(await call("GET", "fetchall"));
}

export function wipeVaultView() {
  vault = { categories: [], items: [], collections: [] };
  wipeVault($("groups"));
  forgetSelection();
  forgetReport();
  $("search").value = "";
  $("favourites-only").checked = false;
  $("search-status").textContent = "";
  showError("vault-error", "");
}

// Run a change started from the list; its error shows above the list.
async function mutate(work) {
  showError("vault-error", "");
  try {
    await work();
  } catch (problem) {
    if (problem.status !== 401 && !isPhraseWrong(problem)) showError("vault-error", explain(problem));
  }
}

// A saved item as the server answered it ("category" in the GET shape): its card alone is redrawn.
export function itemSaved(answer) {
  const { category, ...item } = answer;
  if (category !== undefined) item.category_id = category.id;
  vault.items = vault.items.filter((old) => old.id !== item.id).concat(item);
  placeItem(item);
  showStatus();
  if (item.totp) fetchCodes();
  reportLater();
}

function itemDeleted(itemId) {
  vault.items = vault.items.filter((old) => old.id !== itemId);
  removeItem(itemId);
  keepSelection(vault.items);
  showStatus();
  reportLater();
}

function search() {
  clearTimeout(searchTimer);
  serverMatches = null;
  showStatus();
}

// The page filters what it holds by name, address, username, account and fields; the server's
// search (GET /v1/search) also reads the notes, every word anywhere, never a password.
async function searchNotes() {
  const query = $("search").value.trim();
  if (!query) return;
  const answer = await call("GET", "search", undefined, { query: { q: query } });
  serverMatches = { query, ids: new Set(answer.items.map((item) => item.id)) };
  showStatus();
}

const counted = (count, what) => `${count} ${what}${count === 1 ? "" : "s"}`;

function showStatus() {
  const query = $("search").value;
  const favourites = $("favourites-only").checked;
  const found = serverMatches && serverMatches.query === query.trim() ? serverMatches.ids : null;
  const shown = filterVault($("groups"), query, favourites, found);
  $("search-notes").hidden = !query.trim() || found !== null;
  let status = "";
  if (!vault.items.length && !vault.categories.length) status = "Your vault is empty. Start with New item or New category.";
  else if (favourites && !query.trim()) status = shown ? counted(shown, "favourite") : "No favourites yet.";
  else if (found) status = shown ? `${counted(shown, "item")} hold every word, notes included` : `No item holds “${query.trim()}”, notes included.`;
  else if (query.trim()) status = shown ? counted(shown, "matching item") : `No items match “${query.trim()}”.`;
  $("search-status").textContent = status;
}

// Where the keyboard goes once a dialog has closed and the list changed: the item or category
// changed, or the neighbour of the one deleted ({itemId} or {categoryId}), so the place is kept.
function focusAfterChange(target) {
  let button = null;
  const card = target && target.itemId !== undefined && document.querySelector(`[data-item-id="${target.itemId}"]`);
  if (card) {
    // Its Edit is behind More: the card is opened, as it was when Edit was pressed.
    button = card.querySelector(".edit");
    if (button) openCard(card, true);
  }
  if (target && target.categoryId !== undefined) {
    button = document.querySelector(`[data-category-id="${target.categoryId}"] .rename`);
  }
  const toggle = button && button.closest(".group").querySelector(".toggle");
  if (toggle && toggle.getAttribute("aria-expanded") === "false") toggle.click();
  if (button) button.scrollIntoView({ block: "nearest" });
  (button || $("search")).focus();
}

export function setupVaultView(context) {
  call = context.call;
  $("search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, SEARCH_PAUSE_MS);
  });
  // Enter runs the search at once.
  $("search").addEventListener("keydown", (event) => event.key === "Enter" && search());
  $("favourites-only").addEventListener("change", showStatus);
  $("search-notes").addEventListener("click", () => searchNotes().catch((problem) => say(explain(problem))));
  $("add-item").addEventListener("click", () => openItemEditor(null));
  $("add-category").addEventListener("click", () => openCategoryEditor(null));
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, textarea, select, dialog");
    if (event.key === "/" && !typing && !$("vault-view").hidden) {
      event.preventDefault();
      $("search").focus();
    }
  });
  setupListNav($("groups"), $("jump"));
  setupSelection($("groups"));
  setupMove({ call, vault: () => vault, itemSaved, catchUp, say });
  setupEditors({ call, mutate, refresh, say, vault: () => vault, focusAfterChange, itemSaved, itemDeleted, catchUp });
}
