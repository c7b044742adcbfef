// The vault list: items grouped by category, search, reveal and copy.
// Everything is built with textContent, never HTML strings, so no stored
// value can turn into markup.

const MASK = "••••••••";
const CLIPBOARD_SECONDS = 30;

let entries = []; // {item, element, haystack} for the search filter
let clipboardTimer = null;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label, className, ariaLabel, onClick) {
  const node = element("button", className, label);
  node.type = "button";
  if (ariaLabel) node.setAttribute("aria-label", ariaLabel);
  node.addEventListener("click", onClick);
  return node;
}

const byName = (a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }) || a.id - b.id;

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
  return link;
}

function secretRow(label, value, title, say) {
  const row = element("div", "field secret");
  row.append(element("dt", "", label));
  const detail = element("dd");
  if (!value) {
    detail.append(element("span", "value muted", "none"));
  } else {
    const shown = element("span", "value masked", MASK);
    const what = label.toLowerCase();
    const toggle = button("Show", "small", `Show ${what} of ${title}`, () => {
      const reveal = shown.classList.contains("masked");
      shown.textContent = reveal ? value : MASK;
      shown.classList.toggle("masked", !reveal);
      toggle.textContent = reveal ? "Hide" : "Show";
      toggle.setAttribute("aria-label", `${toggle.textContent} ${what} of ${title}`);
    });
    const copy = button("Copy", "small", `Copy ${what} of ${title}`, () => copySecret(value, label, say));
    detail.append(shown, toggle, copy);
  }
  row.append(detail);
  return row;
}

function itemElement(item, actions) {
  const title = itemTitle(item);
  const card = element("li", "item");
  card.dataset.itemId = item.id;
  const head = element("div", "item-head");
  head.append(element("h3", "item-name", title));
  if (item.url) head.append(urlElement(item.url));
  card.append(head);

  const fields = element("dl", "fields");
  if (item.account) {
    const account = element("div", "field");
    account.append(element("dt", "", "Account"), element("dd", "value", item.account));
    fields.append(account);
  }
  fields.append(secretRow("Username", item.username, title, actions.say));
  fields.append(secretRow("Password", item.password, title, actions.say));
  card.append(fields);

  if (item.blob) {
    const notes = element("details", "notes");
    notes.append(element("summary", "", "Notes"), element("p", "notes-text", item.blob));
    card.append(notes);
  }
  const tools = element("div", "item-actions");
  tools.append(
    button("Edit", "small edit", `Edit ${title}`, () => actions.editItem(item)),
    button("Delete", "small danger", `Delete ${title}`, () => actions.deleteItem(item)),
  );
  card.append(tools);
  return card;
}

function groupElement(category, items, actions) {
  const group = element("section", "group");
  const headingId = category ? `category-${category.id}` : "category-none";
  group.setAttribute("aria-labelledby", headingId);
  const head = element("div", "group-head");
  const heading = element("h2", "", category ? category.name || "(no name)" : "No category");
  heading.id = headingId;
  heading.append(element("span", "count", String(items.length)));
  head.append(heading);
  if (category) {
    const name = category.name || "(no name)";
    head.append(
      button("Rename", "small", `Rename category ${name}`, () => actions.renameCategory(category)),
      button("Delete", "small danger", `Delete category ${name}`, () => actions.deleteCategory(category, items.length)),
    );
  }
  group.append(head);
  if (items.length === 0) group.append(element("p", "muted empty-group", "No items in this category yet."));
  const list = element("ul", "items");
  for (const item of items.slice().sort(byName)) {
    const card = itemElement(item, actions);
    const haystack = [item.name, item.url, item.username, item.account].join("\n").toLowerCase();
    entries.push({ item, element: card, group, haystack });
    list.append(card);
  }
  group.append(list);
  return group;
}

// Draw the whole vault into `container`; `actions` holds the callbacks of the buttons.
export function renderVault(container, vault, actions) {
  entries = [];
  const groups = vault.categories
    .slice()
    .sort(byName)
    .map((category) => ({ category, items: [] }));
  const byId = new Map(groups.map((group) => [group.category.id, group]));
  const loose = { category: null, items: [] };
  for (const item of vault.items) (byId.get(item.category_id) || loose).items.push(item);
  if (loose.items.length) groups.push(loose);
  container.replaceChildren(...groups.map((group) => groupElement(group.category, group.items, actions)));
}

// Show only the items whose name, url, username or account hold `query`; the count shown.
export function filterVault(container, query) {
  const needle = query.trim().toLowerCase();
  const visibleGroups = new Set();
  let shown = 0;
  for (const entry of entries) {
    const match = !needle || entry.haystack.includes(needle);
    entry.element.hidden = !match;
    if (match) {
      shown += 1;
      visibleGroups.add(entry.group);
    }
  }
  for (const group of container.children) group.hidden = Boolean(needle) && !visibleGroups.has(group);
  return shown;
}

export function wipeVault(container) {
  entries = [];
  container.replaceChildren();
}

// Write through the Clipboard API when the page is a secure context (https,
// localhost), else through a one-off copy event (plain http on a LAN).
async function writeClipboard(text) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  let written = false;
  const onCopy = (event) => {
    event.clipboardData.setData("text/plain", text);
    event.preventDefault();
    written = true;
  };
  document.addEventListener("copy", onCopy);
  try {
    document.execCommand("copy");
  } finally {
    document.removeEventListener("copy", onCopy);
  }
  if (!written) throw new Error("copy refused");
}

async function copySecret(value, label, say) {
  try {
    await writeClipboard(value);
  } catch {
    say(`The browser did not allow copying the ${label.toLowerCase()}.`, true);
    return;
  }
  clearTimeout(clipboardTimer);
  say(`${label} copied. The clipboard is cleared in ${CLIPBOARD_SECONDS} seconds.`);
  clipboardTimer = setTimeout(() => clearClipboard(say), CLIPBOARD_SECONDS * 1000);
}

// Browsers only let a page write the clipboard while it has focus; when it does
// not, the person has moved on and may have copied something else meanwhile.
export async function clearClipboard(say) {
  if (clipboardTimer === null) return;
  clearTimeout(clipboardTimer);
  clipboardTimer = null;
  if (!document.hasFocus()) return;
  try {
    await writeClipboard("");
    if (say) say("Clipboard cleared.");
  } catch {
    // Nothing more a page can do.
  }
}
