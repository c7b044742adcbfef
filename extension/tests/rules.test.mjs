// The background's safety rules (lib/rules.js), each against the case that breaks it.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  GESTURE_SECONDS,
  armGesture,
  frameOrigin,
  gestureFor,
  idleTooLong,
  itemForFrame,
  pageForServer,
  schemeAllows,
} from "../lib/rules.js";

const ID = "ourextensionid";
const frame = (url, extra = {}) => ({ id: ID, url, origin: new URL(url).origin, tab: { id: 7 }, frameId: 0, ...extra });

test("rule 1: the origin is the browser's report of the sender, not the message", () => {
  assert.equal(frameOrigin(frame("https://bank.test/login"), ID), "https://bank.test");
  assert.equal(frameOrigin(frame("https://bank.test.evil.test/"), ID), "https://bank.test.evil.test");
  // Firefox reports no sender.origin: the sender's URL is the browser's word too.
  assert.equal(frameOrigin(frame("https://bank.test/", { origin: undefined }), ID), "https://bank.test");
});

test("rule 1: senders that are not a web frame of this extension get no origin", () => {
  assert.equal(frameOrigin(frame("https://bank.test/", { id: "another" }), ID), null);
  assert.equal(frameOrigin(frame("https://bank.test/", { tab: undefined }), ID), null);
  assert.equal(frameOrigin(frame("https://bank.test/", { frameId: undefined }), ID), null);
  // An about:blank or srcdoc frame: its URL does not name the origin it inherits.
  assert.equal(frameOrigin({ ...frame("https://bank.test/"), url: "about:blank" }, ID), null);
  assert.equal(frameOrigin({ ...frame("https://bank.test/"), origin: "null" }, ID), null);
  assert.equal(frameOrigin({ ...frame("https://bank.test/"), url: "chrome-extension://x/p.html" }, ID), null);
});

test("rule 1: only an item the server matched for the frame, the chosen one or else the best", () => {
  const matches = [
    { id: 1, url: "https://bank.test", matched: "host" },
    { id: 2, url: "https://bank.test/other", matched: "domain" },
  ];
  assert.equal(itemForFrame(matches, "https://bank.test/", null).id, 1);
  assert.equal(itemForFrame(matches, "https://bank.test/", 2).id, 2);
  assert.equal(itemForFrame(matches, "https://bank.test/", 3), null);
  assert.equal(itemForFrame([], "https://evil.test/", 1), null);
});

test("rule 3: never an https item into an http page", () => {
  assert.equal(schemeAllows("http://bank.test/", "https://bank.test"), false);
  assert.equal(schemeAllows("http://bank.test/", "bank.test"), false);
  assert.equal(schemeAllows("https://bank.test/", "https://bank.test"), true);
  assert.equal(schemeAllows("http://bank.test/", "http://bank.test"), true);
  assert.equal(itemForFrame([{ id: 1, url: "https://bank.test", matched: "host" }], "http://bank.test/", 1), null);
});

test("rule 2: a gesture arms its tab for a few seconds only", () => {
  const gestures = new Map();
  assert.equal(gestureFor(gestures, 7, 1000), null);
  armGesture(gestures, 7, 3, 1000);
  assert.equal(gestureFor(gestures, 7, 1000).itemId, 3);
  assert.equal(gestureFor(gestures, 8, 1000), null);
  assert.equal(gestureFor(gestures, 7, 1000 + GESTURE_SECONDS * 1000 + 1), null);
});

test("rule 4: the vault locks after the idle time, 15 minutes by default", () => {
  const minute = 60 * 1000;
  assert.equal(idleTooLong(Date.now(), Date.now(), undefined), false);
  assert.equal(idleTooLong(0, 14 * minute, undefined), true); // never used: locked
  assert.equal(idleTooLong(1, 1 + 14 * minute, undefined), false);
  assert.equal(idleTooLong(1, 1 + 15 * minute, undefined), true);
  assert.equal(idleTooLong(1, 1 + 2 * minute, 2), true);
});

test("the server is told a page's origin and path, never its query or fragment", () => {
  assert.equal(pageForServer("https://bank.test/reset?token=s3cret#step2"), "https://bank.test/reset");
  assert.equal(pageForServer("https://BANK.test:8443"), "https://bank.test:8443/");
});
