// Watching for a submitted login: a form sent (or its submit button pressed, for pages that send with
// script) with a password in it is reported to the background, which offers to save it; nothing is stored
// without the person's click in the popup.
"use strict";

var oppmini = globalThis.oppmini || (globalThis.oppmini = {});
const runtimeOfWatch = (globalThis.browser ?? chrome).runtime;

let lastReported = "";

function report(scope) {
  const passwords = Array.from(scope.querySelectorAll("input[type=password]")).filter((input) => input.value);
  if (!passwords.length) return;
  // A form with a new-password field (a sign-up or change form) reports the new one.
  const password = passwords.find((input) => input.getAttribute("autocomplete") === "new-password") || passwords[0];
  const { username } = oppmini.findLoginFields();
  const login = { username: username ? username.value : "", password: password.value };
  const key = login.username + "\n" + login.password;
  if (key === lastReported) return;
  lastReported = key;
  runtimeOfWatch.sendMessage({ type: "submitted", ...login }).catch(() => {});
}

document.addEventListener("submit", (event) => report(event.target), true);
document.addEventListener(
  "click",
  (event) => {
    const button = event.target.closest && event.target.closest("button, input[type=submit]");
    if (button && (button.type === "submit" || button.form)) report(button.form || document);
  },
  true,
);
