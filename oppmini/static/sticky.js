// The sticky parts' heights as CSS variables (--bar-height, --tools-height): the header grows
// with a message and wraps on a phone, so fixed guesses would let Search or the focus slide
// under it. CSSOM changes, not style attributes, so the Content-Security-Policy allows them.

const root = document.documentElement;

function measure() {
  const bar = document.querySelector(".bar").getBoundingClientRect().height;
  // The toolbar sticks on a wide screen, Search alone on a phone.
  const tools = [...document.querySelectorAll("#vault-view .toolbar, #vault-view .search")].find(
    (part) => getComputedStyle(part).position === "sticky",
  );
  root.style.setProperty("--bar-height", `${Math.ceil(bar)}px`);
  root.style.setProperty("--tools-height", `${tools ? Math.ceil(tools.getBoundingClientRect().height) : 0}px`);
}

export function setupSticky() {
  const observer = new ResizeObserver(measure);
  for (const part of document.querySelectorAll(".bar, #vault-view .toolbar, #vault-view .search")) observer.observe(part);
  measure();
}
