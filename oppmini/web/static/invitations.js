// The person's pending invitations (GET /v1/invitations), shown at the top of the Shared view with
// Accept and Decline. An invitation names who sent it and the collection's number, not its name:
// the inviter chose the name, and could have chosen it to mislead; it shows once accepted. Nothing
// of a collection reaches the person before they accept. Built with textContent only.

import { button, element } from "./cardparts.js";
import { when } from "./session.js";

const ROLES = { read: "Read", write: "Write", manage: "Manage" };
const $ = (id) => document.getElementById(id);

let app = null; // {call, say, attempt, onAccepted}: set by setupInvitations
let pending = []; // as GET /v1/invitations last answered

function describe(invitation) {
  const from = invitation.invited_by || "A user who has since left";
  const role = ROLES[invitation.role] || invitation.role;
  return `${from} invites you to collection ${invitation.collection} with the ${role} role`;
}

function invitationRow(invitation) {
  const row = element("li", "member-row invitation");
  row.dataset.invitationId = invitation.id;
  const what = element("span", "member-name", describe(invitation));
  what.append(element("span", "muted", ` · ${when(invitation.at * 1000)}`));
  const tools = element("div", "group-actions");
  const from = invitation.invited_by || "a former user";
  tools.append(
    button("Accept", "small accept", `Accept the invitation from ${from} to collection ${invitation.collection}`,
      () => answer(invitation, "accept")),
    button("Decline", "small danger", `Decline the invitation from ${from} to collection ${invitation.collection}`,
      () => answer(invitation, "decline")),
  );
  row.append(what, tools);
  return row;
}

function draw() {
  $("invitations").hidden = pending.length === 0;
  $("invitations-list").replaceChildren(...pending.map(invitationRow));
}

async function answer(invitation, choice) {
  const done = await app.attempt(async () => {
    pending = (await app.call("POST", "invitations", { [choice]: [invitation.id] })).invitations;
    draw();
    if (choice === "accept") await app.onAccepted();
    app.say(choice === "accept"
      ? `Accepted: collection ${invitation.collection} is now shared with you.`
      : `Declined the invitation to collection ${invitation.collection}.`);
  });
  // The keyboard stays in the list: the next invitation, else the accepted collection, else New collection.
  const next = $("invitations-list").querySelector("button");
  const joined = done && choice === "accept" &&
    document.querySelector(`#shared-list [data-collection-id="${invitation.collection}"] button`);
  (next || joined || $("shared-new")).focus();
}

export async function showInvitations() {
  pending = (await app.call("GET", "invitations")).invitations;
  draw();
}

// Lock, sign out, session end: who invited the person leaves the page with the vault.
export function wipeInvitations() {
  pending = [];
  if ($("invitations-list")) draw();
}

// The section the Shared view places above its collections.
export function setupInvitations(context) {
  app = context;
  const section = element("section", "collection invitations");
  section.id = "invitations";
  section.hidden = true;
  section.setAttribute("aria-labelledby", "invitations-title");
  const heading = element("h2", "", "Invitations");
  heading.id = "invitations-title";
  const hint = element("p", "muted",
    "Nothing of a collection reaches you before you accept. Its name shows once you do: the one who invites " +
    "you chooses it.");
  const list = element("ul", "plain-list");
  list.id = "invitations-list";
  list.setAttribute("aria-label", "Your invitations");
  section.append(heading, hint, list);
  return section;
}
