// Moving around a long list by keyboard. Each group is a few tab stops, not one per button:
// its heading's toggle, a category's Rename and Delete, and one card (a roving tab stop). Arrow keys,
// Home and End move between the cards (from a card's box to the next card's box); Tab enters the
// card with the focus, whose box, buttons and links join the tab order only while the focus is
// inside it. The jump list scrolls to a category and opens it.

const CONTROLS = "button, a[href], summary, input";
const CARDS = ".items:not([hidden]) > li.item:not([hidden])";

// A new card: reachable by arrow keys and by clicking, out of the tab order until entered.
export function quiet(card) {
  card.tabIndex = -1;
  for (const control of card.querySelectorAll(CONTROLS)) control.tabIndex = -1;
}

function setControls(card, tabIndex) {
  for (const control of card.querySelectorAll(CONTROLS)) control.tabIndex = tabIndex;
}

// The card of `list` that Tab stops at: the one last entered while it is still shown, else the
// first one shown. Called whenever the list's cards come, go or are filtered.
export function keepStop(list) {
  const stop = list.querySelector(":scope > li.item[tabindex='0']");
  if (stop && !stop.hidden) return;
  if (stop) stop.tabIndex = -1;
  const first = [...list.children].find((card) => !card.hidden);
  if (first) first.tabIndex = 0;
}

function enter(card) {
  const list = card.parentElement;
  const stop = list.querySelector(":scope > li.item[tabindex='0']");
  if (stop !== card) {
    if (stop) stop.tabIndex = -1;
    card.tabIndex = 0;
  }
  setControls(card, 0);
}

// `onBox`: the keys were pressed on the card's box (selection.js), so the next card's box gets the focus.
function move(from, key, onBox) {
  const cards = [...from.closest(".groups").querySelectorAll(CARDS)];
  const at = cards.indexOf(from);
  const to = { ArrowDown: at + 1, ArrowRight: at + 1, ArrowUp: at - 1, ArrowLeft: at - 1, Home: 0, End: cards.length - 1 }[key];
  const card = cards[Math.max(0, Math.min(cards.length - 1, to))];
  if (!card) return;
  (onBox ? card.querySelector("input.select") : card).focus();
  card.scrollIntoView({ block: "nearest" });
}

export function setupListNav(container, jump) {
  container.addEventListener("focusin", (event) => {
    const card = event.target.closest("li.item");
    if (card) enter(card);
  });
  container.addEventListener("focusout", (event) => {
    const card = event.target.closest("li.item");
    if (card && !card.contains(event.relatedTarget)) setControls(card, -1);
  });
  container.addEventListener("keydown", (event) => {
    const card = event.target.closest("li.item");
    const keys = ["ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight", "Home", "End"];
    if (!card || !keys.includes(event.key) || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    move(card, event.key, event.target.matches("input.select"));
  });
  jump.addEventListener("click", (event) => {
    const link = event.target.closest("a");
    if (!link) return;
    event.preventDefault();
    const section = document.getElementById(link.hash.slice(1));
    const toggle = section && section.querySelector(".toggle");
    if (!toggle) return;
    if (toggle.getAttribute("aria-expanded") === "false") toggle.click();
    link.closest("details").open = false;
    section.scrollIntoView({ block: "start" });
    toggle.focus({ preventScroll: true });
  });
}

// The jump list: a link per group shown, in the order of the list. `groups`: [{section, name}].
export function fillJumpList(list, groups) {
  list.closest("details").hidden = groups.length < 2;
  list.replaceChildren(
    ...groups.map(({ section, name }) => {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#${section.id}`;
      link.textContent = name;
      item.append(link);
      return item;
    }),
  );
}
