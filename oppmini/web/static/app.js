// The page's controller: sign in, unlock, the session's life and sign out, and the views
// opened from the vault's toolbar. Each view is its own module; this one only wires them.

import { CODE_REQUIRED, explain, phraseHeader, request, UNSENDABLE_PHRASE } from "./api.js";
import { setupAccount, showAccount } from "./account.js";
import { clearClipboard } from "./clipboard.js";
import { forgetCodes, setupCodes } from "./codes.js";
import { setupTrash, showTrash, wipeTrash } from "./trash.js";
import { setupShared, showShared, wipeShared } from "./shared.js";
import { resetForm as wipeImport, setupImport, showImport } from "./import.js";
import { setupExport, showExport } from "./export.js";
import { setupHealth, showHealth, wipeHealth } from "./health.js";
import { setupHealthReport } from "./healthreport.js";
import { setupFiles } from "./files.js";
import { setupHistory } from "./history.js";
import { askAfterEnd, closeRenew, setupRenew, warnBeforeEnd } from "./renew.js";
import { askedSeconds, duration, setupSessionForm } from "./sessionform.js";
import { hidePasswordWarning, setupPasswordWarning, warnIfPasswordKnown } from "./passwordwarning.js";
import { closeEditors, changedEditor } from "./editors.js";
import { say, showError, submitting } from "./notice.js";
import { call, forgetToken, onCallFailure, restoreSession, session, startSession, when } from "./session.js";
import { heldVault, itemSaved, refresh, setupVaultView, showVault, wipeVaultView } from "./vaultview.js";
import { setupSticky } from "./sticky.js";
import { registerView, show, shown } from "./views.js";

const $ = (id) => document.getElementById(id);
const EXPIRED = "Your session has expired. Please sign in again.";

// The views opened from the vault's toolbar: [name, title, setup, open]. Each has a section
// #NAME-view, a button #open-NAME, and Back returns to the vault and that button.
const TOOLBAR_VIEWS = [
  ["shared", "Shared", setupShared, showShared],
  ["health", "Health", setupHealth, showHealth],
  ["trash", "Trash", setupTrash, showTrash],
  ["import", "Import", setupImport, showImport],
  ["export", "Export", setupExport, showExport],
];

function begin(token, username) {
  const lifetime = startSession(token, username);
  $("session-ends").textContent = `until ${when(session.deadline)}`;
  return lifetime;
}

// Forget the vault and the passphrase; the token stays. An editor's typed work goes too, unless kept.
function wipe(keepDraft = false) {
  clearClipboard();
  session.phrase = null;
  if (!keepDraft) {
    closeRenew();
    closeEditors();
  }
  wipeVaultView();
  forgetCodes();
  wipeTrash();
  wipeShared();
  wipeImport();
  wipeHealth();
  for (const id of ["phrase", "password", "otp"]) $(id).value = "";
}

function endSession(message) {
  wipe();
  forgetToken();
  hidePasswordWarning();
  session.username = "";
  show("signin-view");
  showError("unlock-error", "", ["phrase"]);
  showError("signin-error", message, ["username", "password"]);
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

// The vault opened with `phrase`: fetched, then drawn. The marks (performance.mark) let the
// speed test tell the server's part from the page's.
async function open(phrase) {
  performance.mark("opp:unlock");
  const answer = await request("GET", "fetchall", { token: session.token, phrase });
  performance.mark("opp:fetched");
  session.phrase = phrase;
  showVault(answer);
  performance.mark("opp:drawn");
}

async function signIn(event) {
  event.preventDefault();
  const username = $("username").value;
  const asked = askedSeconds();
  const fields = ["username", "password"];
  await submitting($("signin-form"), "signin-error", async () => {
    const body = { username, password: $("password").value, exp_delta: asked };
    if ($("otp").value) body.otp = $("otp").value;
    const answer = await request("POST", "auth", { body });
    $("password").value = "";
    $("otp").value = "";
    $("otp-field").hidden = true;
    const granted = begin(answer.access_token, username);
    show("unlock-view");
    $("phrase").focus();
    warnIfPasswordKnown(answer.access_token);
    if (granted !== asked) say(`The server granted a session of ${duration(granted)} instead of ${duration(asked)}.`);
  }, fields);
  if ($("signin-error").textContent.endsWith(CODE_REQUIRED)) {
    // Two-factor login is on for this account: ask for the code.
    $("otp-field").hidden = false;
    showError("signin-error", "Enter the code your authenticator app shows.", ["otp"]);
    $("otp").focus();
  } else if (!$("signin-error").hidden) $("password").select();
}

async function unlock(event) {
  event.preventDefault();
  const phrase = $("phrase").value;
  if (phraseHeader(phrase) === null) {
    showError("unlock-error", UNSENDABLE_PHRASE, ["phrase"]);
    return;
  }
  const problem = await submitting($("unlock-form"), "unlock-error", async () => {
    await open(phrase);
    $("phrase").value = "";
    show("vault-view");
    $("search").focus();
  }, ["phrase"]);
  if (problem && problem.status === 401) endSession(explain(problem));
  else if (problem) $("phrase").select();
}

function lock(message = "Locked. Enter your passphrase to continue.") {
  wipe();
  show("unlock-view");
  showError("unlock-error", "", ["phrase"]);
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

function setupToolbarViews() {
  for (const [name, title, setup, open] of TOOLBAR_VIEWS) {
    registerView(`${name}-view`, title);
    setup({
      call,
      say,
      refresh,
      itemSaved,
      vault: heldVault,
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
  registerView("account-view", "Your account");
  setupAccount({ call, say, onClose: () => show(session.phrase === null ? "unlock-view" : "vault-view") });
  $("account").addEventListener("click", () => {
    show("account-view");
    showAccount();
  });
}

function start() {
  setupSessionForm();
  onCallFailure({
    ended: sessionEnded,
    phraseWrong: () => lock("The passphrase no longer opens the vault. Enter it again."),
  });
  // Dismissed, the warning gives the focus back to the view it was read over.
  setupPasswordWarning(() => {
    const next = shown("unlock-view") ? "phrase" : shown("vault-view") ? "search" : "sign-out";
    $(next).focus();
  });
  $("signin-form").addEventListener("submit", signIn);
  $("unlock-form").addEventListener("submit", unlock);
  $("sign-out").addEventListener("click", signOut);
  $("lock").addEventListener("click", () => lock());
  setupVaultView({ call });
  setupSticky();
  setupCodes({ call, say });
  setupHealthReport({ call });
  setupHistory({ call, say });
  setupFiles({ call, say, itemSaved });
  setupToolbarViews();
  setupRenew({
    username: () => session.username,
    lifetime: () => session.lifetime,
    end: () => when(session.deadline),
    startSession: begin,
    reopen: open,
    endSession: () => endSession(EXPIRED),
    say,
  });
  // Timers stall while a laptop sleeps: check every second and whenever the tab comes back.
  setInterval(checkExpiry, 1000);
  document.addEventListener("visibilitychange", checkExpiry);
  if (restoreSession()) {
    show("unlock-view");
    $("phrase").focus();
  } else {
    endSession("");
  }
}

start();
