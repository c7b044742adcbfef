// The names of the messages between the popup, the options page, the background and the content scripts.

export const MESSAGE = Object.freeze({
  // popup -> background
  state: "state",
  signIn: "sign-in",
  unlock: "unlock",
  lock: "lock",
  signOut: "sign-out",
  matches: "matches",
  search: "search",
  fill: "fill",
  secret: "secret",
  generate: "generate",
  add: "add",
  offer: "offer",
  accept: "accept",
  // background -> content script
  fillRequest: "fill-request",
  generated: "generated",
  // content script -> background
  fillAsk: "fill-ask",
  submitted: "submitted",
});
