// The page's controller: sign in, unlock, the session's life and sign out.

import { explain, phraseHeader, request, tokenClaims, UNSENDABLE_PHRASE, waitSeconds } from "./api.js";
import { clearClipboard, filterVault, renderVault, wipeVault } from "./vault.js";
import { setupAccount, showAccount } from "./account.js";
import {
  closeEditors,
  deleteCategory,
  deleteItem,
  openCategoryEditor,
  openItemEditor,
  setupEditors,
} from "./editors.js";

const $ = (id) => document.getElementById(id);
const STORED = { token: "opp.token", deadline: "opp.deadline", username: "opp.username" };
const VIEWS = ["signin-view", "unlock-view", "vault-view", "account-view"];
const CODE_REQUIRED = "Two-factor code required";
const EXPIRED = "Your session has expired. Please sign in again.";
const PHRASE_WRONG = "Incorrect passphrase supplied!";

// The passphrase is held here and nowhere else: not in storage, not in the page.
const session = { token: null, deadline: 0, username: "", phrase: null };
let vault = { categories: [], items: [] };
let noticeTimer = null;

function show(view) {
  for (const id of VIEWS) $(id).hidden = id !== view;
  $("session").hidden = view === "signin-view";
  $("lock").hidden = view !== "vault-view";
  $("account").hidden = view === "account-view";
  $("session-user").textContent = session.username;
  $("session-ends").textContent = session.deadline ? `until ${when(session.deadline)}` : "";
}

function when(milliseconds) {
  const end = new Date(milliseconds);
  const time = end.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (end.toDateString() === new Date().toDateString()) return time;
  return `${end.toLocaleDateString([], { month: "short", day: "numeric" })}, ${time}`;
}

function duration(seconds) {
  for (const [size, unit] of [[86400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]]) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${unit}${count === 1 ? "" : "s"}`;
    }
  }
  return `${seconds} seconds`;
}

function say(text, isError = false) {
  const notice = $("notice");
  notice.textContent = text;
  notice.classList.toggle("notice-error", isError);
  notice.hidden = !text;
  clearTimeout(noticeTimer);
  if (text) noticeTimer = setTimeout(() => (notice.hidden = true), 10000);
}

function showError(id, text) {
  $(id).textContent = text || "";
  $(id).hidden = !text;
}

// After a 429 the button stays off for the wait the server asked for.
function holdOff(button, seconds) {
  button.disabled = true;
  setTimeout(() => (button.disabled = false), seconds * 1000);
}

async function submitting(form, errorId, work) {
  const submit = form.querySelector("button[type=submit]");
  showError(errorId, "");
  submit.disabled = true;
  let held = false;
  try {
    await work();
  } catch (problem) {
    showError(errorId, explain(problem));
    if (problem.status === 429) {
      holdOff(submit, waitSeconds(problem));
      held = true;
    }
    return problem;
  } finally {
    if (!held) submit.disabled = false;
  }
  return null;
}

// ---- The session: a token in sessionStorage, its end time, and the passphrase in memory.

function startSession(token, username) {
  const claims = tokenClaims(token);
  const lifetime = claims && claims.exp > claims.iat ? claims.exp - claims.iat : 300;
  // Counted on this machine's clock from now, so a skewed clock cannot stretch it.
  Object.assign(session, { token, username, deadline: Date.now() + lifetime * 1000 });
  sessionStorage.setItem(STORED.token, token);
  sessionStorage.setItem(STORED.deadline, String(session.deadline));
  sessionStorage.setItem(STORED.username, username);
  return lifetime;
}

function restoreSession() {
  const token = sessionStorage.getItem(STORED.token);
  const deadline = Number(sessionStorage.getItem(STORED.deadline));
  if (token && deadline > Date.now()) {
    Object.assign(session, { token, deadline, username: sessionStorage.getItem(STORED.username) || "" });
    show("unlock-view");
    $("phrase").focus();
  } else {
    endSession("");
  }
}

// Forget the vault and the passphrase; the token stays.
function wipe() {
  clearClipboard();
  session.phrase = null;
  vault = { categories: [], items: [] };
  closeEditors();
  wipeVault($("groups"));
  for (const id of ["search", "phrase", "password", "otp"]) $(id).value = "";
  $("search-status").textContent = "";
  showError("vault-error", "");
}

function endSession(message) {
  wipe();
  Object.assign(session, { token: null, deadline: 0, username: "" });
  for (const key of Object.values(STORED)) sessionStorage.removeItem(key);
  show("signin-view");
  showError("unlock-error", "");
  showError("signin-error", message);
  ($("username").value ? $("password") : $("username")).focus();
}

function checkExpiry() {
  if (session.token && Date.now() >= session.deadline) endSession(EXPIRED);
}

async function signIn(event) {
  event.preventDefault();
  const username = $("username").value;
  const asked = Math.round(Number($("session-amount").value) * Number($("session-unit").value));
  await submitting($("signin-form"), "signin-error", async () => {
    const body = { username, password: $("password").value, exp_delta: asked };
    if ($("otp").value) body.otp = $("otp").value;
    const answer = await request("POST", "auth", { body });
    $("password").value = "";
    $("otp").value = "";
    $("otp-field").hidden = true;
    const granted = startSession(answer.access_token, username);
    show("unlock-view");
    $("phrase").focus();
    if (granted !== asked) say(`The server granted a session of ${duration(granted)} instead of ${duration(asked)}.`);
  });
  if ($("signin-error").textContent.endsWith(CODE_REQUIRED)) {
    // Two-factor login is on for this account: ask for the code.
    $("otp-field").hidden = false;
    showError("signin-error", "Enter the code your authenticator app shows.");
    $("otp").focus();
  } else if (!$("signin-error").hidden) $("password").select();
}

async function unlock(event) {
  event.preventDefault();
  const phrase = $("phrase").value;
  if (phraseHeader(phrase) === null) {
    showError("unlock-error", UNSENDABLE_PHRASE);
    return;
  }
  const problem = await submitting($("unlock-form"), "unlock-error", async () => {
    const answer = await request("GET", "fetchall", { token: session.token, phrase });
    session.phrase = phrase;
    $("phrase").value = "";
    showError("unlock-error", "");
    vault = { categories: answer.categories, items: answer.items };
    draw();
    show("vault-view");
    $("search").focus();
  });
  if (problem && problem.status === 401) endSession(explain(problem));
  else if (problem) $("phrase").select();
}

function lock(message = "Locked. Enter your passphrase to continue.") {
  wipe();
  show("unlock-view");
  showError("unlock-error", "");
  say(message);
  $("phrase").focus();
}

async function signOut() {
  const token = session.token;
  // Wipe first: nothing of the vault outlives the click, even if the server is unreachable.
  await clearClipboard();
  endSession("");
  try {
    await request("DELETE", "auth", { token });
    say("Signed out. Every session of this account has ended.");
  } catch (problem) {
    if (problem.status === 401) say("Signed out.");
    else say(`Signed out of this page, but the server was not told: ${explain(problem)}`, true);
  }
}

// ---- The vault.

// A vault call with the session's headers; an ended session or a changed passphrase leaves the vault.
async function call(method, path, body, { query, phrase = true } = {}) {
  try {
    return await request(method, path, {
      token: session.token,
      phrase: phrase ? session.phrase : undefined,
      body,
      query,
    });
  } catch (problem) {
    if (problem.status === 401) endSession(explain(problem));
    else if (problem.error === PHRASE_WRONG) lock("The passphrase no longer opens the vault. Enter it again.");
    throw problem;
  }
}

// Run a change started from the list; its error shows above the list.
async function mutate(work) {
  showError("vault-error", "");
  try {
    await work();
  } catch (problem) {
    if (problem.status !== 401 && problem.error !== PHRASE_WRONG) showError("vault-error", explain(problem));
  }
}

async function refresh() {
  const answer = await call("GET", "fetchall");
  vault = { categories: answer.categories, items: answer.items };
  draw();
}

const actions = {
  say,
  editItem: openItemEditor,
  deleteItem,
  renameCategory: openCategoryEditor,
  deleteCategory,
};

function draw() {
  renderVault($("groups"), vault, actions);
  search();
}

function search() {
  const query = $("search").value;
  const shown = filterVault($("groups"), query);
  let status = "";
  if (!vault.items.length && !vault.categories.length) status = "Your vault is empty. Start with New item or New category.";
  else if (query.trim()) status = shown ? `${shown} matching item${shown === 1 ? "" : "s"}` : `No items match “${query.trim()}”.`;
  $("search-status").textContent = status;
}

// Where the keyboard goes once a dialog has closed and the list was redrawn.
function focusAfterChange(itemId) {
  const edit = itemId && document.querySelector(`[data-item-id="${itemId}"] .edit`);
  (edit || $("search")).focus();
}

// "1 hours" reads badly: the unit names follow the number.
function nameUnits() {
  const one = Number($("session-amount").value) === 1;
  for (const option of $("session-unit").options) option.textContent = option.dataset[one ? "one" : "many"];
}

function start() {
  $("session-amount").addEventListener("input", nameUnits);
  nameUnits();
  $("signin-form").addEventListener("submit", signIn);
  $("unlock-form").addEventListener("submit", unlock);
  $("sign-out").addEventListener("click", signOut);
  $("lock").addEventListener("click", () => lock());
  $("search").addEventListener("input", search);
  $("add-item").addEventListener("click", () => openItemEditor(null));
  $("add-category").addEventListener("click", () => openCategoryEditor(null));
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, textarea, select, dialog");
    if (event.key === "/" && !typing && !$("vault-view").hidden) {
      event.preventDefault();
      $("search").focus();
    }
  });
  setupEditors({ call, mutate, refresh, say, vault: () => vault, focusAfterChange });
  setupAccount({ call, say, onClose: () => show(session.phrase === null ? "unlock-view" : "vault-view") });
  $("account").addEventListener("click", () => {
    show("account-view");
    showAccount();
  });
  // Timers stall while a laptop sleeps: check every second and whenever the tab comes back.
  setInterval(checkExpiry, 1000);
  document.addEventListener("visibilitychange", checkExpiry);
  restoreSession();
}

start();
