// The dialogs: add/edit an item (with the password generator), add/rename a
// category, and the questions asked before deleting.

import { explain } from "./api.js";
import { itemTitle } from "./vault.js";

const $ = (id) => document.getElementById(id);
const ITEM_FIELDS = ["name", "url", "account", "username", "password", "blob"];

let app = null; // {call, mutate, refresh, say, vault, focusAfterChange}: set by setupEditors
let editing = null; // the item or category the open dialog changes, null when adding
let lastCategory = ""; // new items go where the previous one went

function showError(id, text) {
  const box = $(id);
  box.textContent = text || "";
  box.hidden = !text;
}

// Run a dialog's save; errors stay in the dialog unless the session ended.
async function saving(dialog, errorId, work) {
  const submit = dialog.querySelector("button[type=submit]");
  submit.disabled = true;
  showError(errorId, "");
  try {
    const itemId = await work();
    dialog.close();
    app.focusAfterChange(itemId);
  } catch (problem) {
    if (problem.status !== 401) showError(errorId, explain(problem));
  } finally {
    submit.disabled = false;
  }
}

function setPasswordShown(shown) {
  $("item-password").type = shown ? "text" : "password";
  const toggle = $("item-password-toggle");
  toggle.textContent = shown ? "Hide" : "Show";
  toggle.setAttribute("aria-label", `${toggle.textContent} password`);
}

export function openItemEditor(item) {
  editing = item;
  $("item-title").textContent = item ? `Edit ${itemTitle(item)}` : "New item";
  const select = $("item-category");
  select.replaceChildren(new Option("No category", ""));
  const categories = app.vault().categories.slice().sort((a, b) => a.name.localeCompare(b.name));
  for (const category of categories) select.append(new Option(category.name || "(no name)", String(category.id)));
  for (const field of ITEM_FIELDS) $(`item-${field}`).value = item ? item[field] : "";
  select.value = item && item.category_id !== null ? String(item.category_id) : lastCategory;
  if (select.selectedIndex < 0) select.value = "";
  setPasswordShown(false);
  $("gen-entropy").textContent = "";
  showError("item-error", "");
  $("item-dialog").showModal();
  $("item-name").focus();
}

async function saveItem(event) {
  event.preventDefault();
  const row = {};
  for (const field of ITEM_FIELDS) row[field] = $(`item-${field}`).value;
  const category = $("item-category").value;
  row.category_id = category ? Number(category) : null;
  lastCategory = category;
  const item = editing;
  await saving($("item-dialog"), "item-error", async () => {
    let id;
    if (item) {
      await app.call("POST", "items", { items: [{ id: item.id, ...row }] });
      id = item.id;
    } else {
      const answer = await app.call("PUT", "items", { items: [row] });
      id = answer.items[0].id;
    }
    await app.refresh();
    app.say(`Saved ${itemTitle(row)}.`);
    return id;
  });
}

async function generate() {
  const words = $("gen-mode-words").checked;
  const count = $(words ? "gen-words" : "gen-length");
  if (!count.reportValidity()) return;
  const query = words
    ? { numwords: count.value, delimiter: $("gen-delimiter").value }
    : { numChars: count.value };
  const generateButton = $("gen-button");
  generateButton.disabled = true;
  showError("item-error", "");
  try {
    const answer = await app.call("GET", "generate", undefined, { query, phrase: false });
    $("item-password").value = answer.password;
    setPasswordShown(true);
    $("gen-entropy").textContent = `About ${Math.round(answer.entropy_bits)} bits of entropy.`;
  } catch (problem) {
    if (problem.status !== 401) showError("item-error", explain(problem));
  } finally {
    generateButton.disabled = false;
  }
}

function showGeneratorMode() {
  const words = $("gen-mode-words").checked;
  $("gen-chars-options").hidden = words;
  $("gen-words-options").hidden = !words;
}

export function openCategoryEditor(category) {
  editing = category;
  $("category-title").textContent = category ? "Rename category" : "New category";
  $("category-name").value = category ? category.name : "";
  showError("category-error", "");
  $("category-dialog").showModal();
  $("category-name").focus();
}

async function saveCategory(event) {
  event.preventDefault();
  const name = $("category-name").value;
  const category = editing;
  await saving($("category-dialog"), "category-error", async () => {
    if (category) {
      await app.call("POST", "categories", { categories: [{ id: category.id, name }] });
    } else {
      await app.call("PUT", "categories", { category_names: [name] });
    }
    await app.refresh();
    app.say(`Saved category ${name}.`);
  });
}

// Ask a question with one button per choice; resolves to the chosen value, or "" when cancelled.
export function ask(title, text, choices) {
  const dialog = $("confirm-dialog");
  $("confirm-title").textContent = title;
  $("confirm-text").textContent = text;
  const buttons = choices.map(({ label, value, danger }) => {
    const choice = document.createElement("button");
    choice.type = "submit";
    choice.value = value;
    choice.textContent = label;
    choice.className = danger ? "danger-fill" : "";
    return choice;
  });
  const cancel = document.createElement("button");
  cancel.type = "submit";
  cancel.value = "";
  cancel.textContent = "Cancel";
  $("confirm-choices").replaceChildren(...buttons, cancel);
  dialog.returnValue = "";
  dialog.showModal();
  cancel.focus();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue), { once: true }));
}

export async function deleteItem(item) {
  const title = itemTitle(item);
  const choice = await ask(`Delete ${title}?`, "The item moves to the trash (restorable through the API until it is purged).", [
    { label: "Delete item", value: "delete", danger: true },
  ]);
  if (!choice) return;
  await app.mutate(async () => {
    await app.call("DELETE", "items", { ids: [item.id] }, { phrase: false });
    await app.refresh();
    app.say(`Deleted ${title}.`);
  });
  app.focusAfterChange(null);
}

export async function deleteCategory(category, itemCount) {
  const name = category.name || "(no name)";
  const plural = itemCount === 1 ? "item" : "items";
  const choices = itemCount
    ? [
        { label: "Keep its items", value: "keep" },
        { label: `Delete its ${itemCount} ${plural} too`, value: "cascade", danger: true },
      ]
    : [{ label: "Delete category", value: "keep", danger: true }];
  const text = itemCount
    ? `It holds ${itemCount} ${plural}. Kept items move to “No category”.`
    : "The category is empty.";
  const choice = await ask(`Delete category ${name}?`, text, choices);
  if (!choice) return;
  await app.mutate(async () => {
    await app.call("DELETE", "categories", { ids: [category.id], cascade: choice === "cascade" }, { phrase: false });
    await app.refresh();
    app.say(`Deleted category ${name}.`);
  });
  app.focusAfterChange(null);
}

export function closeEditors() {
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
  for (const form of document.querySelectorAll("dialog form")) form.reset();
  editing = null;
}

export function setupEditors(context) {
  app = context;
  $("item-form").addEventListener("submit", saveItem);
  $("category-form").addEventListener("submit", saveCategory);
  $("gen-button").addEventListener("click", generate);
  $("gen-mode-chars").addEventListener("change", showGeneratorMode);
  $("gen-mode-words").addEventListener("change", showGeneratorMode);
  $("item-password-toggle").addEventListener("click", () => setPasswordShown($("item-password").type === "password"));
  for (const cancel of document.querySelectorAll("dialog .cancel")) {
    cancel.addEventListener("click", () => cancel.closest("dialog").close());
  }
  showGeneratorMode();
}
