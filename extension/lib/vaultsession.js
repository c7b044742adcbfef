// The signed-in session: sign in, unlock, lock, sign out, and every vault call, which first locks a vault
// left idle too long and forgets a session the server has ended.

import { ApiProblem, request, serverBase, sessionEnded } from "./api.js";
import { idleTooLong } from "./rules.js";
import { forgetSession, readSession, readSettings, writeSession } from "./storage.js";

export const HOUR = 3600;

async function server() {
  const { server: typed } = await readSettings();
  if (!typed) throw new ApiProblem(0, "No server", "Set your server's address in the options first.");
  return serverBase(typed);
}

// Locks when idle too long; then what the popup shows: "no server", "signed out", "locked" or "unlocked".
export async function state() {
  const settings = await readSettings();
  if (!settings.server) return { state: "no server" };
  const session = await readSession();
  if (!session.token) return { state: "signed out", server: settings.server };
  if (session.phrase && idleTooLong(session.lastUsed, Date.now(), settings.lockMinutes)) await lock();
  const now = await readSession();
  return { state: now.phrase ? "unlocked" : "locked", server: settings.server, username: now.username };
}

export async function signIn({ username, password, otp, hours }) {
  const body = { username, password, exp_delta: Math.round(Number(hours || 8) * HOUR) };
  if (otp) body.otp = otp;
  const answer = await request(await server(), "POST", "auth", { body });
  await forgetSession();
  await writeSession({ token: answer.access_token, username });
}

// The passphrase is checked by the cheapest call that needs it, then kept in session storage only.
export async function unlock(phrase) {
  const { token } = await readSession();
  try {
    await request(await server(), "GET", "categories", { token, phrase });
  } catch (problem) {
    if (sessionEnded(problem)) await forgetSession();
    throw problem;
  }
  await writeSession({ phrase, lastUsed: Date.now() });
}

export async function lock() {
  await forgetSession(["phrase", "lastUsed", "pending"]);
}

export async function signOut() {
  await forgetSession();
}

// Throws unless the vault is unlocked (and locks it when idle too long).
export async function requireUnlocked() {
  const current = await state();
  if (current.state !== "unlocked") throw new ApiProblem(0, "Locked", "Unlock the vault first.");
}

// A vault call with the token and passphrase. Refuses when locked (or idle too long: then locks).
export async function call(method, path, options = {}) {
  await requireUnlocked();
  const { token, phrase } = await readSession();
  try {
    const answer = await request(await server(), method, path, { ...options, token, phrase });
    await writeSession({ lastUsed: Date.now() });
    return answer;
  } catch (problem) {
    if (sessionEnded(problem)) await forgetSession();
    throw problem;
  }
}
