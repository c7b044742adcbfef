// Talking to the oppmini server: its v1 API under the URL set in the options, the token and passphrase
// headers, and failures as ApiProblem with the server's own words.

export class ApiProblem extends Error {
  constructor(status, error, description) {
    super(error || `HTTP ${status}`);
    this.status = status;
    this.error = error || "";
    this.description = description || "";
  }
}

export const CODE_REQUIRED = "Two-factor code required";
const CODE_INVALID = "Invalid two-factor code";

// The server's origin from what a person typed: https:// unless said otherwise, no path kept but a prefix.
export function serverBase(typed) {
  const text = String(typed || "").trim();
  const url = new URL(/^https?:\/\//i.test(text) ? text : "https://" + text);
  const path = url.pathname.endsWith("/") ? url.pathname : url.pathname + "/";
  return url.origin + path;
}

// Browsers send header values as ISO-8859-1: a non-ASCII passphrase travels as its UTF-8 bytes.
function phraseHeader(phrase) {
  return String.fromCharCode(...new TextEncoder().encode(phrase));
}

export async function request(server, method, path, { token, phrase, body, query } = {}) {
  const headers = {};
  if (token) headers["x-opp-jwt"] = token;
  if (phrase !== undefined) headers["x-opp-phrase"] = phraseHeader(phrase);
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const url = server + "api/v1/" + path + (query ? "?" + new URLSearchParams(query) : "");
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      credentials: "omit",
    });
  } catch {
    throw new ApiProblem(0, "Network error");
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) throw new ApiProblem(response.status, data && data.error, data && data.description);
  return data;
}

// Whether a failure means the session is over (sign in again), as opposed to a wrong value.
export function sessionEnded(problem) {
  return (
    problem instanceof ApiProblem &&
    problem.status === 401 &&
    problem.description !== CODE_REQUIRED &&
    problem.description !== CODE_INVALID &&
    problem.description !== "Invalid credentials"
  );
}

// What to tell the person, in words.
export function explain(problem) {
  if (!(problem instanceof ApiProblem)) return "Something went wrong: " + problem.message;
  if (problem.status === 0 && problem.description) return problem.description;
  if (problem.status === 0) return "The server cannot be reached. Check its address in the options and the connection.";
  if (problem.status === 429) return "Too many attempts. Wait a minute, then try again.";
  if (problem.description === "Invalid credentials") return "Wrong username or password.";
  if (problem.description === CODE_REQUIRED) return "Enter the code from your authenticator app.";
  if (problem.description === CODE_INVALID) return "Wrong or already used two-factor code.";
  if (problem.error === "Incorrect passphrase supplied!") return "Wrong passphrase.";
  if (problem.description === "Signature has expired") return "Your session has expired. Please sign in again.";
  if (problem.status === 401) return "Your session has ended. Please sign in again.";
  const detail = problem.description ? `: ${problem.description}` : "";
  return `The server could not do this (${problem.error}${detail}).`;
}
