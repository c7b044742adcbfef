// Where the sticky parts stick: Search (each view's toolbar on a wide screen) right under the header,
// and the page's scroll padding below both, so the focus never lands under them. The header
// grows with a message and wraps on a phone, so fixed guesses would not do. Set on those
// elements alone through the CSSOM (which the Content-Security-Policy allows), not as an
// inherited CSS variable: changing one of those restyles all 2,000 cards.

const root = document.documentElement;
let parts = [];

function measure() {
  const bar = Math.ceil(document.querySelector(".bar").getBoundingClientRect().height);
  let tools = 0;
  for (const part of parts) {
    part.style.top = "";
    if (getComputedStyle(part).position !== "sticky") continue;
    part.style.top = `${bar}px`;
    // A hidden view's toolbar measures 0: the one on screen sets the padding.
    tools = Math.max(tools, Math.ceil(part.getBoundingClientRect().height));
  }
  const padding = `${bar + tools + 8}px`;
  if (root.style.scrollPaddingTop !== padding) root.style.scrollPaddingTop = padding;
}

export function setupSticky() {
  // Every view's toolbar (the Account view's Back too), not only the vault's: a message in the header
  // would otherwise cover a toolbar stuck at a guessed height.
  parts = [...document.querySelectorAll("main .toolbar, #vault-view .search")];
  const observer = new ResizeObserver(measure);
  for (const part of [document.querySelector(".bar"), ...parts]) observer.observe(part);
  measure();
}
