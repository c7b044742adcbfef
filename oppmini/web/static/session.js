// The session: the token in sessionStorage, when it ends, who is signed in, and the passphrase,
// which is held here in memory and nowhere else (not in storage, not in the page).

import { explain, isCodeRefusal, request, tokenClaims } from "./api.js";

const STORED = { token: "opp.token", deadline: "opp.deadline", username: "opp.username" };
const PHRASE_WRONG = "Incorrect passphrase supplied!";

export const session = { token: null, deadline: 0, username: "", phrase: null, lifetime: 0, warned: false };

// What a failed vault call does to the page ({ended(message), phraseWrong()}): set by onCallFailure.
let failure = { ended: () => {}, phraseWrong: () => {} };

export function when(milliseconds) {
  const end = new Date(milliseconds);
  const time = end.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  if (end.toDateString() === new Date().toDateString()) return time;
  return `${end.toLocaleDateString([], { month: "short", day: "numeric" })}, ${time}`;
}

function lifetimeOf(token) {
  const claims = tokenClaims(token);
  return claims && claims.exp > claims.iat ? claims.exp - claims.iat : 300;
}

// A new token; the lifetime granted, in seconds.
export function startSession(token, username = session.username) {
  const lifetime = lifetimeOf(token);
  // Counted on this machine's clock from now, so a skewed clock cannot stretch it.
  Object.assign(session, { token, username, lifetime, warned: false, deadline: Date.now() + lifetime * 1000 });
  sessionStorage.setItem(STORED.token, token);
  sessionStorage.setItem(STORED.deadline, String(session.deadline));
  sessionStorage.setItem(STORED.username, username);
  return lifetime;
}

// The token a reload left in sessionStorage, if it has not ended: true when there was one.
export function restoreSession() {
  const token = sessionStorage.getItem(STORED.token);
  const deadline = Number(sessionStorage.getItem(STORED.deadline));
  if (!token || deadline <= Date.now()) return false;
  const username = sessionStorage.getItem(STORED.username) || "";
  Object.assign(session, { token, deadline, username, lifetime: lifetimeOf(token), warned: false });
  return true;
}

export function forgetToken() {
  Object.assign(session, { token: null, deadline: 0 });
  for (const key of Object.values(STORED)) sessionStorage.removeItem(key);
}

export function onCallFailure(handlers) {
  failure = handlers;
}

// A vault call with the session's headers; an ended session or a changed passphrase leaves the vault.
// A 401 for a token the page already forgot (a call still under way at sign-out) ends nothing more.
export async function call(method, path, body, { query, phrase = true, file, download, tag } = {}) {
  const token = session.token;
  try {
    return await request(method, path, {
      token,
      phrase: phrase ? session.phrase : undefined,
      body,
      query,
      file,
      download,
      tag,
    });
  } catch (problem) {
    if (problem.status === 401 && !isCodeRefusal(problem)) {
      if (token === session.token) failure.ended(explain(problem));
    } else if (problem.error === PHRASE_WRONG) failure.phraseWrong();
    throw problem;
  }
}

export function isPhraseWrong(problem) {
  return problem.error === PHRASE_WRONG;
}
