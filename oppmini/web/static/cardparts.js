// The parts of an item card: elements, buttons, and a label/value row whose value can be
// copied and, for secrets, shown or masked. Values only ever become text, never markup.

import { copySecret } from "./clipboard.js";

const MASK = "••••••••";

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(label, className, ariaLabel, onClick) {
  const node = element("button", className, label);
  node.type = "button";
  if (ariaLabel) node.setAttribute("aria-label", ariaLabel);
  node.addEventListener("click", onClick);
  return node;
}

export function copyButton(label, value, title, say) {
  const what = label.toLowerCase();
  return button("Copy", "small", `Copy ${what} of ${title}`, () => copySecret(value, label, say));
}

// Each row is a <dt> and a <dd> straight in the <dl>: axe-core 3 does not know <div> groups in a <dl>.
// A username is shown as it is, so a card can be recognised; only secrets are masked.
export function plainRow(label, value, title, say) {
  const detail = element("dd");
  if (!value) detail.append(element("span", "value muted", "none"));
  else detail.append(element("span", "value", value), copyButton(label, value, title, say));
  return [element("dt", "", label), detail];
}

export function secretRow(label, value, title, say) {
  const detail = element("dd", "secret");
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
    detail.append(shown, toggle, copyButton(label, value, title, say));
  }
  return [element("dt", "", label), detail];
}
