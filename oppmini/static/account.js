// The Account view: two-factor login on and off, the sessions of this account
// (sign one out), and its activity log, page by page. Built with textContent
// only, like the vault list: nothing the server stores becomes markup.

import { explain } from "./api.js";

const PAGE = 20;
const FAILURES = new Set(["login_failed_password", "login_code_missing", "login_code_failed", "passphrase_failed", "lockout"]);
const EVENT_NAMES = {
  login: "Signed in",
  login_failed_password: "Failed sign-in: wrong password",
  login_code_missing: "Failed sign-in: no two-factor code",
  login_code_failed: "Failed sign-in: wrong two-factor code",
  passphrase_failed: "Wrong passphrase",
  lockout: "Locked out after too many failures",
  logout_everywhere: "Signed out everywhere",
  session_revoked: "A session was signed out",
  password_changed: "Password changed",
  passphrase_changed: "Passphrase changed",
  username_changed: "Username changed",
  two_factor_on: "Two-factor login turned on",
  two_factor_off: "Two-factor login turned off",
  recovery_code_used: "Recovery code used",
};

let api = null; // {call, say}
let oldest = null; // the id to page on from

const $ = (id) => document.getElementById(id);

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label, onClick, className = "") {
  const node = element("button", className, label);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

function field(id, label, attributes = {}) {
  const wrap = element("div", "account-field");
  const name = element("label", "", label);
  name.htmlFor = id;
  const input = element("input");
  input.id = id;
  Object.assign(input, attributes);
  wrap.append(name, input);
  return wrap;
}

function stamp(seconds) {
  return new Date(seconds * 1000).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

// Run a call, showing its failure in `errorId`; the answer, or null.
async function attempt(errorId, work) {
  $(errorId).hidden = true;
  try {
    return await work();
  } catch (problem) {
    if (problem.status !== 401) {
      $(errorId).textContent = explain(problem);
      $(errorId).hidden = false;
    }
    return null;
  }
}

function errorLine(id) {
  const line = element("p", "error");
  line.id = id;
  line.setAttribute("role", "alert");
  line.hidden = true;
  return line;
}

// ---- Two-factor login.

async function drawTwoFactor() {
  const box = $("tfa-box");
  box.replaceChildren(errorLine("tfa-error"));
  const state = await attempt("tfa-error", () => api.call("GET", "2fa"));
  if (!state) return;
  const status = element("p", "", state.enabled
    ? `Two-factor login is on. ${state.recovery_codes_left} unused recovery codes left.`
    : "Two-factor login is off: your password alone signs you in.");
  status.id = "tfa-status";
  box.prepend(status);
  if (state.enabled) box.append(offForm());
  else box.append(button("Turn on two-factor login", startEnrolment, "primary"));
}

async function startEnrolment() {
  const started = await attempt("tfa-error", () => api.call("PUT", "2fa"));
  if (!started) return;
  const box = $("tfa-box");
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
    errorLine("tfa-confirm-error"),
    element("button", "primary", "Confirm"),
  );
  form.addEventListener("submit", confirmEnrolment);
  box.replaceChildren(element("p", "", "Scan this code with an authenticator app, then enter the code it shows."), qr,
    typed, form);
  $("tfa-code").focus();
}

async function confirmEnrolment(event) {
  event.preventDefault();
  const answer = await attempt("tfa-confirm-error", () => api.call("POST", "2fa", { code: $("tfa-code").value }));
  if (answer) showRecoveryCodes(answer.recovery_codes);
}

function showRecoveryCodes(codes) {
  const text = codes.join("\n") + "\n";
  const list = element("ol", "recovery-codes");
  list.id = "recovery-codes";
  for (const code of codes) list.append(element("li", "", code));
  const copy = button("Copy", async () => {
    await navigator.clipboard.writeText(text);
    api.say("Recovery codes copied.");
  });
  const download = button("Download", () => {
    const link = element("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    link.download = "oppmini-recovery-codes.txt";
    link.click();
    URL.revokeObjectURL(link.href);
  });
  const done = button("I have stored them", drawTwoFactor, "primary");
  done.id = "recovery-done";
  const actions = element("div", "actions");
  actions.append(copy, download, done);
  $("tfa-box").replaceChildren(
    element("p", "", "Two-factor login is on. These recovery codes are shown only now: each signs you in once " +
      "without the app. Keep them somewhere safe, away from the device with the app."),
    list, actions);
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
    const body = { password: $("tfa-off-password").value, code: $("tfa-off-code").value };
    if (await attempt("tfa-off-error", () => api.call("DELETE", "2fa", body))) {
      api.say("Two-factor login is off.");
      await drawTwoFactor();
    }
  });
  return form;
}

// ---- Sessions.

async function drawSessions() {
  const answer = await attempt("sessions-error", () => api.call("GET", "sessions"));
  if (!answer) return;
  const list = $("sessions-list");
  list.replaceChildren();
  for (const item of answer.sessions) {
    const row = element("li", item.current ? "session-row current" : "session-row");
    row.dataset.sessionId = item.id;
    const what = element("div");
    what.append(element("strong", "", item.agent || "Unknown client"),
      element("span", "muted", ` ${item.address || "unknown address"} · signed in ${stamp(item.created_at)} · ` +
        `last seen ${stamp(item.last_seen_at)}`));
    row.append(what);
    if (item.current) row.append(element("span", "badge", "This session"));
    else row.append(button("Sign out this session", () => revoke(item.id)));
    list.append(row);
  }
}

async function revoke(sessionId) {
  if (await attempt("sessions-error", () => api.call("DELETE", "sessions", { ids: [sessionId] }))) {
    api.say("That session is signed out.");
    await Promise.all([drawSessions(), drawActivity()]);
  }
}

// ---- Activity.

async function drawActivity(more = false) {
  const query = { limit: String(PAGE) };
  if (more && oldest) query.before = String(oldest);
  const answer = await attempt("activity-error", () => api.call("GET", "activity", undefined, { query }));
  if (!answer) return;
  const list = $("activity-list");
  if (!more) list.replaceChildren();
  for (const event of answer.events) {
    const row = element("li", FAILURES.has(event.event) ? "event failed" : "event");
    row.dataset.event = event.event;
    row.append(element("strong", "", EVENT_NAMES[event.event] || event.event),
      element("span", "muted", ` ${stamp(event.at)} · ${event.address || "unknown address"} · ${event.agent || ""}`));
    list.append(row);
  }
  if (answer.events.length) oldest = answer.events[answer.events.length - 1].id;
  $("activity-more").hidden = answer.events.length < PAGE;
}

// ---- The view.

function section(title, ...children) {
  const part = element("section", "panel account-part");
  part.append(element("h2", "", title), ...children);
  return part;
}

function list(id) {
  const node = element("ul", "plain-list");
  node.id = id;
  return node;
}

function build(view, onClose) {
  const tfa = element("div");
  tfa.id = "tfa-box";
  const more = button("Older events", () => drawActivity(true));
  more.id = "activity-more";
  const back = button("Back", onClose);
  back.id = "account-back";
  const heading = element("div", "toolbar");
  heading.append(element("h1", "", "Account"), back);
  view.replaceChildren(
    heading,
    section("Two-factor login", tfa),
    section("Where you are signed in", errorLine("sessions-error"), list("sessions-list")),
    section("Activity", errorLine("activity-error"), list("activity-list"), more),
  );
}

// `call(method, path, body, options)` is the page's API call (it ends the session on a 401).
export function setupAccount({ call, say, onClose }) {
  api = { call: (method, path, body, options = {}) => call(method, path, body, { ...options, phrase: false }), say };
  build($("account-view"), onClose);
}

export async function showAccount() {
  oldest = null;
  await Promise.all([drawTwoFactor(), drawSessions(), drawActivity()]);
}
