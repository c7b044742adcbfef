// The options page: the server's address (and permission for that origin only) and the idle lock time.

import { serverBase } from "../lib/api.js";
import { readSettings, writeSettings } from "../lib/storage.js";
import { DEFAULT_LOCK_MINUTES } from "../lib/rules.js";

const permissions = (globalThis.browser ?? chrome).permissions;
const form = document.getElementById("options");
const status = document.getElementById("status");

async function show() {
  const { server, lockMinutes } = await readSettings();
  form.server.value = server || "";
  form.lockMinutes.value = lockMinutes || DEFAULT_LOCK_MINUTES;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  let base;
  try {
    base = serverBase(form.server.value);
  } catch {
    status.textContent = "That is not a web address.";
    return;
  }
  const origin = new URL(base).origin + "/*";
  // Asked before any other await: Firefox grants a permission only within the person's click (and a
  // permission already held is granted again without a prompt).
  const granted = await permissions.request({ origins: [origin] }).catch(() => false);
  if (!granted) {
    status.textContent = `The browser did not allow access to ${origin}; the extension cannot reach the server.`;
    return;
  }
  await writeSettings({ server: base, lockMinutes: Math.max(1, Number(form.lockMinutes.value) || DEFAULT_LOCK_MINUTES) });
  status.textContent = `Saved. The extension talks to ${base}.`;
});

show();
