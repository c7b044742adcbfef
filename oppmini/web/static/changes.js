// Changes made elsewhere reach an open page: a member's edit, an item added in another window, a
// role raised or a membership ended. While the vault is open and the tab visible, the page asks
// every 30 seconds, and at once when the tab becomes visible again, whether anything changed:
// GET fetchall with the ETag of the version it holds, answered 304 (no body, no record opened on
// the server) until something did. A new version is handed to `apply`, which redraws in place.

const EVERY_MS = 30000;

// {call, apply(answer), unlocked()}: set by setupChanges
let app = null;
let tag = null; // the ETag of the vault the page holds; null: none yet
let asking = null; // the question under way, so that two never overlap

async function ask() {
  const sent = tag;
  const { answer, tag: next } = await app.call("GET", "fetchall", undefined, { tag: sent });
  if (!app.unlocked() || tag !== sent) return; // locked, or a newer answer arrived, meanwhile
  tag = next;
  if (answer) app.apply(answer);
}

// Ask now, whether the tab is visible or not (the item editor after a refused save); resolves once
// the page holds the server's version. A failure is the call's to report (a 401 ends the session).
export function catchUp() {
  if (!app.unlocked()) return Promise.resolve();
  if (!asking) asking = ask().finally(() => (asking = null));
  return asking;
}

function askIfSeen() {
  if (document.visibilityState !== "visible" || !app.unlocked()) return;
  // Nothing to say when a question fails: the next one tries again, and a 401 already ended the session.
  catchUp().catch(() => {});
}

// The vault was fetched whole (its tag) or forgotten (null).
export function holdTag(fetched) {
  tag = fetched;
}

export function setupChanges(context) {
  app = context;
  document.addEventListener("visibilitychange", askIfSeen);
  setInterval(askIfSeen, EVERY_MS);
}
