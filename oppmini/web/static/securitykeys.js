// The Account view's security keys and passkeys: the list (name, added, last used) with Remove,
// which asks first, and "Add a security key or passkey" (name it, touch it). A token alone never
// changes the second factor: both take the password and, with a second factor on, a key or a code.

import { attempt, button, element, errorLine, field, recoveryCodes, stamp } from "./accountparts.js";
import { CODE_REQUIRED } from "./api.js";
import { createKey, KeyProblem, touchKey } from "./keyceremony.js";

const $ = (id) => document.getElementById(id);

let api = null; // {call, say}
let keysHeld = 0; // as the list last showed them: with a key, a code may stand in for touching one

export async function drawKeys(calls = api) {
  api = calls;
  const box = $("keys-box");
  box.replaceChildren(errorLine("keys-error"));
  const state = await attempt("keys-error", () => api.call("GET", "webauthn"));
  if (!state) return;
  keysHeld = state.keys.length;
  const status = element("p", "", state.keys.length
    ? "These keys sign you in after your password. Your passphrase still unlocks the vault."
    : "No security key or passkey yet. One signs you in after your password with a touch; your passphrase " +
      "still unlocks the vault.");
  status.id = "keys-status";
  const list = element("ul", "plain-list");
  list.id = "keys-list";
  for (const key of state.keys) list.append(keyRow(key));
  box.prepend(status);
  box.append(list);
  if (!state.available) {
    box.append(element("p", "hint", "This server cannot ask for keys: whoever runs it has not set its public_url."));
    return;
  }
  const add = button("Add a security key or passkey", addForm, "primary");
  add.id = "keys-add";
  box.append(add);
}

function keyRow(key) {
  const row = element("li", "session-row");
  row.dataset.keyId = key.id;
  const used = key.last_used_at ? `last used ${stamp(key.last_used_at)}` : "not used yet";
  const what = element("div");
  what.append(element("strong", "", key.name), element("span", "muted", ` added ${stamp(key.created_at)} · ${used}`));
  const remove = button("Remove", () => removeForm(key), "danger");
  remove.setAttribute("aria-label", `Remove ${key.name}`);
  row.append(what, remove);
  return row;
}

// A form in the box: its fields, its error line, its submit button and Cancel.
function form(id, intro, fields, submit, onSubmit, submitClass = "primary") {
  const node = element("form");
  node.id = id;
  const cancel = button("Cancel", async () => {
    await drawKeys();
    $("keys-add")?.focus();
  });
  const actions = element("div", "actions");
  actions.append(element("button", submitClass, submit), cancel);
  node.append(element("p", "hint", intro), ...fields, codeField(`${id}-code`), errorLine(`${id}-error`), actions);
  node.addEventListener("submit", (event) => {
    event.preventDefault();
    onSubmit(node);
  });
  $("keys-box").replaceChildren(node);
  node.querySelector("input").focus();
  return node;
}

// Beside a key, or when the server asks for a code (two-factor login by app, no key yet): a code instead.
function codeField(id) {
  const wrap = field(id, "Or, instead of a key: a code from your authenticator app or a recovery code", {
    autocomplete: "one-time-code",
  });
  wrap.hidden = !keysHeld;
  return wrap;
}

function removeForm(key) {
  form("key-remove", `Remove ${key.name}? It will no longer sign you in. Enter your password, then touch one of ` +
    "your keys (or enter a code) to confirm.",
  [field("key-remove-password", "Password", { type: "password", autocomplete: "current-password", required: true })],
  `Remove ${key.name}`, async (node) => {
    const body = { ids: [key.id], password: $("key-remove-password").value };
    if (await proven(node, "DELETE", body)) {
      api.say(`${key.name} removed.`);
      await drawKeys();
      $("keys-add")?.focus();
    }
  }, "danger-fill");
}

function addForm() {
  form("key-add", "Name the key so you can tell it from others, enter your password, then touch the key " +
    "(or use your phone's or computer's passkey) when the browser asks.",
  [
    field("key-name", "Name of the key", { maxLength: 100, required: true, placeholder: "Blue key", autocomplete: "off" }),
    field("key-add-password", "Password", { type: "password", autocomplete: "current-password", required: true }),
  ], "Add the key", addKey);
}

async function addKey(node) {
  const started = await proven(node, "PUT", { password: $("key-add-password").value });
  if (!started) return;
  const errorId = `${node.id}-error`;
  const added = await withKeyWords(errorId, async () => {
    const credential = await createKey(started.options);
    return api.call("POST", "webauthn", { name: $("key-name").value.trim(), credential });
  });
  if (!added) return;
  if (!added.recovery_codes) {
    api.say("Key added.");
    await drawKeys();
    $("keys-add")?.focus();
    return;
  }
  $("keys-box").replaceChildren(
    element("p", "", "Key added. These recovery codes are shown only now: each signs you in once when you " +
      "do not have your key. Keep them somewhere safe."),
    ...recoveryCodes(added.recovery_codes, api.say, () => drawKeys()));
  $("recovery-done").focus();
}

// Send `body` (the password, and the code field when shown); when the server asks for a second factor
// and the account has a key, touch it and send again with its answer. The answer, or null.
async function proven(node, method, body) {
  const errorId = `${node.id}-error`;
  const code = $(`${node.id}-code`).value;
  if (code) body.otp = code;
  let asked = null;
  const answer = await withKeyWords(errorId, async () => {
    try {
      return await api.call(method, "webauthn", body);
    } catch (problem) {
      if (problem.description !== CODE_REQUIRED || !problem.body.webauthn) {
        asked = problem.description === CODE_REQUIRED;
        throw problem;
      }
      const key = await touchKey(problem.body.webauthn);
      return api.call(method, "webauthn", { ...body, webauthn: key });
    }
  });
  if (asked) {
    $(`${node.id}-code`).parentElement.hidden = false;
    $(errorId).textContent = "Enter a code from your authenticator app, or a recovery code.";
    $(`${node.id}-code`).focus();
  }
  return answer;
}

// attempt(), with a key's failure told in its own words.
async function withKeyWords(errorId, work) {
  let keyProblem = null;
  const answer = await attempt(errorId, async () => {
    try {
      return await work();
    } catch (problem) {
      if (!(problem instanceof KeyProblem)) throw problem;
      keyProblem = problem;
      return null;
    }
  });
  if (keyProblem) {
    $(errorId).textContent = keyProblem.message;
    $(errorId).hidden = false;
  }
  return answer;
}
