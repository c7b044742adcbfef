// Where the extension keeps things (rule 4): the token and the passphrase only in the session storage
// (memory, gone when the browser closes, not readable by content scripts); the local storage holds the
// server's URL and settings, nothing secret.

const store = globalThis.browser?.storage ?? chrome.storage;

export const SESSION_KEYS = ["token", "username", "phrase", "lastUsed", "pending"];
export const LOCAL_KEYS = ["server", "lockMinutes"];

function only(keys, values) {
  const unknown = Object.keys(values).filter((key) => !keys.includes(key));
  if (unknown.length) throw new Error("Not a key of this storage: " + unknown.join(", "));
  return values;
}

export async function readSession() {
  return store.session.get(SESSION_KEYS);
}

export async function writeSession(values) {
  await store.session.set(only(SESSION_KEYS, values));
}

export async function forgetSession(keys = SESSION_KEYS) {
  await store.session.remove(keys);
}

export async function readSettings() {
  return store.local.get(LOCAL_KEYS);
}

export async function writeSettings(values) {
  await store.local.set(only(LOCAL_KEYS, values));
}

// Content scripts must not read the session: Chromium's default, said out loud (Firefox has no such level).
export async function closeSessionToPages() {
  if (store.session.setAccessLevel) await store.session.setAccessLevel({ accessLevel: "TRUSTED_CONTEXTS" });
}
