// The popup: sign in, unlock, the logins for the tab's site, search, generate, add, save offers.

import { MESSAGE } from "../lib/messages.js";
import { ask } from "./messaging.js";
import { showItems } from "./itemlist.js";

const ext = globalThis.browser ?? chrome;
const byId = (id) => document.getElementById(id);
const status = byId("status");
const SCREENS = ["no-server", "sign-in", "unlock", "vault"];

// The tab this popup serves: the active one, or the one named by ?tab= when the popup is opened in a tab
// of its own (as with a pinned popup, and in the tests).
async function targetTab() {
  const named = Number(new URLSearchParams(location.search).get("tab"));
  if (named) return ext.tabs.get(named);
  const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
  return tab;
}

function say(text) {
  status.textContent = text;
}

function screen(name) {
  for (const id of SCREENS) byId(id).hidden = id !== name;
  // The first control the person can see (a hidden save offer holds the vault screen's first button).
  const first = Array.from(byId(name).querySelectorAll("input, button")).find((control) => control.offsetParent);
  if (first) first.focus();
}

// Runs an action; a refusal is said in words, and a session the server ended goes back to sign-in.
async function attempt(action) {
  try {
    return await action();
  } catch (problem) {
    say(problem.message);
    if (problem.signedOut) await refresh(false);
    return undefined;
  }
}

async function copy(item, what) {
  const value = what === "code" ? await ask(MESSAGE.secret, { itemId: item.id }) : item[what];
  await navigator.clipboard.writeText(value || "");
  say(`${what === "code" ? "Code" : what === "username" ? "Username" : "Password"} of ${item.name} copied.`);
}

async function fill(item) {
  const tab = await targetTab();
  const result = await ask(MESSAGE.fill, { tabId: tab.id, itemId: item.id });
  if (!result.filled) return say("No login form here that this login may fill.");
  if (item.totp && !result.codeFilled) {
    await copy(item, "code");
    return say(`Filled ${item.name}; its code is copied.`);
  }
  say(`Filled ${item.name}.`);
}

const actions = { fill: (item) => attempt(() => fill(item)), copy: (item, what) => attempt(() => copy(item, what)) };

async function showOffer(tab) {
  const offer = await ask(MESSAGE.offer, { tabId: tab.id });
  byId("offer").hidden = !offer;
  if (!offer) return;
  const who = offer.username ? ` (${offer.username})` : "";
  byId("offer-text").textContent =
    offer.kind === "update" ? `A new password for ${offer.site}${who}.` : `A login for ${offer.site}${who}.`;
  byId("offer-accept").textContent = offer.kind === "update" ? "Update password" : `Save login for ${offer.site}`;
}

async function showVault() {
  const tab = await targetTab();
  const url = tab && /^https?:/.test(tab.url || "") ? tab.url : null;
  screen("vault");
  byId("add-url").value = url ? new URL(url).origin : "";
  byId("add-name").value = url ? new URL(url).hostname : "";
  if (url) {
    const items = await ask(MESSAGE.matches, { url });
    showItems(byId("matches"), items, actions, true, "No login for this site in your vault.");
    await showOffer(tab);
  } else {
    showItems(byId("matches"), [], actions, true, "This tab shows no web site.");
  }
  // The best login's Fill is one Enter away; without one, the search.
  (byId("matches").querySelector("button") || byId("search")).focus();
}

async function refresh(focusScreen = true) {
  const current = await ask(MESSAGE.state);
  if (current.state === "no server") return screen("no-server");
  if (current.state === "signed out") return screen("sign-in");
  if (current.state === "locked") {
    byId("unlock-who").textContent = `Signed in as ${current.username}.`;
    return screen("unlock");
  }
  if (focusScreen) await attempt(showVault);
}

function onSubmit(id, action) {
  byId(id).addEventListener("submit", (event) => {
    event.preventDefault();
    attempt(action);
  });
}

onSubmit("sign-in", async () => {
  const form = byId("sign-in");
  try {
    await ask(MESSAGE.signIn, {
      username: form.username.value,
      password: form.password.value,
      otp: form.otp.value.trim() || undefined,
      hours: form.hours.value,
    });
  } catch (problem) {
    if (/authenticator|two-factor code/.test(problem.message)) {
      byId("otp-row").hidden = false;
      form.otp.focus();
    }
    throw problem;
  }
  form.password.value = "";
  form.otp.value = "";
  say("Signed in.");
  await refresh();
});

onSubmit("unlock", async () => {
  await ask(MESSAGE.unlock, { phrase: byId("phrase").value });
  byId("phrase").value = "";
  say("Unlocked.");
  await refresh();
});

onSubmit("search-form", async () => {
  const items = await ask(MESSAGE.search, { query: byId("search").value });
  showItems(byId("found"), items, actions, false, "Nothing found.");
});

onSubmit("add-form", async () => {
  const form = byId("add-form");
  const item = { name: form.name.value, url: form.url.value, username: form.username.value, password: form.password.value };
  await ask(MESSAGE.add, { item });
  form.username.value = "";
  form.password.value = "";
  say(`Added ${item.name}.`);
  await showVault();
});

function onClick(id, action) {
  byId(id).addEventListener("click", () => attempt(action));
}

onClick("open-options", () => ext.runtime.openOptionsPage());
onClick("generate", async () => {
  const tab = await targetTab();
  const { password, placed } = await ask(MESSAGE.generate, { tabId: tab.id });
  byId("add-password").value = password;
  say(
    placed
      ? "A new password is in the page's focused field, and under Add this site."
      : "No text or password field had the focus in the page. The new password is under Add this site.",
  );
});
onClick("offer-accept", async () => {
  const offer = await ask(MESSAGE.accept, { tabId: (await targetTab()).id });
  say(offer && offer.kind === "update" ? "Password updated; the old one is in the item's history." : "Login saved.");
  await showVault();
});
onClick("offer-dismiss", async () => {
  await ask(MESSAGE.accept, { tabId: (await targetTab()).id, dismiss: true });
  byId("offer").hidden = true;
});
for (const id of ["lock", "sign-out-locked", "sign-out"]) {
  onClick(id, async () => {
    await ask(id === "lock" ? MESSAGE.lock : MESSAGE.signOut);
    say(id === "lock" ? "Locked." : "Signed out.");
    await refresh();
  });
}

attempt(refresh);
