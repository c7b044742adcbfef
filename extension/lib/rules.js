// The safety rules the background applies before a secret leaves it, as small pure functions, each
// with its own test in extension/tests/rules.test.js.

// How long a click in the popup, the shortcut or the context menu allows a fill in its tab.
export const GESTURE_SECONDS = 10;
export const DEFAULT_LOCK_MINUTES = 15;

// Rule 1: the origin of the frame that sent a message, as the browser reports it. `sender.origin`
// (Chromium) or the origin of `sender.url` (Firefox); never anything the message itself says. Null for
// a message that did not come from a web page of ours to fill: another extension, an extension page,
// a frame with an opaque origin (sandboxed, data:, about:blank whose URL does not name its origin).
export function frameOrigin(sender, extensionId) {
  if (!sender || sender.id !== extensionId || !sender.tab || typeof sender.frameId !== "number") return null;
  let fromUrl;
  try {
    fromUrl = new URL(sender.url).origin;
  } catch {
    return null;
  }
  if (!/^https?:\/\//.test(fromUrl)) return null;
  if (sender.origin !== undefined && sender.origin !== fromUrl) return null;
  return fromUrl;
}

// What the server is told of a page: its origin and path, never the query or fragment, which can hold
// one-time links, reset tokens or search words.
export function pageForServer(url) {
  const page = new URL(url);
  return page.origin + page.pathname;
}

// Rule 3: never an https:// item's secret into an http:// page. An item url without a scheme means https.
export function schemeAllows(pageUrl, itemUrl) {
  const item = /^[a-z][a-z0-9+.-]*:/i.test(itemUrl || "") ? itemUrl : "https://" + (itemUrl || "");
  const itemIsHttps = item.toLowerCase().startsWith("https:");
  const pageIsHttps = String(pageUrl).toLowerCase().startsWith("https:");
  return pageIsHttps || !itemIsHttps;
}

// Rule 1 again: the item the frame may have. Only one of the items the server matched for the frame's
// own URL, and of those the one chosen in the popup (or the best, first, one); never an https item
// into an http page.
export function itemForFrame(matches, pageUrl, chosenId) {
  const allowed = matches.filter((item) => item.matched && schemeAllows(pageUrl, item.url));
  if (chosenId === undefined || chosenId === null) return allowed[0] || null;
  return allowed.find((item) => item.id === chosenId) || null;
}

// Rule 2: a gesture arms one tab for a few seconds; a fill takes it. Gestures live in a Map tabId ->
// {itemId, until}; `now` in milliseconds.
export function armGesture(gestures, tabId, itemId, now) {
  gestures.set(tabId, { itemId: itemId ?? null, until: now + GESTURE_SECONDS * 1000 });
}

export function gestureFor(gestures, tabId, now) {
  const gesture = gestures.get(tabId);
  if (!gesture) return null;
  if (gesture.until < now) {
    gestures.delete(tabId);
    return null;
  }
  return gesture;
}

// Rule 4: the vault locks once nothing used it for `minutes`.
export function idleTooLong(lastUsed, now, minutes) {
  const limit = (Number(minutes) > 0 ? Number(minutes) : DEFAULT_LOCK_MINUTES) * 60 * 1000;
  return !(lastUsed > 0) || now - lastUsed >= limit;
}
