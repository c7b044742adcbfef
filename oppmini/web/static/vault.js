// The vault list: items grouped by category, then by shared collection, then "No category" (each
// group opens and closes), filtered by search, the first cards drawn at once and the rest in
// slices. Everything is built with textContent, never HTML strings, so no stored value can turn
// into markup.

import { itemElement } from "./card.js";
import { button, element } from "./cardparts.js";
import { fillJumpList, keepStop, quiet } from "./listnav.js";

// The cards drawn at once (more than a large screen shows); the rest follow in slices of
// LATER_SLICE, each after a frame was painted, so the first paint waits for no card off screen.
const FIRST_SLICE = 40;
const LATER_SLICE = 100;

let entries = new Map(); // item id -> {item, group, haystack, element, match}
let onlyIds = null; // the ids the server's search found, while its answer is shown
// category id, "shared-" + collection id, or null (no category) -> {section, name, count, empty, list, entries}
let groups = new Map();
let needle = ""; // the search, lower case
let favouritesOnly = false;
let current = { container: null, actions: null, timer: null, pending: [] };
const collapsed = new Set(); // the sections' ids of the categories closed, kept across redraws until wiped

// Favourites first, then by name. One collator: localeCompare with options builds one per call,
// a third of the time to sort 2,000 items.
const collator = new Intl.Collator(undefined, { sensitivity: "base" });
const byName = (a, b) => Boolean(b.favorite) - Boolean(a.favorite) || collator.compare(a.name, b.name) || a.id - b.id;

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
  if (group.spoken) group.toggle.setAttribute("aria-label", `${group.spoken}, ${group.count.textContent}`);
  const closed = collapsed.has(group.section.id);
  group.empty.hidden = all > 0 || closed;
  group.list.hidden = closed;
  group.section.hidden = filtering && shown === 0;
  keepStop(group.list);
}

// A category's heading opens and closes its list; the count stays in sight.
function toggleGroup(group) {
  const id = group.section.id;
  if (collapsed.has(id)) collapsed.delete(id);
  else collapsed.add(id);
  group.toggle.setAttribute("aria-expanded", String(!collapsed.has(id)));
  countGroup(group);
}

// A category's group, a shared collection's (`collection`), or "No category" (neither). A collection's
// has no Rename or Delete: it is managed in the Shared view.
function groupElement(category, actions, collection = null) {
  const section = element("section", "group");
  const key = category ? category.id : collection ? `shared-${collection.id}` : "none";
  const named = category || collection;
  const name = named ? named.name || "(no name)" : "No category";
  section.id = `group-${key}`;
  section.setAttribute("aria-labelledby", `category-${key}`);
  if (category) section.dataset.categoryId = category.id;
  if (collection) section.dataset.collectionId = collection.id;
  const head = element("div", "group-head");
  const heading = element("h2");
  heading.id = `category-${key}`;
  const count = element("span", "count");
  const toggle = element("button", "toggle");
  toggle.type = "button";
  toggle.setAttribute("aria-expanded", String(!collapsed.has(section.id)));
  toggle.setAttribute("aria-controls", `items-${key}`);
  toggle.append(element("span", "", name), " ");
  if (collection) toggle.append(element("span", "badge", "Shared"), " ");
  toggle.append(count);
  heading.append(toggle);
  head.append(heading);
  if (category) {
    const tools = element("div", "group-actions");
    tools.append(
      button("Rename", "small rename", `Rename category ${name}`, () => actions.renameCategory(category)),
      button("Delete", "small danger", `Delete category ${name}`, () =>
        actions.deleteCategory(category, groups.get(category.id).entries.size),
      ),
    );
    head.append(tools);
  }
  const empty = element("p", "muted empty-group", `No items in this ${collection ? "collection" : "category"} yet.`);
  const list = element("ul", "items");
  list.id = `items-${key}`;
  section.append(head, empty, list);
  const group = { section, name: collection ? `${name} (shared)` : name, count, empty, list, toggle, entries: new Set() };
  // Heard as "Family, shared, 3 items" (countGroup): the words seen ("Family", a Shared mark, the count) in order.
  if (collection) group.spoken = `${name}, shared`;
  toggle.addEventListener("click", () => toggleGroup(group));
  return group;
}

function jumpList() {
  fillJumpList(document.getElementById("jump-list"), [...groups.values()]);
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
    quiet(entry.element);
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
  // "No category" comes last: made when an item needs it, it is appended after these.
  for (const collection of vault.collections.slice().sort(byName)) {
    groups.set(`shared-${collection.id}`, groupElement(null, actions, collection));
  }
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
  jumpList();
  drawSome(FIRST_SLICE);
}

// A shared item's group is its collection's; a personal one's its category's, else "No category".
function groupFor(item) {
  let group = groups.get(item.collection_id == null ? item.category_id : `shared-${item.collection_id}`);
  if (!group) {
    group = groups.get(null);
    if (!group) {
      group = groupElement(null, current.actions);
      groups.set(null, group);
      if (current.container) {
        current.container.append(group.section);
        jumpList();
      }
    }
  }
  return group;
}

function drawSome(count) {
  const slice = current.pending.splice(0, count);
  const touched = new Set();
  for (const entry of slice) {
    if (entries.get(entry.item.id) !== entry) continue;
    entry.group.list.append(build(entry));
    touched.add(entry.group.list);
  }
  for (const list of touched) keepStop(list);
  if (current.pending.length) later();
}

// The next slice after the next frame: requestAnimationFrame runs before that frame's paint,
// the timeout it sets runs after it.
function later() {
  const drawing = current;
  requestAnimationFrame(() => {
    if (current === drawing) drawing.timer = setTimeout(() => drawSome(LATER_SLICE), 0);
  });
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
    jumpList();
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
  collapsed.clear();
  container.replaceChildren();
  document.getElementById("jump-list").replaceChildren();
}
