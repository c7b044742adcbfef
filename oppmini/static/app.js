// The page's controller: sign in, unlock, the session's life and sign out.

import { explain, phraseHeader, request, tokenClaims, UNSENDABLE_PHRASE, waitSeconds } from "./api.js";
import { setupAccount, showAccount } from "./account.js";
import { clearClipboard } from "./clipboard.js";
import { fetchCodes, forgetCodes, setupCodes } from "./codes.js";
import { setupTrash, showTrash, wipeTrash } from "./trash.js";
import { setupShared, showShared, wipeShared } from "./shared.js";
import { resetForm as wipeImport, setupImport, showImport } from "./import.js";
import { setupExport, showExport } from "./export.js";
import { setupHistory, showHistory } from "./history.js";
import { askAfterEnd, closeRenew, setupRenew, warnBeforeEnd } from "./renew.js";
import { askedSeconds, duration, setupSessionForm } from "./sessionform.js";
import { filterVault, placeItem, removeItem, renderVault, wipeVault } from "./vault.js";
import {
  changedEditor,
  closeEditors,
  deleteCategory,
  deleteItem,
  openCategoryEditor,
  openItemEditor,
  setupEditors,
} from "./editors.js";

const $ = (id) => document.getElementById(id);
const STORED = { token: "opp.token", deadline: "opp.deadline", username: "opp.username" };
const VIEWS = {
  "signin-view": "Sign in",
  "unlock-view": "Unlock",
  "vault-view": "Your vault",
  "account-view": "Your account",
  "trash-view": "Trash",
  "shared-view": "Shared",
  "import-view": "Import",
  "export-view": "Export",
};
const CODE_REQUIRED = "Two-factor code required";
const EXPIRED = "Your session has expired. Please sign in again.";
const PHRASE_WRONG = "Incorrect passphrase supplied!";

// The passphrase is held here and nowhere else: not in storage, not in the page.
const session = { token: null, deadline: 0, username: "", phrase: null, lifetime: 0, warned: false };
const SEARCH_PAUSE_MS = 120; // a search runs once typing pauses this long, not on every key
let vault = { categories: [], items: [], collections: [] };
let noticeTimer = null;
let searchTimer = null;
let serverMatches = null; // {query, ids}: the server's search for the query now in the box

function show(view) {
  for (const id of Object.keys(VIEWS)) $(id).hidden = id !== view;
  document.title = `${VIEWS[view]} · oppmini vault`;
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

// The notice stays in the page while empty, so screen readers hear its text the moment it is set.
function say(text, isError = false) {
  const notice = $("notice");
  notice.textContent = text;
  notice.classList.toggle("notice-error", isError);
  clearTimeout(noticeTimer);
  if (text) noticeTimer = setTimeout(() => (notice.textContent = ""), 10000);
}

function showError(id, text) {
  $(id).textContent = text || "";
  $(id).hidden = !text;
}

// After a 429 the button stays off for the wait the server asked for, and the message counts it down.
function holdOff(button, seconds, errorId) {
  button.disabled = true;
  let left = seconds;
  const timer = setInterval(() => {
    left -= 1;
    if (left > 0) {
      showError(errorId, `Too many attempts. Wait ${left} second${left === 1 ? "" : "s"}, then try again.`);
      return;
    }
    clearInterval(timer);
    button.disabled = false;
    showError(errorId, "");
  }, 1000);
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
      holdOff(submit, waitSeconds(problem), errorId);
      held = true;
    }
    return problem;
  } finally {
    if (!held) submit.disabled = false;
  }
  return null;
}

// ---- The session: a token in sessionStorage, its end time, and the passphrase in memory.

function lifetimeOf(token) {
  const claims = tokenClaims(token);
  return claims && claims.exp > claims.iat ? claims.exp - claims.iat : 300;
}

function startSession(token, username = session.username) {
  const lifetime = lifetimeOf(token);
  // Counted on this machine's clock from now, so a skewed clock cannot stretch it.
  Object.assign(session, { token, username, lifetime, warned: false, deadline: Date.now() + lifetime * 1000 });
  $("session-ends").textContent = `until ${when(session.deadline)}`;
  sessionStorage.setItem(STORED.token, token);
  sessionStorage.setItem(STORED.deadline, String(session.deadline));
  sessionStorage.setItem(STORED.username, username);
  return lifetime;
}

function restoreSession() {
  const token = sessionStorage.getItem(STORED.token);
  const deadline = Number(sessionStorage.getItem(STORED.deadline));
  if (token && deadline > Date.now()) {
    const username = sessionStorage.getItem(STORED.username) || "";
    Object.assign(session, { token, deadline, username, lifetime: lifetimeOf(token), warned: false });
    show("unlock-view");
    $("phrase").focus();
  } else {
    endSession("");
  }
}

// Forget the vault and the passphrase; the token stays. An editor's typed work goes too, unless kept.
function wipe(keepDraft = false) {
  clearClipboard();
  session.phrase = null;
  vault = { categories: [], items: [], collections: [] };
  if (!keepDraft) {
    closeRenew();
    closeEditors();
  }
  wipeVault($("groups"));
  forgetCodes();
  wipeTrash();
  wipeShared();
  wipeImport();
  for (const id of ["search", "phrase", "password", "otp"]) $(id).value = "";
  $("favourites-only").checked = false;
  $("search-status").textContent = "";
  showError("vault-error", "");
}

function forgetToken() {
  Object.assign(session, { token: null, deadline: 0 });
  for (const key of Object.values(STORED)) sessionStorage.removeItem(key);
}

function endSession(message) {
  wipe();
  forgetToken();
  session.username = "";
  show("signin-view");
  showError("unlock-error", "");
  showError("signin-error", message);
  ($("username").value ? $("password") : $("username")).focus();
}

// The end of a session never takes typed work with it: with a changed dialog open, the vault
// and the passphrase go, the dialog stays, and signing in again carries on from there.
function sessionEnded(message) {
  if (!changedEditor()) {
    endSession(message);
    return;
  }
  wipe(true);
  forgetToken();
  askAfterEnd(message);
}

// Warned a minute before the end, or a quarter of the session's length when that is shorter.
function checkExpiry() {
  if (!session.token) return;
  const left = session.deadline - Date.now();
  if (left <= 0) sessionEnded(EXPIRED);
  else if (!session.warned && session.phrase !== null && left <= Math.min(60, session.lifetime / 4) * 1000) {
    session.warned = true;
    warnBeforeEnd(new Date(session.deadline).toLocaleTimeString());
  }
}

// What the page keeps of fetchall: a server without sharing answers no "collections".
function held(answer) {
  return { categories: answer.categories, items: answer.items, collections: answer.collections || [] };
}

// After signing in again once the session ended: the vault, opened with the passphrase given.
async function reopen(phrase) {
  const answer = await request("GET", "fetchall", { token: session.token, phrase });
  session.phrase = phrase;
  vault = held(answer);
  draw();
}

async function signIn(event) {
  event.preventDefault();
  const username = $("username").value;
  const asked = askedSeconds();
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
    vault = held(answer);
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
async function call(method, path, body, { query, phrase = true, file, download } = {}) {
  try {
    return await request(method, path, {
      token: session.token,
      phrase: phrase ? session.phrase : undefined,
      body,
      query,
      file,
      download,
    });
  } catch (problem) {
    if (problem.status === 401) sessionEnded(explain(problem));
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

// A saved item as the server answered it ("category" in the GET shape): its card alone is redrawn.
function itemSaved(answer) {
  const { category, ...item } = answer;
  if (category !== undefined) item.category_id = category.id;
  vault.items = vault.items.filter((old) => old.id !== item.id).concat(item);
  placeItem(item);
  showStatus();
  if (item.totp) fetchCodes();
}

function itemDeleted(itemId) {
  vault.items = vault.items.filter((old) => old.id !== itemId);
  removeItem(itemId);
  showStatus();
}

async function refresh() {
  const answer = await call("GET", "fetchall");
  vault = held(answer);
  draw();
}

const actions = {
  say,
  editItem: openItemEditor,
  deleteItem,
  renameCategory: openCategoryEditor,
  deleteCategory,
  showHistory,
  // The collection an item is shared in ({id, name, role}), null for a personal item.
  sharedIn: (item) => vault.collections.find((collection) => collection.id === item.collection_id) || null,
};

function draw() {
  renderVault($("groups"), vault, actions);
  search();
  if (vault.items.some((item) => item.totp)) fetchCodes();
}

function search() {
  clearTimeout(searchTimer);
  serverMatches = null;
  showStatus();
}

// The page filters what it holds by name, address, username, account and fields; the server's
// search (GET /v1/search) also reads the notes, every word anywhere, never a password.
async function searchNotes() {
  const query = $("search").value.trim();
  if (!query) return;
  const answer = await call("GET", "search", undefined, { query: { q: query } });
  serverMatches = { query, ids: new Set(answer.items.map((item) => item.id)) };
  showStatus();
}

function showStatus() {
  const query = $("search").value;
  const favourites = $("favourites-only").checked;
  const found = serverMatches && serverMatches.query === query.trim() ? serverMatches.ids : null;
  const shown = filterVault($("groups"), query, favourites, found);
  $("search-notes").hidden = !query.trim() || found !== null;
  let status = "";
  if (!vault.items.length && !vault.categories.length) status = "Your vault is empty. Start with New item or New category.";
  else if (favourites && !query.trim()) status = shown ? `${shown} favourite${shown === 1 ? "" : "s"}` : "No favourites yet.";
  else if (found) status = shown ? `${shown} item${shown === 1 ? "" : "s"} hold every word, notes included` : `No item holds “${query.trim()}”, notes included.`;
  else if (query.trim()) status = shown ? `${shown} matching item${shown === 1 ? "" : "s"}` : `No items match “${query.trim()}”.`;
  $("search-status").textContent = status;
}

// Where the keyboard goes once a dialog has closed and the list changed: the item or category
// changed, or the neighbour of the one deleted ({itemId} or {categoryId}), so the place is kept.
function focusAfterChange(target) {
  let button = null;
  if (target && target.itemId !== undefined) button = document.querySelector(`[data-item-id="${target.itemId}"] .edit`);
  if (target && target.categoryId !== undefined) {
    button = document.querySelector(`[data-category-id="${target.categoryId}"] .rename`);
  }
  if (button) button.scrollIntoView({ block: "nearest" });
  (button || $("search")).focus();
}

function start() {
  setupSessionForm();
  $("signin-form").addEventListener("submit", signIn);
  $("unlock-form").addEventListener("submit", unlock);
  $("sign-out").addEventListener("click", signOut);
  $("lock").addEventListener("click", () => lock());
  $("search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, SEARCH_PAUSE_MS);
  });
  // Enter runs the search at once.
  $("search").addEventListener("keydown", (event) => event.key === "Enter" && search());
  $("favourites-only").addEventListener("change", showStatus);
  $("search-notes").addEventListener("click", () => searchNotes().catch((problem) => say(explain(problem))));
  $("add-item").addEventListener("click", () => openItemEditor(null));
  $("add-category").addEventListener("click", () => openCategoryEditor(null));
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, textarea, select, dialog");
    if (event.key === "/" && !typing && !$("vault-view").hidden) {
      event.preventDefault();
      $("search").focus();
    }
  });
  setupEditors({ call, mutate, refresh, say, vault: () => vault, focusAfterChange, itemSaved, itemDeleted });
  setupCodes({ call, say });
  setupHistory({ call, say });
  setupTrash({
    call,
    say,
    itemSaved,
    onClose: () => {
      show("vault-view");
      $("open-trash").focus();
    },
  });
  $("open-trash").addEventListener("click", () => {
    show("trash-view");
    showTrash();
  });
  // Import and Export, like Trash: a view from the toolbar, Back returns to the vault and its button.
  const shared = ["shared", setupShared, showShared];
  for (const [name, setup, open] of [["import", setupImport, showImport], ["export", setupExport, showExport], shared]) {
    setup({
      call,
      say,
      refresh,
      vault: () => vault,
      username: () => session.username,
      onClose: () => {
        show("vault-view");
        $(`open-${name}`).focus();
      },
    });
    $(`open-${name}`).addEventListener("click", () => {
      show(`${name}-view`);
      open();
    });
  }
  setupAccount({ call, say, onClose: () => show(session.phrase === null ? "unlock-view" : "vault-view") });
  $("account").addEventListener("click", () => {
    show("account-view");
    showAccount();
  });
  setupRenew({
    username: () => session.username,
    lifetime: () => session.lifetime,
    end: () => when(session.deadline),
    startSession,
    reopen,
    endSession: () => endSession(EXPIRED),
    say,
  });
  // Timers stall while a laptop sleeps: check every second and whenever the tab comes back.
  setInterval(checkExpiry, 1000);
  document.addEventListener("visibilitychange", checkExpiry);
  restoreSession();
}

start();
