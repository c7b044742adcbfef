// Filling a frame: on the background's request (sent only after a gesture), ask for values for the
// fields found here and set them as typing would, with the input and change events frameworks listen to.
"use strict";

var oppmini = globalThis.oppmini || (globalThis.oppmini = {});
const ext = globalThis.browser ?? chrome;

// The native value setter: frameworks such as React override the element's own.
oppmini.setValue = function setValue(input, value) {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set;
  input.focus();
  setter.call(input, value);
  input.dispatchEvent(new Event("input", { bubbles: true }));
  input.dispatchEvent(new Event("change", { bubbles: true }));
};

// Visibility is checked again at the moment of filling: the page may have changed since.
function put(input, value) {
  if (input && typeof value === "string" && oppmini.isVisible(input)) oppmini.setValue(input, value);
}

const TWO_STEP_WAIT_MS = 8000;

async function fillHere() {
  const fields = oppmini.findLoginFields();
  if (!fields.username && !fields.password && !fields.otp) return;
  const wants = { username: Boolean(fields.username), password: Boolean(fields.password), otp: Boolean(fields.otp) };
  const answer = await ext.runtime.sendMessage({ type: "fill-ask", wants });
  const values = answer && answer.ok ? answer.value : null;
  if (!values) return;
  put(fields.username, values.username);
  put(fields.password, values.password);
  put(fields.otp, values.otp);
  if (fields.username && !fields.password) waitForPasswordStep();
}

// A two-step login in one page: the password field appears after the username step. Asked for within
// the gesture's few seconds; the background refuses once they are over.
function waitForPasswordStep() {
  const observer = new MutationObserver(() => {
    const { password } = oppmini.findLoginFields();
    if (!password) return;
    observer.disconnect();
    fillHere();
  });
  observer.observe(document.documentElement, { childList: true, subtree: true, attributes: true });
  setTimeout(() => observer.disconnect(), TWO_STEP_WAIT_MS);
}

// The field the person was typing in, when it is a visible text or password field. The popup has the
// focus while open, so the page's focused element, not document.hasFocus(), says where that was.
function fillFocused(password) {
  const input = document.activeElement;
  if (!(input instanceof HTMLInputElement) || !["password", "text", ""].includes(input.type)) return false;
  if (!oppmini.isVisible(input)) return false;
  oppmini.setValue(input, password);
  return true;
}

ext.runtime.onMessage.addListener((message, sender, respond) => {
  if (message && message.type === "fill-request") fillHere();
  if (message && message.type === "generated") respond(fillFocused(message.password));
  return false;
});
