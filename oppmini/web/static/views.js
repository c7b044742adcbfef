// The screens of the page: one shown at a time, named in the tab's title, and the header's
// session controls fitted to it. A view module registers its section and title here.

import { session, when } from "./session.js";

const $ = (id) => document.getElementById(id);
const titles = new Map([
  ["signin-view", "Sign in"],
  ["unlock-view", "Unlock"],
  ["vault-view", "Your vault"],
]);

export function registerView(id, title) {
  titles.set(id, title);
}

export function show(view) {
  for (const id of titles.keys()) $(id).hidden = id !== view;
  document.title = `${titles.get(view)} · oppmini vault`;
  $("session").hidden = view === "signin-view";
  $("lock").hidden = view !== "vault-view";
  $("skip").hidden = view !== "vault-view";
  $("account").hidden = view === "account-view";
  $("session-user").textContent = session.username;
  $("session-ends").textContent = session.deadline ? `until ${when(session.deadline)}` : "";
}

export function shown(view) {
  return !$(view).hidden;
}
