// After a sign-in: the tries since the sign-in before it that had the right password and a wrong
// two-factor code, the one failure that says someone else knows the password (extensions.md §4).
// Shown above the views until dismissed; built with textContent only.

import { request, tokenClaims } from "./api.js";
import { element, stamp } from "./accountparts.js";

const $ = (id) => document.getElementById(id);
// Events read back from the new sign-in: more tries than this between two sign-ins are still told.
const LOOK_BACK = "100";

// The password-known events between the sign-in that opened session `sessionId` and the one before it.
export function sincePreviousSignIn(events, sessionId) {
  const start = events.findIndex((event) => event.event === "login" && event.detail.session_id === sessionId);
  const found = [];
  for (const event of start < 0 ? [] : events.slice(start + 1)) {
    if (event.event === "login") break;
    if (event.event === "login_code_failed") found.push(event);
  }
  return found;
}

// Read the activity log with the new token and warn when it says so. A failed read only
// leaves the warning out: it must never stand between the person and the vault.
export async function warnIfPasswordKnown(token) {
  let answer;
  try {
    answer = await request("GET", "activity", { token, query: { limit: LOOK_BACK } });
  } catch {
    return;
  }
  const tries = sincePreviousSignIn(answer.events, (tokenClaims(token) || {}).sid);
  if (tries.length) show(tries);
}

function show(tries) {
  const times = tries.length === 1 ? "once" : `${tries.length} times`;
  $("password-warning-text").textContent = `Since you last signed in, someone signed in with your password ` +
    `${times} and failed only at the two-factor code. Change your password soon; the Account view lists ` +
    `every attempt.`;
  $("password-warning-tries").replaceChildren(...tries.map((one) =>
    element("li", "", `${stamp(one.at)} from ${one.address || "an unknown address"}`)));
  $("password-warning").hidden = false;
}

export function hidePasswordWarning() {
  $("password-warning").hidden = true;
}

// `afterDismiss()` puts the focus back where the person was.
export function setupPasswordWarning(afterDismiss) {
  $("password-warning-dismiss").addEventListener("click", () => {
    hidePasswordWarning();
    afterDismiss();
  });
}
