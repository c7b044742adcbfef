// Save and update after a submit: the submitted login waits in session storage, the toolbar badge says
// so, and only the person's click in the popup stores it (a new item, or the new password on the item
// of that username, whose old password the server moves into the item's history).

import { call } from "./vaultsession.js";
import { frameOrigin, pageForServer } from "./rules.js";
import { readSession, writeSession } from "./storage.js";

const action = globalThis.browser?.action ?? chrome.action;
const runtime = globalThis.browser?.runtime ?? chrome.runtime;

async function pendingByTab() {
  return (await readSession()).pending || {};
}

async function setPending(tabId, login) {
  const pending = await pendingByTab();
  if (login) pending[tabId] = login;
  else delete pending[tabId];
  await writeSession({ pending });
}

// A frame reports a submitted login form; its origin from the browser, the values from the form.
export async function noteSubmit({ username, password }, sender) {
  const origin = frameOrigin(sender, runtime.id);
  if (!origin || typeof password !== "string" || !password) return;
  await setPending(sender.tab.id, { origin, url: sender.url, username: String(username || ""), password });
  const offer = await offerFor(sender.tab.id);
  if (offer) await action.setBadgeText({ tabId: sender.tab.id, text: offer.kind === "update" ? "upd" : "new" });
}

// What the popup offers for the tab: {kind: "save"|"update", site, username, itemId} or null when the
// vault already holds that password for the site (or nothing was submitted).
export async function offerFor(tabId) {
  const login = (await pendingByTab())[tabId];
  if (!login) return null;
  const site = new URL(login.origin).host;
  let items;
  try {
    ({ items } = await call("GET", "match", { query: { url: pageForServer(login.url) } }));
  } catch {
    return { kind: "save", site, username: login.username, itemId: null, locked: true };
  }
  const same = items.filter((item) => item.username === login.username);
  if (same.some((item) => item.password === login.password)) {
    await setPending(tabId, null);
    await action.setBadgeText({ tabId, text: "" });
    return null;
  }
  if (same.length) return { kind: "update", site, username: login.username, itemId: same[0].id };
  return { kind: "save", site, username: login.username, itemId: null };
}

// The person's click: store the offer, exactly once.
export async function accept(tabId) {
  const offer = await offerFor(tabId);
  const login = (await pendingByTab())[tabId];
  if (!offer || !login) return null;
  if (offer.kind === "update") {
    await call("POST", "items", { body: { items: [{ id: offer.itemId, password: login.password }] } });
  } else {
    const row = { name: offer.site, url: login.origin, username: login.username, password: login.password };
    await call("PUT", "items", { body: { items: [row] } });
  }
  await setPending(tabId, null);
  await action.setBadgeText({ tabId, text: "" });
  return offer;
}

export async function dismiss(tabId) {
  await setPending(tabId, null);
  await action.setBadgeText({ tabId, text: "" });
}
