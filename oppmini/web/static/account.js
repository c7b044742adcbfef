// The Account view: two-factor login on and off (twofactor.js), the sessions of
// this account (sign one out), its activity log, page by page, and what its files take. Built with
// textContent only, like the vault list: nothing the server stores becomes markup.

import { attempt, button, element, errorLine, stamp } from "./accountparts.js";
import { sizeInWords } from "./files.js";
import { drawTwoFactor } from "./twofactor.js";

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
    section("Files", filesLine()),
  );
}

// ---- What the account's files take of its quota (GET /v1/attachments).

function filesLine() {
  const line = element("p", "", "");
  line.id = "files-used";
  return line;
}

async function drawFilesUsed() {
  try {
    const answer = await api.call("GET", "attachments");
    $("files-used").textContent =
      `Your attached files take ${sizeInWords(answer.used)} of your ${sizeInWords(answer.quota)}; ` +
      `one file may hold up to ${sizeInWords(answer.max_file)}.`;
  } catch {
    $("files-used").textContent = "";
  }
}

// `call(method, path, body, options)` is the page's API call (it ends the session on a 401).
export function setupAccount({ call, say, onClose }) {
  api = { call: (method, path, body, options = {}) => call(method, path, body, { ...options, phrase: false }), say };
  build($("account-view"), onClose);
}

export async function showAccount() {
  oldest = null;
  await Promise.all([drawTwoFactor(api), drawSessions(), drawActivity(), drawFilesUsed()]);
}
