// Signing in again without leaving the screen: a warning shortly before the
// session ends, and after it ended with a dialog still holding typed work. The
// dialog opens over any other, so whatever was being edited stays as it was.

import { CODE_REQUIRED, explain, phraseHeader, request, UNSENDABLE_PHRASE } from "./api.js";
import { touchKey } from "./keyceremony.js";

const $ = (id) => document.getElementById(id);

// {username, lifetime, startSession, reopen, endSession, say}: set by setupRenew
let app = null;
let expired = false;

function showError(text) {
  $("renew-error").textContent = text || "";
  $("renew-error").hidden = !text;
}

function open(title, text) {
  const dialog = $("renew-dialog");
  $("renew-title").textContent = title;
  $("renew-text").textContent = text;
  $("renew-phrase-field").hidden = !expired;
  $("renew-phrase").required = expired;
  $("renew-later").textContent = expired ? "Discard changes and sign out" : "Not now";
  $("renew-later").classList.toggle("danger", expired);
  showError("");
  if (!dialog.open) dialog.showModal();
  $("renew-password").focus();
}

// Shortly before the end: sign in again, or carry on until the end.
export function warnBeforeEnd(end) {
  expired = false;
  open("Your session ends soon", `It ends at ${end}. Enter your password to stay signed in; ` +
    "open dialogs keep what you typed.");
}

// After the end, with typed work open: the vault is gone from the page, the draft is not.
export function askAfterEnd(message) {
  expired = true;
  open("Your session has ended", `${message} What you typed is still here: enter your password and ` +
    "passphrase to carry on and save it.");
}

export function closeRenew() {
  expired = false;
  $("renew-form").reset();
  $("renew-otp-field").hidden = true;
  if ($("renew-dialog").open) $("renew-dialog").close();
}

async function renew(event) {
  event.preventDefault();
  const phrase = $("renew-phrase").value;
  if (expired && phraseHeader(phrase) === null) {
    showError(UNSENDABLE_PHRASE);
    return;
  }
  const submit = $("renew-form").querySelector("button[type=submit]");
  submit.disabled = true;
  showError("");
  try {
    const body = { username: app.username(), password: $("renew-password").value, exp_delta: app.lifetime() };
    if ($("renew-otp").value) body.otp = $("renew-otp").value;
    const answer = await signInAgain(body);
    $("renew-password").value = "";
    $("renew-otp").value = "";
    app.startSession(answer.access_token);
    if (expired) await app.reopen(phrase);
    closeRenew();
    app.say(`Signed in again, until ${app.end()}.`);
  } catch (problem) {
    if (problem.description === CODE_REQUIRED) {
      // Two-factor login is on: the password was right, the code is still to come.
      $("renew-otp-field").hidden = false;
      showError(problem.body.factors?.includes("totp") === false
        ? "Enter one of your recovery codes."
        : "Enter the code your authenticator app shows.");
      if (problem.keyWords) showError(`${problem.keyWords} Or enter a code instead.`);
      $("renew-otp").focus();
      return;
    }
    showError(explain(problem));
  } finally {
    submit.disabled = false;
    if ($("renew-dialog").open && !$("renew-dialog").contains(document.activeElement)) $("renew-password").focus();
  }
}

// POST auth; with a security key on the account and no code typed, the key is touched first
// (a failure of the key is told in its words, and the code field offered instead).
async function signInAgain(body) {
  try {
    return await request("POST", "auth", { body });
  } catch (problem) {
    if (problem.description !== CODE_REQUIRED || !problem.body.webauthn || body.otp) throw problem;
    showError("Touch your security key, or use your passkey, now.");
    let key;
    try {
      key = await touchKey(problem.body.webauthn);
    } catch (keyProblem) {
      throw Object.assign(problem, { description: CODE_REQUIRED, keyWords: keyProblem.message });
    }
    return request("POST", "auth", { body: { ...body, webauthn: key } });
  }
}

export function setupRenew(context) {
  app = context;
  $("renew-form").addEventListener("submit", renew);
  $("renew-later").addEventListener("click", () => (expired ? app.endSession() : closeRenew()));
  // Escape is "not now" before the end; after it, leaving takes the button that says what is lost.
  $("renew-dialog").addEventListener("cancel", (event) => {
    if (expired) event.preventDefault();
    else closeRenew();
  });
  $("renew-dialog").addEventListener("keydown", (event) => {
    if (event.key === "Escape" && expired) event.preventDefault();
  });
}
