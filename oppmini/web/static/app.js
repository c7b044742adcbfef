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
import { hideKeyStep, setupSignInKey, signInWithKey } from "./signinkey.js";
import { call, forgetToken, onCallFailure, restoreSession, session, startSession, when } from "./session.js";
import { applyVault, heldVault, itemSaved, refresh, setupVaultView, showVault, wipeVaultView } from "./vaultview.js";
import { holdTag, setupChanges } from "./changes.js";
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
  holdTag(null);
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
  $("otp-field").hidden = true;
  hideKeyStep();
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
  const { answer, tag } = await request("GET", "fetchall", { token: session.token, phrase, tag: null });
  performance.mark("opp:fetched");
  session.phrase = phrase;
  holdTag(tag);
  showVault(answer);
  performance.mark("opp:drawn");
}

async function signIn(event) {
  event.preventDefault();
  const body = { username: $("username").value, password: $("password").value, exp_delta: askedSeconds() };
  if ($("otp").value) body.otp = $("otp").value;
  const problem = await sendSignIn(body);
  if (problem && problem.description === CODE_REQUIRED) {
    // A key first when the account has one (and no code is being typed), else the code.
    if (problem.body.webauthn && $("otp-field").hidden) await signInWithKey(problem.body, (key) => sendSignIn({ ...body, ...key }));
    else askForCode(problem.body.factors);
  } else if (problem) $("password").select();
}

// POST auth with `body`; signed in, the unlock form. The problem, or null.
function sendSignIn(body) {
  return submitting($("signin-form"), "signin-error", async () => {
    const answer = await request("POST", "auth", { body });
    $("password").value = "";
    $("otp").value = "";
    $("otp-field").hidden = true;
    hideKeyStep();
    const granted = begin(answer.access_token, body.username);
    show("unlock-view");
    $("phrase").focus();
    warnIfPasswordKnown(answer.access_token);
    const asked = body.exp_delta;
    if (granted !== asked) say(`The server granted a session of ${duration(granted)} instead of ${duration(asked)}.`);
  }, ["username", "password"]);
}

// Two-factor login is on for this account: ask for the code (a recovery code, when keys are all it has).
function askForCode(factors = ["totp"]) {
  hideKeyStep();
  $("otp-field").hidden = false;
  const words = factors.includes("totp") ? "Enter the code your authenticator app shows." : "Enter one of your recovery codes.";
  showError("signin-error", words, ["otp"]);
  $("otp").focus();
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

// "Sign out" ends this session only (DELETE /v1/sessions with its id); `everywhere` (the Account
// view's "Sign out everywhere") ends every session of the account, on every device (DELETE /v1/auth).
async function signOut(everywhere = false) {
  const token = session.token;
  // Wipe first: nothing of the vault outlives the click, even if the server is unreachable.
  await clearClipboard();
  endSession("");
  try {
    if (everywhere) {
      await request("DELETE", "auth", { token });
    } else {
      const current = (await request("GET", "sessions", { token })).sessions.find((one) => one.current);
      // A token of no session (made before sessions were kept) ends only with all of them.
      if (current) await request("DELETE", "sessions", { token, body: { ids: [current.id] } });
      else await request("DELETE", "auth", { token });
      everywhere = !current;
    }
    say(everywhere ? "Signed out everywhere: every session of this account has ended." : "Signed out of this session.");
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
  setupAccount({
    call,
    say,
    onClose: () => {
      show(session.phrase === null ? "unlock-view" : "vault-view");
      $("account").focus();
    },
    signOutEverywhere: () => signOut(true),
    collectionName: (id) => (heldVault().collections.find((one) => one.id === id) || {}).name,
    username: () => session.username,
  });
  $("account").addEventListener("click", () => {
    show("account-view");
    // The Account button is hidden in its own view: the focus goes to the view's heading.
    $("account-title").focus();
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
  setupSignInKey(askForCode);
  $("unlock-form").addEventListener("submit", unlock);
  $("sign-out").addEventListener("click", () => signOut());
  $("lock").addEventListener("click", () => lock());
  setupVaultView({ call });
  // Not in a session's last seconds: the token may already be refused there, and the end is the renewal's to tell.
  setupChanges({ call, apply: applyVault, unlocked: () => session.phrase !== null && session.deadline - Date.now() > 5000 });
  setupCodes({ call, say });
  setupHealthReport({ call });
  setupHistory({ call, say });
  setupFiles({ call, say, itemSaved });
  setupToolbarViews();
  setupSticky(); // after the views that have toolbars are built
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
