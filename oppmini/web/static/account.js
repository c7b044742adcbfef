// The Account view: two-factor login on and off (twofactor.js), security keys (securitykeys.js), the sessions of
// this account (sign one out), its activity log, page by page, and what its files take. Built with
// textContent only, like the vault list: nothing the server stores becomes markup.

import { attempt, button, element, errorLine, stamp } from "./accountparts.js";
import { drawKeys } from "./securitykeys.js";
import { describeEvent, sentence } from "./activitywords.js";
import { describeAgent } from "./agents.js";
import { sizeInWords } from "./fileparts.js";
import { drawTwoFactor } from "./twofactor.js";

const PAGE = 20;
const FAILURES = new Set(["login_failed_password", "login_code_missing", "login_code_failed", "passphrase_failed", "lockout"]);

let api = null; // {call, say, signOutEverywhere, collectionName(id), username()}
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
    const agent = element("strong", "", describeAgent(item.agent));
    if (item.agent) agent.title = item.agent;
    what.append(agent,
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
    $("sessions-title").focus();
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
    const words = describeEvent(event.event, event.detail || {}, { me: api.username(), collection: api.collectionName });
    const where = element("span", "muted", ` ${stamp(event.at)}` + (event.address ? ` · ${event.address}` : "") +
      (event.agent ? ` · ${describeAgent(event.agent)}` : ""));
    if (event.agent) where.title = event.agent;
    row.append(element("strong", "", sentence(words)), where);
    list.append(row);
  }
  if (answer.events.length) oldest = answer.events[answer.events.length - 1].id;
  $("activity-more").hidden = answer.events.length < PAGE;
}

// ---- The view.

function section(title, id, ...children) {
  const part = element("section", "panel account-part");
  const heading = element("h2", "", title);
  heading.id = id;
  heading.tabIndex = -1; // where the focus goes when what it was on is redrawn
  part.append(heading, ...children);
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
  const keys = element("div");
  keys.id = "keys-box";
  const more = button("Older events", () => drawActivity(true));
  more.id = "activity-more";
  const everywhere = button("Sign out everywhere", () => api.signOutEverywhere());
  everywhere.id = "sign-out-everywhere";
  everywhere.setAttribute("aria-describedby", "everywhere-text");
  const explained = element("p", "muted", "Ends every session of this account on every device, this one " +
    "too: use it when a device was lost or a password may be known. “Sign out” at the top ends this session only.");
  explained.id = "everywhere-text";
  const back = button("Back", onClose);
  back.id = "account-back";
  const heading = element("div", "toolbar");
  const title = element("h1", "", "Account");
  title.id = "account-title";
  title.tabIndex = -1;
  heading.append(title, back);
  view.replaceChildren(
    heading,
    section("Two-factor login", "tfa-title", tfa),
    section("Security keys and passkeys", "keys-title", keys),
    section("Where you are signed in", "sessions-title", errorLine("sessions-error"), list("sessions-list"), explained, everywhere),
    section("Activity", "activity-title", errorLine("activity-error"), list("activity-list"), more),
    section("Files", "quota-title", filesLine()),
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
export function setupAccount({ call, say, onClose, signOutEverywhere, collectionName, username }) {
  const tokenOnly = (method, path, body, options = {}) => call(method, path, body, { ...options, phrase: false });
  api = { call: tokenOnly, say, signOutEverywhere, collectionName, username };
  build($("account-view"), onClose);
}

export async function showAccount() {
  oldest = null;
  await Promise.all([drawTwoFactor(api), drawKeys(api), drawSessions(), drawActivity(), drawFilesUsed()]);
}
