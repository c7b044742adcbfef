// The dialogs: add/edit an item (with the password generator), add/rename a
// category, and the questions asked before deleting.

import { explain } from "./api.js";
import { showError } from "./notice.js";
import { addField, showFields, typedFields } from "./fields.js";
import { chooseCollection, showCollectionChoice } from "./collectionchoice.js";
import { chosenMatchRule, setupMatchRule, showMatchRule } from "./matchrule.js";
import { chosenType, setupItemTypes, showItemType } from "./itemtypes.js";
import { lostShare } from "./sharewords.js";
import { KeptEditing, keptWords, saveChanges } from "./conflict.js";
import { failedWords, keptFiles, setupItemFiles, showItemFiles, uploadKept } from "./itemfiles.js";
import { itemTitle } from "./card.js";
import { neighbourOf } from "./vault.js";

const $ = (id) => document.getElementById(id);
const ITEM_FIELDS = ["name", "url", "account", "username", "password", "blob", "totp"];

// {call, mutate, refresh, say, vault, focusAfterChange, itemSaved, itemDeleted}: set by setupEditors
let app = null;
let editing = null; // the item or category the open dialog changes, null when adding
let sharedIn = ""; // the name of the collection of the item being edited, as it was when the editor opened
let lastCategory = ""; // new items go where the previous one went
const opened = new Map(); // dialog -> its fields' values when it opened, to tell whether anything changed

// What a person typed into a dialog: the values of its fields, the generator's settings and the file
// picker aside (the files picked are kept by itemfiles.js, and asked about on their own).
function typed(dialog) {
  return [...dialog.querySelectorAll("input, select, textarea")]
    .filter((field) => !field.closest(".generator") && field.type !== "file")
    .map((field) => (field.type === "checkbox" || field.type === "radio" ? String(field.checked) : field.value));
}

export function remember(dialog) {
  opened.set(dialog, typed(dialog).join("\u0000"));
}

// The open item or category dialog when it holds changes not yet saved (files picked and not yet
// uploaded among them), else null.
export function changedEditor() {
  for (const [dialog, values] of opened) {
    if (!dialog.open) continue;
    if (typed(dialog).join("\u0000") !== values) return dialog;
    if (dialog === $("item-dialog") && keptFiles().length) return dialog;
  }
  return null;
}

// Escape and Cancel close an unchanged dialog at once, and ask first when it holds changes.
async function leave(dialog) {
  if (changedEditor() === dialog) {
    const title = dialog.querySelector("h2").textContent;
    const choice = await ask("Discard your changes?", unsavedWords(dialog, title),
      [{ label: "Discard changes", value: "discard", danger: true }], "Keep editing");
    if (!choice) return;
  }
  dialog.close();
}

function unsavedWords(dialog, title) {
  const files = dialog === $("item-dialog") ? keptFiles().length : 0;
  const typedWords = typed(dialog).join("\u0000") !== opened.get(dialog) ? `What you typed in “${title}” has not been saved. ` : "";
  if (!files) return typedWords.trim();
  const picked = files === 1 ? "The file you picked is" : `The ${files} files you picked are`;
  return `${typedWords}${picked} not uploaded.`;
}

// Run a dialog's save; errors stay in the dialog unless the session ended.
// `fields`: the ids of the fields an error is about, or a function of the problem giving them.
// `words` says an error in words, `after` takes what the work returned and moves the keyboard
// there once the dialog closed.
export async function saving(dialog, errorId, fields, work, { words = explain, after = app.focusAfterChange } = {}) {
  const about = (problem) => (typeof fields === "function" ? fields(problem) : fields);
  const submit = dialog.querySelector("button[type=submit]");
  submit.disabled = true;
  showError(errorId, "", [...dialog.querySelectorAll("[aria-invalid]")].map((field) => field.id));
  try {
    const target = await work();
    dialog.close();
    after(target);
  } catch (problem) {
    if (problem.status !== 401) {
      showError(errorId, words(problem), about(problem));
      // In sight, above a sticky Save bar (a phone's): a message drawn below the fold seems like nothing happened.
      $(errorId).scrollIntoView({ block: "nearest" });
    }
  } finally {
    submit.disabled = false;
    // A disabled button loses the focus: give it back, so the keyboard stays in the dialog.
    if (dialog.open && !dialog.contains(document.activeElement)) submit.focus();
  }
}

function setShown(shown, field = "password", what = "password") {
  $(`item-${field}`).type = shown ? "text" : "password";
  const toggle = $(`item-${field}-toggle`);
  toggle.textContent = shown ? "Hide" : "Show";
  toggle.setAttribute("aria-label", `${toggle.textContent} ${what}`);
}

const TOTP_SHOWN = ["totp", "one-time code seed"];
const categoryGone = (problem) => (problem.description || "").startsWith("Category ");

export function openItemEditor(item) {
  editing = item;
  const collection = item && app.vault().collections.find((one) => one.id === item.collection_id);
  sharedIn = collection ? collection.name : "";
  $("item-title").textContent = item ? `Edit ${itemTitle(item)}` : "New item";
  const select = $("item-category");
  select.replaceChildren(new Option("No category", ""));
  const categories = app.vault().categories.slice().sort((a, b) => a.name.localeCompare(b.name));
  for (const category of categories) select.append(new Option(category.name || "(no name)", String(category.id)));
  for (const field of ITEM_FIELDS) $(`item-${field}`).value = (item && item[field]) || "";
  $("item-favorite").checked = Boolean(item && item.favorite);
  showMatchRule(item);
  showItemType(item);
  showFields(item ? item.fields || [] : []);
  showItemFiles(item);
  select.value = item && item.category_id !== null ? String(item.category_id) : lastCategory;
  if (select.selectedIndex < 0) select.value = "";
  showCollectionChoice(item, app.vault().collections);
  setShown(false);
  setShown(false, ...TOTP_SHOWN);
  $("gen-entropy").textContent = "";
  showError("item-error", "", ["item-category"]);
  remember($("item-dialog"));
  $("item-dialog").showModal();
  // A re-opened dialog starts at its title, not where the last one was scrolled to.
  $("item-form").scrollTop = 0;
  $("item-dialog").scrollTop = 0;
  $("item-name").focus();
}

// "Change password" (the Health view): the item's editor with a new password generated, shown and
// selected, to be copied to the site and then saved. Nothing is saved until Save.
export async function openPasswordChange(item) {
  openItemEditor(item);
  if (!(await generate())) return;
  $("item-password").focus();
  $("item-password").select();
}

async function saveItem(event) {
  event.preventDefault();
  const row = {};
  for (const field of ITEM_FIELDS) row[field] = $(`item-${field}`).value;
  const category = $("item-category").value;
  row.category_id = category ? Number(category) : null;
  row.favorite = $("item-favorite").checked;
  row.match = chosenMatchRule();
  row.fields = typedFields();
  Object.assign(row, chosenType());
  lastCategory = category;
  const item = editing;
  chooseCollection(row, item);
  const rebase = (saved) => (editing = saved);
  await saving($("item-dialog"), "item-error", (problem) => (categoryGone(problem) ? ["item-category"] : []), async () => {
    // The answer holds the saved item: its card is redrawn from it, not the whole vault from the server.
    // An edit sends only what changed, with the revision it was read at (conflict.js).
    const { saved, words } = item
      ? await saveChanges(item, row, { call: app.call, catchUp: app.catchUp, vault: app.vault, rebase })
      : { saved: (await app.call("PUT", "items", { items: [row] })).items[0] };
    app.itemSaved(saved);
    const failed = await uploadKept(saved);
    if (failed.length) {
      // The item is saved and the dialog becomes its editor, the files that did not go up still listed.
      keepEditing(saved);
      throw new KeptEditing(`Saved ${itemTitle(saved)}. ${failedWords(failed)}`);
    }
    app.say(words || `Saved ${itemTitle(saved)}.`);
    return { itemId: saved.id };
  }, { words: (problem) => keptWords(problem) || unreachable(item, problem) || explain(problem) });
}

// The editor of `saved`, as if opened on it now: a second Save changes it rather than adding another.
function keepEditing(saved) {
  editing = saved;
  const collection = app.vault().collections.find((one) => one.id === saved.collection_id);
  sharedIn = collection ? collection.name : "";
  $("item-title").textContent = `Edit ${itemTitle(saved)}`;
  remember($("item-dialog"));
}

// A shared item the person can no longer write: removed from its collection, or a role lowered since
// the page was drawn (a 403, or the item named as not theirs). The next Save keeps it as a new personal item.
function unreachable(item, problem) {
  if (!item || item.collection_id == null) return null;
  if (problem.status !== 403 && !(problem.status === 400 && (problem.description || "").startsWith("Item "))) return null;
  editing = null;
  $("item-collection").value = "";
  $("item-collection").dispatchEvent(new Event("change"));
  return lostShare(sharedIn || "its collection");
}

// A new password in the item dialog; true when one came.
async function generate() {
  const words = $("gen-mode-words").checked;
  const count = $(words ? "gen-words" : "gen-length");
  if (!count.reportValidity()) return false;
  const query = words
    ? { numwords: count.value, delimiter: $("gen-delimiter").value }
    : { numChars: count.value };
  const generateButton = $("gen-button");
  generateButton.disabled = true;
  showError("item-error", "");
  try {
    const answer = await app.call("GET", "generate", undefined, { query, phrase: false });
    $("item-password").value = answer.password;
    setShown(true);
    $("gen-entropy").textContent = strength(answer.entropy_bits);
    return true;
  } catch (problem) {
    if (problem.status !== 401) showError("item-error", explain(problem));
    return false;
  } finally {
    generateButton.disabled = false;
    if (!$("item-dialog").contains(document.activeElement)) generateButton.focus();
  }
}

// Plain words first; the bits for those who know what they mean.
function strength(bits) {
  const words = bits >= 100 ? "Very strong" : bits >= 75 ? "Strong" : bits >= 50 ? "Fair" : "Weak, make it longer";
  return `${words}: about ${Math.round(bits)} bits of entropy.`;
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
  showError("category-error", "", ["category-name"]);
  remember($("category-dialog"));
  $("category-dialog").showModal();
  $("category-name").focus();
}

async function saveCategory(event) {
  event.preventDefault();
  const name = $("category-name").value;
  const category = editing;
  await saving($("category-dialog"), "category-error", ["category-name"], async () => {
    let id = category && category.id;
    if (category) {
      await app.call("POST", "categories", { categories: [{ id: category.id, name }] });
    } else {
      id = (await app.call("PUT", "categories", { category_names: [name] })).categories[0].id;
    }
    await app.refresh();
    app.say(`Saved category ${name}.`);
    return { categoryId: id };
  });
}

// Ask a question with one button per choice; resolves to the chosen value, or "" when cancelled.
export function ask(title, text, choices, cancelLabel = "Cancel") {
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
  cancel.textContent = cancelLabel;
  $("confirm-choices").replaceChildren(...buttons, cancel);
  dialog.returnValue = "";
  dialog.showModal();
  cancel.focus();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue), { once: true }));
}

export async function deleteItem(item) {
  const title = itemTitle(item);
  const choice = await ask(`Delete ${title}?`, "The item moves to the trash, where you can restore it until it is purged.", [
    { label: "Delete item", value: "delete", danger: true },
  ]);
  if (!choice) return;
  const neighbour = neighbourOf(item.id);
  await app.mutate(async () => {
    await app.call("DELETE", "items", { ids: [item.id] }, { phrase: false });
    app.itemDeleted(item.id);
    app.say(`Moved ${title} to the trash.`);
  });
  app.focusAfterChange(neighbour);
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
  const neighbour = neighbourOf(null, category.id);
  await app.mutate(async () => {
    await app.call("DELETE", "categories", { ids: [category.id], cascade: choice === "cascade" }, { phrase: false });
    await app.refresh();
    app.say(`Deleted category ${name}.`);
  });
  app.focusAfterChange(neighbour);
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
  $("item-password-toggle").addEventListener("click", () => setShown($("item-password").type === "password"));
  $("item-totp-toggle").addEventListener("click", () => setShown($("item-totp").type === "password", ...TOTP_SHOWN));
  $("add-field").addEventListener("click", addField);
  setupMatchRule();
  setupItemTypes();
  setupItemFiles(context);
  guard($("item-dialog"));
  guard($("category-dialog"));
  showGeneratorMode();
}

// A dialog whose typed work is never lost: Cancel and Escape ask first when it changed, and the end of
// the session keeps it open (changedEditor). Its fields are compared with those of its last remember().
export function guard(dialog) {
  dialog.querySelector(".cancel").addEventListener("click", () => leave(dialog));
  // Escape is caught as a key: Chromium ignores preventDefault() on a second "cancel" without a click between.
  dialog.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.target.closest("dialog") !== dialog) return;
    event.preventDefault();
    leave(dialog);
  });
  dialog.addEventListener("cancel", (event) => {
    if (changedEditor() !== dialog) return;
    event.preventDefault();
    leave(dialog);
  });
}
