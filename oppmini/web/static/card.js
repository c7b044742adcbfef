// One item's card: compact, its box to select it, its name, username and Copy password, with More
// opening the rest (address, fields with Show and Copy, notes, and its buttons) in place.
// Built with textContent only, so no stored value can turn into markup.

import { button, element, plainRow, secretRow } from "./cardparts.js";
import { copySecret } from "./clipboard.js";
import { codeRow } from "./codes.js";
import { filesLabel } from "./fileparts.js";
import { fieldRows } from "./fields.js";
import { healthBadge } from "./healthreport.js";
import { typedRows } from "./itemtypes.js";
import { selectBox } from "./selection.js";

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

// What a card always shows: the name, the username (to tell two cards of one site apart) and badges.
function summary(item, title, shared) {
  const head = element("div", "item-head");
  const name = element("h3", "item-name", title);
  name.id = `item-${item.id}-name`;
  // The username and the badges share a line; a long username is cut short there, never a badge.
  const line = element("p", "item-line");
  if (item.username) line.append(element("span", "item-user", item.username));
  const badges = element("span", "item-badges");
  const health = healthBadge(item.id);
  if (health) badges.append(health);
  if (item.favorite) badges.append(element("span", "badge", "Favourite"));
  if (shared) badges.append(element("span", "badge shared-badge", `Shared in ${shared.name || "(no name)"}`));
  line.append(badges);
  head.append(name, line);
  return head;
}

// What More opens: the address, every field, the notes and the item's buttons.
function details(item, title, shared, actions) {
  const part = element("div", "item-details");
  part.id = `item-${item.id}-details`;
  part.hidden = true;
  if (item.url) part.append(urlElement(item.url));
  const fields = element("dl", "fields");
  if (item.account) fields.append(element("dt", "", "Account"), element("dd", "value", item.account));
  // A card, an identity, a note or a key shows a username or a password only when it has one.
  const login = !item.type || item.type === "login" || item.type === "wifi";
  if (login || item.username) fields.append(...plainRow("Username", item.username, title, actions.say));
  if (login || item.password) fields.append(...secretRow("Password", item.password, title, actions.say));
  fields.append(...typedRows(item, title, actions.say));
  if (item.totp) fields.append(...codeRow(item, title));
  fields.append(...fieldRows(item, title, actions.say));
  part.append(fields);
  if (item.blob) {
    const notes = element("details", "notes");
    notes.append(element("summary", "", "Notes"), element("p", "notes-text", item.blob));
    part.append(notes);
  }
  const tools = element("div", "item-actions");
  // The Read role of a shared item's collection may only look.
  const writes = !shared || shared.role !== "read";
  if (writes) tools.append(button("Edit", "small edit", `Edit ${title}`, () => actions.editItem(item)));
  tools.append(button("History", "small", `History of ${title}`, () => actions.showHistory(item)));
  tools.append(button(filesLabel(item), "small", `${filesLabel(item)} of ${title}`, () => actions.showFiles(item, writes)));
  if (writes) tools.append(button("Delete", "small danger", `Delete ${title}`, () => actions.deleteItem(item)));
  part.append(tools);
  return part;
}

// Opens or closes a card's details; `open` undefined turns them over.
export function openCard(card, open) {
  const more = card.querySelector(".more");
  const part = card.querySelector(".item-details");
  const shown = open === undefined ? part.hidden : open;
  part.hidden = !shown;
  more.setAttribute("aria-expanded", String(shown));
}

export function itemElement(item, actions) {
  const title = itemTitle(item);
  const shared = actions.sharedIn(item);
  const card = element("li", "item");
  card.dataset.itemId = item.id;
  // Named by its heading when the card itself has the focus (listnav.js).
  card.setAttribute("aria-labelledby", `item-${item.id}-name`);
  const quick = element("div", "item-quick");
  if (item.password) {
    const copy = () => copySecret(item.password, "Password", actions.say);
    quick.append(button("Copy password", "small", `Copy password of ${title}`, copy));
  }
  const more = button("More", "small more", `More about ${title}`, () => openCard(card));
  more.setAttribute("aria-expanded", "false");
  more.setAttribute("aria-controls", `item-${item.id}-details`);
  quick.append(more);
  card.append(selectBox(item, title), summary(item, title, shared), quick, details(item, title, shared, actions));
  return card;
}
