// The background: owns the session, answers the popup, fills on a gesture, notes submitted logins,
// and locks the vault after idle time and when the system locks.

import { explain, sessionEnded } from "./lib/api.js";
import { answerFillAsk, fillTab, forgetChoices, forgetTab, generateInto } from "./lib/filling.js";
import { MESSAGE } from "./lib/messages.js";
import { DEFAULT_LOCK_MINUTES, pageForServer } from "./lib/rules.js";
import { accept, dismiss, noteSubmit, offerFor } from "./lib/saving.js";
import { closeSessionToPages, readSettings } from "./lib/storage.js";
import { call, lock, signIn, signOut, state, unlock } from "./lib/vaultsession.js";

const ext = globalThis.browser ?? chrome;
const LOCK_ALARM = "lock-check";

// Locking or signing out also forgets which login each tab was filled with.
async function lockAndForget(end) {
  forgetChoices();
  await end();
}

// What the extension's own pages may ask.
const PAGE_ACTIONS = {
  [MESSAGE.state]: () => state(),
  [MESSAGE.signIn]: (message) => signIn(message),
  [MESSAGE.unlock]: (message) => unlock(message.phrase),
  [MESSAGE.lock]: () => lockAndForget(lock),
  [MESSAGE.signOut]: () => lockAndForget(signOut),
  [MESSAGE.matches]: async (message) => (await call("GET", "match", { query: { url: pageForServer(message.url) } })).items,
  [MESSAGE.search]: async (message) => (await call("GET", "search", { query: { q: message.query } })).items,
  [MESSAGE.fill]: (message) => fillTab(message.tabId, message.itemId),
  [MESSAGE.secret]: async (message) => (await call("GET", `items/${Number(message.itemId)}/totp`)).code,
  [MESSAGE.generate]: (message) => generateInto(message.tabId),
  [MESSAGE.add]: async (message) => (await call("PUT", "items", { body: { items: [message.item] } })).items[0],
  [MESSAGE.offer]: (message) => offerFor(message.tabId),
  [MESSAGE.accept]: (message) => (message.dismiss ? dismiss(message.tabId) : accept(message.tabId)),
};

// What a content script may ask: its sender (origin, frame, tab) comes from the browser.
const FRAME_ACTIONS = {
  [MESSAGE.fillAsk]: (message, sender) => answerFillAsk(message.wants || {}, sender),
  [MESSAGE.submitted]: (message, sender) => noteSubmit(message, sender),
};

function fromOwnPage(sender) {
  return sender.id === ext.runtime.id && typeof sender.url === "string" && sender.url.startsWith(ext.runtime.getURL(""));
}

// Answers {ok, value} or {ok: false, error} with the failure in words; never a secret in an error.
ext.runtime.onMessage.addListener((message, sender, respond) => {
  const actions = fromOwnPage(sender) ? PAGE_ACTIONS : FRAME_ACTIONS;
  const act = message && Object.hasOwn(actions, message.type) ? actions[message.type] : null;
  if (!act) return false;
  Promise.resolve()
    .then(() => act(message, sender))
    .then(
      (value) => respond({ ok: true, value: value ?? null }),
      (problem) => respond({ ok: false, error: explain(problem), signedOut: sessionEnded(problem) }),
    );
  return true;
});

async function fillActiveTab(tab) {
  if (tab && tab.id !== undefined) await fillTab(tab.id, null);
}

ext.commands.onCommand.addListener(async (command, tab) => {
  if (command !== "fill-login") return;
  const [active] = tab ? [tab] : await ext.tabs.query({ active: true, currentWindow: true });
  await fillActiveTab(active);
});

ext.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === "fill-login") fillActiveTab(tab);
});

ext.tabs.onRemoved.addListener((tabId) => forgetTab(tabId));

// Rule 4: lock when the system locks or sits idle for the configured time, and check now and then
// that the vault has not gone unused longer than that (state() locks it then).
async function watchIdle() {
  const { lockMinutes } = await readSettings();
  const minutes = Number(lockMinutes) > 0 ? Number(lockMinutes) : DEFAULT_LOCK_MINUTES;
  ext.idle.setDetectionInterval(Math.max(15, Math.round(minutes * 60)));
}

ext.idle.onStateChanged.addListener((idleState) => {
  if (idleState === "locked" || idleState === "idle") lock();
});

ext.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === LOCK_ALARM) state();
});

ext.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes.lockMinutes) watchIdle();
});

ext.runtime.onInstalled.addListener(() => {
  ext.contextMenus.create({ id: "fill-login", title: "Fill login from oppmini", contexts: ["editable"] });
});

ext.alarms.create(LOCK_ALARM, { periodInMinutes: 1 });
closeSessionToPages();
watchIdle();
