// Rule 3 in the content script (content/visibility.js): a secret only into a field the person can see.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";

const context = vm.createContext({});
vm.runInContext(readFileSync(new URL("../content/visibility.js", import.meta.url), "utf8"), context);
const { visibleBox } = context.oppmini;

const shown = {
  hidden: false, type: "password", disabled: false, display: "", visibility: "visible", opacity: 1,
  width: 200, height: 30, left: 100, top: 100, scrollX: 0, scrollY: 0, pageWidth: 1280, pageHeight: 800,
};

test("a plain field on the page is visible", () => {
  assert.equal(visibleBox(shown), true);
});

for (const [why, change] of [
  ["hidden attribute", { hidden: true }],
  ["type=hidden", { type: "hidden" }],
  ["display:none here or above", { display: "none" }],
  ["visibility:hidden", { visibility: "hidden" }],
  ["transparent", { opacity: 0 }],
  ["nearly transparent", { opacity: 0.05 }],
  ["zero-sized", { width: 0, height: 0 }],
  ["one pixel", { width: 1, height: 1 }],
  ["off-screen to the left", { left: -9999 }],
  ["off-screen above", { top: -5000 }],
  ["beyond the page's right edge", { left: 99999 }],
]) {
  test(`no secret into a field that is ${why}`, () => {
    assert.equal(visibleBox({ ...shown, ...change }), false);
  });
}

test("a field scrolled out of view but on the page stays visible", () => {
  assert.equal(visibleBox({ ...shown, top: -300, scrollY: 600, pageHeight: 2000 }), true);
});
