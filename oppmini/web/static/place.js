// Redrawing part of the list without losing the person's place: what they were looking at stays
// where it was on the screen (cards above it may have grown or gone), and the focus goes back to
// the same button of the same card when that card was redrawn.

import { openCard } from "./card.js";

const labelOf = (control) => control.getAttribute("aria-label") || control.textContent;
const cardOf = (itemId) => document.querySelector(`#groups [data-item-id="${itemId}"]`);

// The card the place is kept by: the focused one, else the first one in sight.
function anchorCard(focusedCard) {
  if (focusedCard) return focusedCard;
  return [...document.querySelectorAll("#groups [data-item-id]")].find((card) => {
    const { top, height } = card.getBoundingClientRect();
    return height > 0 && top >= 0;
  });
}

// Run `redraw` (which may replace cards) and put the list and the keyboard back where they were.
// A focus outside the list (an open dialog, the search box) is not touched.
export function keepingPlace(redraw) {
  const focused = document.activeElement;
  const card = focused && focused.closest ? focused.closest("#groups [data-item-id]") : null;
  const was = card && { label: labelOf(focused), className: focused.className };
  const anchor = anchorCard(card);
  const anchorId = anchor && anchor.dataset.itemId;
  const anchorTop = anchor && anchor.getBoundingClientRect().top;
  const scrolled = window.scrollY;
  // Cards opened with More stay open: a redrawn card would otherwise fold its details (and the
  // button the keyboard was on) away.
  const opened = [...document.querySelectorAll("#groups [data-item-id] .more[aria-expanded='true']")].map(
    (more) => more.closest("[data-item-id]").dataset.itemId);
  redraw();
  for (const itemId of opened) {
    const redrawn = cardOf(itemId);
    if (redrawn && redrawn.querySelector(".more")) openCard(redrawn, true);
  }
  const again = anchorId && cardOf(anchorId);
  // Cards are sized when first painted (content-visibility: auto), so the place is set again after
  // the next frame, once the cards in sight have their real height.
  const settle = () => {
    const now = anchorId && cardOf(anchorId);
    if (now) window.scrollBy(0, now.getBoundingClientRect().top - anchorTop);
    else window.scrollTo(window.scrollX, scrolled);
  };
  settle();
  requestAnimationFrame(() => requestAnimationFrame(settle));
  if (!card || document.body.contains(focused)) return;
  const controls = again && card.dataset.itemId === anchorId ? [...again.querySelectorAll("button, a[href], input, select")] : [];
  const target =
    controls.find((control) => labelOf(control) === was.label) ||
    controls.find((control) => control.className === was.className) ||
    controls[0];
  (target || document.getElementById("search")).focus({ preventScroll: true });
}
