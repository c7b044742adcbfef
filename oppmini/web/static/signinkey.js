// The sign-in form's key step: with a security key or passkey on the account, Sign in asks the
// browser for the key first, says in words what went wrong, and offers the key again or a code.

import { CODE_INVALID } from "./api.js";
import { touchKey } from "./keyceremony.js";
import { showError } from "./notice.js";

const $ = (id) => document.getElementById(id);

let factors = ["webauthn"]; // the account's, as the last 401 named them

export function setupSignInKey(useCode) {
  // Again: the whole sign-in again, for a new challenge (each is good once).
  $("key-again").addEventListener("click", () => $("signin-form").requestSubmit());
  $("use-code").addEventListener("click", () => useCode(factors));
}

export function hideKeyStep() {
  $("key-step").hidden = true;
  $("key-status").textContent = "";
}

// Touch the key for a 401's body (its request options, the account's factors); `send(extra)` signs in with
// the key's answer (the problem, or null).
export async function signInWithKey(asked, send) {
  factors = asked.factors || factors;
  $("key-step").hidden = false;
  showError("signin-error", "");
  $("key-status").textContent = "Touch your security key, or use your passkey, now.";
  let answer;
  try {
    answer = await touchKey(asked.webauthn);
  } catch (problem) {
    $("key-status").textContent = "";
    showError("signin-error", problem.message);
    $("key-again").focus();
    return;
  }
  $("key-status").textContent = "";
  const refused = await send({ webauthn: answer });
  if (!refused) return;
  if (refused.description === CODE_INVALID) {
    showError("signin-error", "The server did not accept this key: it is not one of this account's keys, or " +
      "a copy of one. Use another key, or a code.");
  }
  $("key-again").focus();
}
