// Rule 3: no secret into a field the person cannot see. A content script (a classic script: content
// scripts cannot be modules), sharing the `oppmini` namespace with the others of its frame.
"use strict";

var oppmini = globalThis.oppmini || (globalThis.oppmini = {});

// Whether a field, measured as a plain object, is visible: not hidden, not display:none or
// visibility:hidden (itself or an ancestor), not transparent, not smaller than 4 by 4 pixels, not
// placed outside the page (off-screen to the left or above, or beyond its far edges).
oppmini.visibleBox = function visibleBox(box) {
  if (box.hidden || box.type === "hidden" || box.disabled) return false;
  if (box.display === "none" || box.visibility === "hidden" || box.visibility === "collapse") return false;
  if (box.opacity < 0.1) return false;
  if (box.width < 4 || box.height < 4) return false;
  const left = box.left + box.scrollX;
  const top = box.top + box.scrollY;
  if (left + box.width <= 0 || top + box.height <= 0) return false;
  if (left >= box.pageWidth || top >= box.pageHeight) return false;
  return true;
};

// The measurements of a real element: the lowest opacity and any hidden state along its ancestors.
oppmini.measure = function measure(element) {
  const rect = element.getBoundingClientRect();
  const page = document.documentElement;
  let opacity = 1;
  let display = "";
  let visibility = getComputedStyle(element).visibility;
  for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
    const style = getComputedStyle(node);
    opacity = Math.min(opacity, Number(style.opacity));
    if (style.display === "none") display = "none";
  }
  return {
    hidden: element.hidden,
    type: element.type,
    disabled: element.disabled,
    display,
    visibility,
    opacity,
    width: rect.width,
    height: rect.height,
    left: rect.left,
    top: rect.top,
    scrollX: window.scrollX,
    scrollY: window.scrollY,
    pageWidth: Math.max(page.scrollWidth, window.innerWidth),
    pageHeight: Math.max(page.scrollHeight, window.innerHeight),
  };
};

oppmini.isVisible = (element) => oppmini.visibleBox(oppmini.measure(element));
