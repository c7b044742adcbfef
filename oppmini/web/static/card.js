// One item's card: its name, address, fields with Show and Copy, notes, and its buttons.
// Built with textContent only, so no stored value can turn into markup.

import { button, element, plainRow, secretRow } from "./cardparts.js";
import { codeRow } from "./codes.js";
import { filesLabel } from "./files.js";
import { fieldRows } from "./fields.js";
import { healthBadge } from "./healthreport.js";
import { typedRows } from "./itemtypes.js";

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

export function itemElement(item, actions) {
  const title = itemTitle(item);
  const card = element("li", "item");
  card.dataset.itemId = item.id;
  // Named by its heading when the card itself has the focus (listnav.js).
  card.setAttribute("aria-labelledby", `item-${item.id}-name`);
  const head = element("div", "item-head");
  const name = element("h3", "item-name", title);
  name.id = `item-${item.id}-name`;
  const badges = element("span", "item-badges");
  const health = healthBadge(item.id);
  if (health) badges.append(health);
  if (item.favorite) badges.append(element("span", "badge", "Favourite"));
  const shared = actions.sharedIn(item);
  if (shared) badges.append(element("span", "badge", `Shared in ${shared.name || "(no name)"}`));
  head.append(name, badges);
  if (item.url) head.append(urlElement(item.url));
  card.append(head);

  const fields = element("dl", "fields");
  if (item.account) fields.append(element("dt", "", "Account"), element("dd", "value", item.account));
  // A card, an identity, a note or a key shows a username or a password only when it has one.
  const login = !item.type || item.type === "login" || item.type === "wifi";
  if (login || item.username) fields.append(...plainRow("Username", item.username, title, actions.say));
  if (login || item.password) fields.append(...secretRow("Password", item.password, title, actions.say));
  fields.append(...typedRows(item, title, actions.say));
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
  tools.append(button("History", "small", `History: earlier passwords of ${title}`, () => actions.showHistory(item)));
  tools.append(button(filesLabel(item), "small", `Files of ${title}`, () => actions.showFiles(item, writes)));
  if (writes) tools.append(button("Delete", "small danger", `Delete ${title}`, () => actions.deleteItem(item)));
  card.append(tools);
  return card;
}
