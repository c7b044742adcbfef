// Filling (background side): a gesture arms the tab and asks its frames for their login fields; each
// frame that has some asks back, and the answer goes to that frame alone, judged by the origin the
// browser reports for it, with an item the server matched for that frame's own URL.

import { call, requireUnlocked } from "./vaultsession.js";
import { armGesture, frameOrigin, gestureFor, itemForFrame, pageForServer } from "./rules.js";
import { MESSAGE } from "./messages.js";

const tabs = globalThis.browser?.tabs ?? chrome.tabs;
const runtime = globalThis.browser?.runtime ?? chrome.runtime;

const gestures = new Map(); // tabId -> {itemId, until}: rule 2
const chosen = new Map(); // tabId -> {origin, itemId}: the item a two-step login goes on with
const filled = new Map(); // tabId -> resolve(result) of the fill a gesture started
const ANSWER_WAIT_MS = 2000;

// A gesture (popup click, shortcut, context menu): fill `itemId` (or the best match) in the tab's frames.
// Resolves to {filled, codeFilled} once a frame was filled, or {filled: false} when none was.
export async function fillTab(tabId, itemId) {
  await requireUnlocked();
  armGesture(gestures, tabId, itemId, Date.now());
  const result = new Promise((resolve) => {
    filled.set(tabId, resolve);
    setTimeout(() => resolve({ filled: false }), ANSWER_WAIT_MS);
  }).finally(() => filled.delete(tabId));
  try {
    await tabs.sendMessage(tabId, { type: MESSAGE.fillRequest });
  } catch {
    // No content script in the tab (a browser page, a page loaded before the extension): nothing to fill.
  }
  return result;
}

// A frame's request for values, with the fields it found: {username, password, otp} booleans.
export async function answerFillAsk(wants, sender) {
  const origin = frameOrigin(sender, runtime.id);
  if (!origin) return null;
  const tabId = sender.tab.id;
  const gesture = gestureFor(gestures, tabId, Date.now());
  if (!gesture) return null;
  const remembered = chosen.get(tabId);
  const itemId = gesture.itemId ?? (remembered && remembered.origin === origin ? remembered.itemId : null);
  const { items } = await call("GET", "match", { query: { url: pageForServer(sender.url) } });
  // A remembered choice the page no longer matches (another account's tab, say) yields to the best match.
  const item = itemForFrame(items, sender.url, itemId) || (gesture.itemId === null ? itemForFrame(items, sender.url) : null);
  if (!item) return null;
  chosen.set(tabId, { origin, itemId: item.id });
  const values = {};
  if (wants.username && item.username) values.username = item.username;
  if (wants.password && item.password) values.password = item.password;
  if (wants.otp && item.totp) values.otp = (await call("GET", `items/${item.id}/totp`)).code;
  const done = filled.get(tabId);
  if (done) done({ filled: true, codeFilled: "otp" in values, itemId: item.id });
  return values;
}

// A generated password into the focused field of the tab's top page (a field inside an iframe is left
// alone: the top page cannot tell which of its frames the person was in). {password, placed}.
export async function generateInto(tabId) {
  const { password } = await call("GET", "generate");
  let placed = false;
  try {
    placed = await tabs.sendMessage(tabId, { type: MESSAGE.generated, password }, { frameId: 0 });
  } catch {
    // No page to put it in: the popup still has it.
  }
  return { password, placed: placed === true };
}

// Signing out or locking forgets every choice.
export function forgetChoices() {
  chosen.clear();
}

export function forgetTab(tabId) {
  gestures.delete(tabId);
  chosen.delete(tabId);
  filled.delete(tabId);
}
