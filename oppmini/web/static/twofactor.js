// The Account view's two-factor part: turning it on (the password, the QR code, a code to confirm,
// the recovery codes once) and off. Built with textContent only, like the rest of the view.

import { attempt, button, element, errorLine, field, recoveryCodes } from "./accountparts.js";

const $ = (id) => document.getElementById(id);

let api = null; // {call, say}
// The password typed to start enrolment, held only until the code confirms it (or the part is redrawn):
// confirming needs it again, and asking twice would not make it safer.
let enrolling = null;

export async function drawTwoFactor(calls = api) {
  api = calls;
  enrolling = null;
  const box = $("tfa-box");
  box.replaceChildren(errorLine("tfa-error"));
  const state = await attempt("tfa-error", () => api.call("GET", "2fa"));
  if (!state) return;
  const status = element("p", "", state.enabled
    ? `Two-factor login is on. ${state.recovery_codes_left} unused recovery codes left.`
    : "Two-factor login is off: your password alone signs you in.");
  status.id = "tfa-status";
  status.tabIndex = -1;
  box.prepend(status);
  if (state.enabled) box.append(offForm());
  else box.append(button("Turn on two-factor login", startForm, "primary"));
}

// The part redrawn after a step done, the focus on what it now says (or on its heading if that failed).
async function redrawAndTell() {
  await drawTwoFactor();
  ($("tfa-status") || $("tfa-title")).focus();
}

// A token alone never changes the second factor: the server asks for the password first.
function startForm() {
  const form = element("form");
  form.id = "tfa-start-form";
  form.append(
    element("p", "hint", "Enter your password to turn on two-factor login: someone who only got hold of " +
      "this signed-in page cannot."),
    field("tfa-password", "Password", { type: "password", autocomplete: "current-password", required: true }),
    errorLine("tfa-start-error"),
    element("button", "primary", "Continue"),
  );
  form.addEventListener("submit", startEnrolment);
  $("tfa-box").replaceChildren(form);
  $("tfa-password").focus();
}

async function startEnrolment(event) {
  event.preventDefault();
  const password = $("tfa-password").value;
  const started = await attempt("tfa-start-error", () => api.call("PUT", "2fa", { password }));
  if (!started) {
    $("tfa-password").select();
    return;
  }
  enrolling = password;
  const qr = element("img", "qr");
  qr.alt = "QR code for your authenticator app";
  qr.src = "data:image/svg+xml;base64," + btoa(started.qr_svg);
  const secret = element("code", "", started.secret);
  secret.id = "tfa-secret";
  const typed = element("p", "hint", "Can't scan it? Type this key into the app: ");
  typed.append(secret);
  const form = element("form");
  form.id = "tfa-confirm-form";
  form.append(
    field("tfa-code", "Code the app shows now", { inputMode: "numeric", autocomplete: "one-time-code", required: true }),
    endOthersChoice(),
    errorLine("tfa-confirm-error"),
    element("button", "primary", "Confirm"),
  );
  form.addEventListener("submit", confirmEnrolment);
  $("tfa-box").replaceChildren(element("p", "", "Scan this code with an authenticator app, then enter the code it shows."),
    qr, typed, form);
  $("tfa-code").focus();
}

function endOthersChoice() {
  const box = element("input");
  box.type = "checkbox";
  box.id = "tfa-end-others";
  box.checked = true;
  box.setAttribute("aria-describedby", "tfa-end-others-hint");
  const label = element("label", "", "Sign out every other session of this account");
  label.htmlFor = "tfa-end-others";
  const choice = element("p", "radio long");
  choice.append(box, label);
  const hint = element("p", "hint", "If you turn this on because something looked wrong, this signs out whoever " +
    "else is signed in. This page stays signed in.");
  hint.id = "tfa-end-others-hint";
  const wrap = element("div");
  wrap.append(choice, hint);
  return wrap;
}

async function confirmEnrolment(event) {
  event.preventDefault();
  const body = { code: $("tfa-code").value, password: enrolling, end_other_sessions: $("tfa-end-others").checked };
  const answer = await attempt("tfa-confirm-error", () => api.call("POST", "2fa", body));
  if (answer) {
    enrolling = null;
    showRecoveryCodes(answer.recovery_codes, body.end_other_sessions);
  }
}

function showRecoveryCodes(codes, othersEnded) {
  const others = othersEnded ? " Every other session of this account is signed out." : "";
  const intro = element("p", "", "Two-factor login is on." + others + " These recovery codes are shown only now: " +
    "each signs you in once without the app. Keep them somewhere safe, away from the device with the app.");
  intro.id = "tfa-codes-intro";
  intro.tabIndex = -1;
  $("tfa-box").replaceChildren(intro, ...recoveryCodes(codes, api.say, redrawAndTell));
  intro.focus();
}

function offForm() {
  const form = element("form");
  form.id = "tfa-off-form";
  form.append(
    element("p", "hint", "To turn it off, enter your password and a code (or a recovery code)."),
    field("tfa-off-password", "Password", { type: "password", autocomplete: "current-password", required: true }),
    field("tfa-off-code", "Code", { autocomplete: "one-time-code", required: true }),
    errorLine("tfa-off-error"),
    element("button", "", "Turn off two-factor login"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { password: $("tfa-off-password").value, otp: $("tfa-off-code").value };
    if (await attempt("tfa-off-error", () => api.call("DELETE", "2fa", body))) {
      api.say("Two-factor login is off.");
      await redrawAndTell();
    }
  });
  return form;
}
