// The vault list: items grouped by category, search, reveal and copy.
// Everything is built with textContent, never HTML strings, so no stored
// value can turn into markup.

import { button, element, plainRow, secretRow } from "./cardparts.js";
import { codeRow } from "./codes.js";
import { fieldRows } from "./fields.js";

// The cards drawn at once; the rest follow in slices of LATER_SLICE, a task each.
const FIRST_SLICE = 60;
const LATER_SLICE = 200;

let entries = new Map(); // item id -> {item, group, haystack, element, match}
let onlyIds = null; // the ids the server's search found, while its answer is shown
let groups = new Map(); // category id (null: no category) -> {section, count, empty, list, entries}
let needle = ""; // the search, lower case
let favouritesOnly = false;
let current = { container: null, actions: null, timer: null, pending: [] };

// Favourites first, then by name.
const byName = (a, b) =>
  Boolean(b.favorite) - Boolean(a.favorite) ||
  a.name.localeCompare(b.name, undefined, { sensitivity: "base" }) ||
  a.id - b.id;

export function itemTitle(item) {
  return item.name || item.url || "(no name)";
}

// Only web addresses become links: a stored "javascript:" URL stays text.
function webAddress(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed : null;
  } catch {
    return null;
  }
}

function urlElement(url) {
  const parsed = webAddress(url);
  if (!parsed) return element("span", "item-url", url);
  const link = element("a", "item-url", parsed.host + (parsed.pathname === "/" ? "" : parsed.pathname));
  link.href = parsed.href;
  link.target = "_blank";
  link.rel = "noopener noreferrer";
  link.title = parsed.href; // the whole address, where the card shows it cut short
  return link;
}

function itemElement(item, actions) {
  const title = itemTitle(item);
  const card = element("li", "item");
  card.dataset.itemId = item.id;
  const head = element("div", "item-head");
  head.append(element("h3", "item-name", title));
  if (item.favorite) head.append(element("span", "badge", "Favourite"));
  const shared = actions.sharedIn(item);
  if (shared) head.append(element("span", "badge", `Shared in ${shared.name || "(no name)"}`));
  if (item.url) head.append(urlElement(item.url));
  card.append(head);

  const fields = element("dl", "fields");
  if (item.account) fields.append(element("dt", "", "Account"), element("dd", "value", item.account));
  fields.append(...plainRow("Username", item.username, title, actions.say));
  fields.append(...secretRow("Password", item.password, title, actions.say));
  if (item.totp) fields.append(...codeRow(item, title));
  fields.append(...fieldRows(item, title, actions.say));
  card.append(fields);

  if (item.blob) {
    const notes = element("details", "notes");
    notes.append(element("summary", "", "Notes"), element("p", "notes-text", item.blob));
    card.append(notes);
  }
  const tools = element("div", "item-actions");
  // The Read role of a shared item's collection may only look.
  const writes = !shared || shared.role !== "read";
  if (writes) tools.append(button("Edit", "small edit", `Edit ${title}`, () => actions.editItem(item)));
  tools.append(button("History", "small", `Earlier passwords of ${title}`, () => actions.showHistory(item)));
  if (writes) tools.append(button("Delete", "small danger", `Delete ${title}`, () => actions.deleteItem(item)));
  card.append(tools);
  return card;
}

const plural = (count) => `${count} item${count === 1 ? "" : "s"}`;

// The count after a group's heading: "3 items", or "2 of 3 items" while a search hides some.
function countGroup(group) {
  let all = 0;
  let shown = 0;
  for (const entry of group.entries) {
    all += 1;
    if (entry.match) shown += 1;
  }
  const filtering = Boolean(needle) || favouritesOnly;
  group.count.textContent = filtering && shown !== all ? `${shown} of ${plural(all)}` : plural(all);
  group.empty.hidden = all > 0;
  group.section.hidden = filtering && shown === 0;
}

function groupElement(category, actions) {
  const section = element("section", "group");
  const headingId = category ? `category-${category.id}` : "category-none";
  section.setAttribute("aria-labelledby", headingId);
  if (category) section.dataset.categoryId = category.id;
  const head = element("div", "group-head");
  const heading = element("h2", "", category ? category.name || "(no name)" : "No category");
  heading.id = headingId;
  const count = element("span", "count");
  heading.append(" ", count);
  head.append(heading);
  if (category) {
    const name = category.name || "(no name)";
    const tools = element("div", "group-actions");
    tools.append(
      button("Rename", "small rename", `Rename category ${name}`, () => actions.renameCategory(category)),
      button("Delete", "small danger", `Delete category ${name}`, () =>
        actions.deleteCategory(category, groups.get(category.id).entries.size),
      ),
    );
    head.append(tools);
  }
  const empty = element("p", "muted empty-group", "No items in this category yet.");
  const list = element("ul", "items");
  section.append(head, empty, list);
  return { section, count, empty, list, entries: new Set() };
}

// A hidden field's value is not searched: typing it would show which card holds it.
function entryOf(item, group) {
  const custom = (item.fields || []).flatMap((field) => (field.hidden ? [field.name] : [field.name, field.value]));
  const haystack = [item.name, item.url, item.username, item.account, ...custom].join("\n").toLowerCase();
  return { item, group, haystack, element: null, match: matches(item, haystack) };
}

function matches(item, haystack) {
  const found = onlyIds ? onlyIds.has(item.id) : !needle || haystack.includes(needle);
  return (!favouritesOnly || Boolean(item.favorite)) && found;
}

// The card of an entry, made when first needed.
function build(entry) {
  if (!entry.element) {
    entry.element = itemElement(entry.item, current.actions);
    entry.element.hidden = !entry.match;
  }
  return entry.element;
}

// Draw the whole vault into `container`; `actions` holds the callbacks of the buttons. The
// groups and the first cards are drawn at once, the other cards in slices after the first
// paint, so a large vault shows its top quickly. Search sees every item from the start.
export function renderVault(container, vault, actions) {
  clearTimeout(current.timer);
  entries = new Map();
  groups = new Map();
  current = { container, actions, timer: null, pending: [] };
  for (const category of vault.categories.slice().sort(byName)) groups.set(category.id, groupElement(category, actions));
  const sorted = vault.items.slice().sort(byName);
  for (const item of sorted) {
    const group = groupFor(item);
    const entry = entryOf(item, group);
    entries.set(item.id, entry);
    group.entries.add(entry);
  }
  const order = [...groups.values()];
  for (const group of order) {
    countGroup(group);
    current.pending.push(...group.entries);
  }
  container.replaceChildren(...order.map((group) => group.section));
  drawSome(FIRST_SLICE);
}

function groupFor(item) {
  let group = groups.get(item.category_id);
  if (!group) {
    group = groups.get(null);
    if (!group) {
      group = groupElement(null, current.actions);
      groups.set(null, group);
      if (current.container) current.container.append(group.section);
    }
  }
  return group;
}

function drawSome(count) {
  const slice = current.pending.splice(0, count);
  for (const entry of slice) if (entries.get(entry.item.id) === entry) entry.group.list.append(build(entry));
  if (current.pending.length) current.timer = setTimeout(() => drawSome(LATER_SLICE), 0);
}

// Show only the items whose name, url, username, account or custom fields hold `query`,
// only favourites when `onlyFavourites`; the count shown.
// `ids`: the server's search matched these (notes included); the typed needle then stands aside.
export function filterVault(container, query, onlyFavourites = false, ids = null) {
  needle = query.trim().toLowerCase();
  favouritesOnly = onlyFavourites;
  onlyIds = ids;
  let shown = 0;
  for (const entry of entries.values()) {
    const match = matches(entry.item, entry.haystack);
    if (match !== entry.match) {
      entry.match = match;
      if (entry.element) entry.element.hidden = !match;
    }
    if (match) shown += 1;
  }
  for (const group of groups.values()) countGroup(group);
  return shown;
}

// Put one saved item in its place (new, changed or moved) without redrawing the rest.
export function placeItem(item) {
  const old = entries.get(item.id);
  if (old) dropEntry(old);
  const group = groupFor(item);
  const entry = entryOf(item, group);
  entries.set(item.id, entry);
  group.entries.add(entry);
  const after = [...group.list.children].find((card) => byName(entries.get(Number(card.dataset.itemId)).item, item) > 0);
  group.list.insertBefore(build(entry), after || null);
  countGroup(group);
}

export function removeItem(itemId) {
  const entry = entries.get(itemId);
  if (entry) dropEntry(entry);
}

function dropEntry(entry) {
  entries.delete(entry.item.id);
  entry.group.entries.delete(entry);
  if (entry.element) entry.element.remove();
  current.pending = current.pending.filter((waiting) => waiting !== entry);
  const group = entry.group;
  if (group === groups.get(null) && group.entries.size === 0) {
    group.section.remove();
    groups.delete(null);
  } else {
    countGroup(group);
  }
}

// Where the keyboard goes when an item (or a category) goes away: the next one shown, else the one before.
export function neighbourOf(itemId, categoryId) {
  if (itemId !== null) {
    const cards = [...document.querySelectorAll("#groups li.item:not([hidden])")];
    const at = cards.findIndex((card) => Number(card.dataset.itemId) === itemId);
    const next = cards[at + 1] || cards[at - 1];
    return next ? { itemId: Number(next.dataset.itemId) } : null;
  }
  const sections = [...document.querySelectorAll("#groups section[data-category-id]:not([hidden])")];
  const at = sections.findIndex((section) => Number(section.dataset.categoryId) === categoryId);
  const next = sections[at + 1] || sections[at - 1];
  return next ? { categoryId: Number(next.dataset.categoryId) } : null;
}

export function wipeVault(container) {
  clearTimeout(current.timer);
  entries = new Map();
  groups = new Map();
  current = { container: null, actions: null, timer: null, pending: [] };
  container.replaceChildren();
}
