// The Shared view: the person's invitations (invitations.js), then the collections they belong to
// (GET /v1/collections), each with its members and their roles. Anyone creates a collection or
// leaves one; a manager also renames and deletes it, invites members (who accept or not), changes
// roles, removes members and withdraws invitations. What the person's role does not allow is not
// offered. Built with textContent only, like the vault list.

import { button, element } from "./cardparts.js";
import { ask, guard, remember, saving } from "./editors.js";
import { setupInvitations, showInvitations, wipeInvitations } from "./invitations.js";
import { showError } from "./notice.js";
import { explainSharing } from "./sharewords.js";

const ROLES = { read: "Read", write: "Write", manage: "Manage" };

const $ = (id) => document.getElementById(id);
const plural = (count) => `${count} item${count === 1 ? "" : "s"}`;

let app = null; // {call, say, refresh, vault, username, onClose}: set by setupShared
let collections = []; // as GET /v1/collections last answered
let editing = null; // the open dialog's collection, or {collection, member} for the member dialog
let changed = false; // the vault's items or roles may differ from the page's: fetch it again on Back

// Run a change started from the list; its failure shows above the list. True when it went through.
async function attempt(work, username) {
  showError("shared-error", "");
  try {
    await work();
    return true;
  } catch (problem) {
    if (problem.status !== 401) showError("shared-error", explainSharing(problem, username));
    return false;
  }
}

const nameOf = (collection) => collection.name || "(no name)";

function memberRow(collection, member) {
  const me = member.username === app.username();
  const row = element("li", "member-row");
  row.dataset.username = member.username;
  const who = element("span", "member-name");
  who.append(element("strong", "", member.username));
  if (me) who.append(" (you)");
  if (member.pending) who.append(" (invited, not yet accepted)");
  row.append(who, element("span", "role", ROLES[member.role] || member.role));
  if (collection.role === "manage") {
    const tools = element("div", "group-actions");
    tools.append(button("Change role", "small change-role", `Change role of ${member.username}`,
      () => openMemberEditor(collection, member)));
    // One's own place is given up with Leave, above.
    if (member.pending) {
      tools.append(button("Withdraw", "small danger", `Withdraw the invitation to ${member.username}`,
        () => removeMember(collection, member)));
    } else if (!me) {
      tools.append(button("Remove", "small danger", `Remove ${member.username} from ${nameOf(collection)}`,
        () => removeMember(collection, member)));
    }
    row.append(tools);
  }
  return row;
}

function collectionElement(collection) {
  const name = nameOf(collection);
  const section = element("section", "collection");
  section.dataset.collectionId = collection.id;
  section.setAttribute("aria-labelledby", `collection-${collection.id}`);
  const head = element("div", "collection-head");
  const heading = element("h2", "", name);
  heading.id = `collection-${collection.id}`;
  const tools = element("div", "group-actions");
  if (collection.role === "manage") {
    tools.append(
      button("Rename", "small rename", `Rename collection ${name}`, () => openCollectionEditor(collection)),
      button("Invite a member", "small add-member", `Invite a member to ${name}`,
        () => openMemberEditor(collection, null)),
    );
  }
  tools.append(button("Leave", "small danger", `Leave ${name}`, () => leave(collection)));
  if (collection.role === "manage") {
    tools.append(button("Delete", "small danger", `Delete collection ${name}`, () => deleteCollection(collection)));
  }
  head.append(heading, tools);
  const count = app.vault().items.filter((item) => item.collection_id === collection.id).length;
  const summary = element("p", "muted", `Your role: ${ROLES[collection.role] || collection.role} · ${plural(count)}`);
  const members = element("ul", "plain-list");
  members.setAttribute("aria-label", `Members of ${name}`);
  members.append(...collection.members.map((member) => memberRow(collection, member)));
  section.append(head, summary, members);
  return section;
}

function draw() {
  const sorted = collections.slice().sort((a, b) => nameOf(a).localeCompare(nameOf(b)) || a.id - b.id);
  $("shared-list").replaceChildren(...sorted.map(collectionElement));
  $("shared-status").textContent = collections.length
    ? `${collections.length} collection${collections.length === 1 ? "" : "s"}`
    : "You belong to no collection yet. Start with New collection.";
}

async function load() {
  collections = (await app.call("GET", "collections")).collections;
  draw();
}

// After a dialog or a change: the keyboard goes to `selector` within the collection `id`, else New collection.
function focusIn(id, selector) {
  const section = document.querySelector(`#shared-list [data-collection-id="${id}"]`);
  const target = section && (section.querySelector(selector) || section.querySelector("button"));
  (target || $("shared-new")).focus();
}

function openCollectionEditor(collection) {
  editing = collection;
  $("collection-title").textContent = collection ? `Rename collection ${nameOf(collection)}` : "New collection";
  $("collection-name").value = collection ? collection.name : "";
  showError("collection-error", "", ["collection-name"]);
  remember($("collection-dialog"));
  $("collection-dialog").showModal();
  $("collection-name").focus();
}

// Another collection of the person's with `name`, compared trimmed and regardless of case; null.
function sameName(name, collection) {
  const key = (text) => (text || "").trim().toLocaleLowerCase();
  return collections.find((known) => known !== collection && key(known.name) === key(name)) || null;
}

// Two collections of one name are easily mixed up (members tell them apart by name only): asked
// before one is made or renamed so. False when the person would rather change the name typed.
async function anotherOfName(name, collection) {
  const same = sameName(name, collection);
  if (!same) return true;
  const question = `You already have a collection named ${nameOf(same)}: ` +
    `${collection ? `rename this one to ${name.trim()} too` : "create another"}?`;
  const choice = await ask(question, "Two collections of one name are easily mixed up, by you and by their members.",
    [{ label: collection ? "Rename anyway" : "Create another", value: "go" }]);
  return choice === "go";
}

async function saveCollection(event) {
  event.preventDefault();
  const name = $("collection-name").value;
  const collection = editing;
  if (!(await anotherOfName(name, collection))) return $("collection-name").focus();
  await saving($("collection-dialog"), "collection-error", ["collection-name"], async () => {
    if (collection) await app.call("POST", "collections", { collections: [{ id: collection.id, name }] });
    else await app.call("PUT", "collections", { names: [name] });
    const before = new Set(collections.map((known) => known.id));
    await load();
    changed = true;
    app.say(`Saved collection ${name}.`);
    // A new collection's next step is its first member.
    if (collection) return [collection.id, ".rename"];
    return [collections.find((known) => !before.has(known.id))?.id, ".add-member"];
  }, { words: explainSharing, after: (place) => focusIn(...place) });
}

function openMemberEditor(collection, member) {
  editing = { collection, member };
  const name = nameOf(collection);
  $("member-title").textContent = member ? `Change the role of ${member.username} in ${name}`
    : `Invite a member to ${name}`;
  $("member-name").value = member ? member.username : "";
  $("member-name-field").hidden = Boolean(member);
  $(`member-role-${member ? member.role : "read"}`).checked = true;
  showError("member-error", "", ["member-name"]);
  remember($("member-dialog"));
  $("member-dialog").showModal();
  (member ? $(`member-role-${member.role}`) : $("member-name")).focus();
}

async function saveMember(event) {
  event.preventDefault();
  const { collection, member } = editing;
  const username = $("member-name").value.trim();
  const role = document.querySelector("#member-form input[name=member-role]:checked").value;
  await saving($("member-dialog"), "member-error", ["member-name"], async () => {
    await app.call("PUT", `collections/${collection.id}/members`, { members: [{ username, role }] });
    await load();
    changed = true;
    const name = nameOf(collection);
    app.say(member ? `${username} now has the ${ROLES[role]} role in ${name}.`
      : `Invited ${username} to ${name} (${ROLES[role]}): a member once they accept.`);
    return collection.id;
  }, {
    words: (problem) => explainSharing(problem, username),
    after: (id) => focusIn(id, `[data-username="${CSS.escape(username)}"] .change-role`),
  });
}

async function removeMember(collection, member) {
  const { username, pending } = member;
  const name = nameOf(collection);
  const choice = pending
    ? await ask(`Withdraw the invitation to ${username}?`, `${username} can no longer accept it and join ${name}.`,
      [{ label: "Withdraw", value: "remove", danger: true }])
    : await ask(`Remove ${username} from ${name}?`,
      `${username} no longer sees its items. The collection gets a new key, so nothing written from now on ` +
      "opens with the one they had.", [{ label: "Remove", value: "remove", danger: true }]);
  if (!choice) return focusIn(collection.id, `[data-username="${CSS.escape(username)}"] button`);
  await attempt(async () => {
    await app.call("DELETE", `collections/${collection.id}/members`, { usernames: [username] });
    await load();
    app.say(pending ? `Withdrew the invitation to ${username}.` : `Removed ${username} from ${name}.`);
  }, username);
  focusIn(collection.id, ".add-member");
}

async function leave(collection) {
  const name = nameOf(collection);
  const choice = await ask(`Leave ${name}?`, "Its items leave your vault. A member with the Manage role can add you again.",
    [{ label: "Leave", value: "leave", danger: true }]);
  if (!choice) return focusIn(collection.id, ".danger");
  const left = await attempt(async () => {
    await app.call("DELETE", `collections/${collection.id}/members`, { usernames: [app.username()] });
    changed = true;
    await load();
    app.say(`You left ${name}.`);
  });
  if (left) $("shared-new").focus();
}

function trashWords(count) {
  const them = count === 1 ? "it" : "them";
  return `Its ${count === 1 ? "item moves" : `${count} items move`} into your trash, where you can restore ${them}; ` +
    `no other member sees ${them} again. `;
}

async function deleteCollection(collection) {
  const name = nameOf(collection);
  const count = app.vault().items.filter((item) => item.collection_id === collection.id).length;
  const choice = await ask(`Delete collection ${name}?`,
    (count ? trashWords(count) : "It holds no items. ") + "Every member is told.",
    [{ label: "Delete collection", value: "delete", danger: true }]);
  if (!choice) return focusIn(collection.id, ".danger:last-child");
  const deleted = await attempt(async () => {
    const { trashed } = await app.call("DELETE", "collections", { ids: [collection.id] });
    changed = true;
    await load();
    app.say(trashed ? `Deleted collection ${name}; ${plural(trashed)} moved into your trash.`
      : `Deleted collection ${name}.`);
  });
  if (deleted) $("shared-new").focus();
}

export async function showShared() {
  showError("shared-error", "");
  $("shared-status").textContent = "Loading…";
  $("shared-list").replaceChildren();
  if (!(await attempt(async () => { await showInvitations(); await load(); }))) return;
  const first = $("shared-view").querySelector("#invitations-list button, #shared-list button");
  (first || $("shared-new")).focus();
}

// Back: the vault again, fetched anew when items or roles may have changed here or elsewhere.
// A failed fetch keeps the view (its error shown), or has already left it when the session ended.
async function back() {
  const held = JSON.stringify(app.vault().collections.map(({ id, name, role }) => ({ id, name, role })));
  const seen = JSON.stringify(collections.map(({ id, name, role }) => ({ id, name, role })));
  if (changed || held !== seen) {
    if (!(await attempt(app.refresh))) return;
    changed = false;
  }
  app.onClose();
}

// Lock, sign out, session end: the members and names leave the page with the vault.
export function wipeShared() {
  collections = [];
  changed = false;
  $("shared-list").replaceChildren();
  wipeInvitations();
}

export function setupShared(context) {
  app = context;
  const heading = element("div", "toolbar");
  const create = button("New collection", "primary", "", () => openCollectionEditor(null));
  create.id = "shared-new";
  const leaveView = button("Back", "", "", back);
  leaveView.id = "shared-back";
  heading.append(element("h1", "", "Shared"), create, leaveView);
  const hint = element("p", "hint",
    "A collection shares its items with the users you invite, once they accept. Each member's copy of its key " +
    "is sealed to that member, so the database and backups alone open nothing; the running server sees the " +
    "items while it serves a member, as it does for personal items.");
  const status = element("p", "muted");
  status.id = "shared-status";
  status.setAttribute("aria-live", "polite");
  const error = element("p", "error");
  error.id = "shared-error";
  error.setAttribute("role", "alert");
  error.hidden = true;
  const list = element("div", "collections");
  list.id = "shared-list";
  const invitations = setupInvitations({
    call: app.call, say: app.say, attempt,
    onAccepted: async () => { changed = true; await load(); },
  });
  $("shared-view").replaceChildren(heading, hint, status, error, invitations, list);
  $("collection-form").addEventListener("submit", saveCollection);
  $("member-form").addEventListener("submit", saveMember);
  guard($("collection-dialog"));
  guard($("member-dialog"));
}
