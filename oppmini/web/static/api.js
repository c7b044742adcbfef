// Talking to the server: relative api/v1 URLs (so a path prefix such as /opp/
// keeps working), the token and passphrase headers, and errors in plain words.

const BASE = "api/v1/";

export class ApiProblem extends Error {
  constructor(status, error, description, retryAfter, body) {
    super(error || `HTTP ${status}`);
    this.status = status;
    this.error = error || "";
    this.description = description || "";
    this.retryAfter = retryAfter;
    // The rest of the answer: a 401 `Two-factor code required` names the factors, with a key's options.
    this.body = body && typeof body === "object" ? body : {};
  }
}

// Browsers only send ISO-8859-1 in header values, and trim spaces around them.
// The server reads header bytes as UTF-8, so a non-ASCII passphrase travels as
// its UTF-8 bytes, one character per byte. Null when no browser can send it.
export function phraseHeader(phrase) {
  if (/^[\t ]|[\t ]$|[\0\r\n]/.test(phrase)) return null;
  return String.fromCharCode(...new TextEncoder().encode(phrase));
}

export const UNSENDABLE_PHRASE =
  "This passphrase starts or ends with a space or holds a line break, which a browser " +
  "cannot send in an HTTP header. Change it with `opp-db update-phrase`, or use another client.";

// The claims of a JWT, unverified: the page only needs `exp` and `iat`.
export function tokenClaims(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part + "=".repeat((4 - (part.length % 4)) % 4)));
  } catch {
    return null;
  }
}

// One call: method, path under api/v1/, and options {token, phrase, body, query, file, download, tag}.
// `file` (a File or Blob) is sent as the body, bytes as they are, instead of JSON; with `download`
// a successful answer comes back as {blob, name} (the attachment's file name), not parsed. With `tag`
// (an ETag, or null for none yet) the answer comes back as {answer, tag}: answer null when the server
// says 304, nothing changed since that tag.
export async function request(method, path, { token, phrase, body, query, file, download, tag } = {}) {
  const headers = {};
  if (tag) headers["If-None-Match"] = tag;
  if (token) headers["x-opp-jwt"] = token;
  if (phrase !== undefined) headers["x-opp-phrase"] = phraseHeader(phrase) ?? "";
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (file !== undefined) headers["Content-Type"] = file.type || "application/octet-stream";
  const url = BASE + path + (query ? "?" + new URLSearchParams(query) : "");
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: file ?? (body === undefined ? undefined : JSON.stringify(body)),
      cache: "no-store",
      credentials: "omit",
    });
  } catch {
    throw new ApiProblem(0, "Network error");
  }
  if (tag !== undefined && response.status === 304) return { answer: null, tag };
  if (download && response.ok) {
    const name = /filename="?([^";]+)/.exec(response.headers.get("Content-Disposition") || "");
    return { blob: await response.blob(), name: name ? name[1] : "oppmini-export" };
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    throw new ApiProblem(
      response.status,
      data && data.error,
      data && data.description,
      Number(response.headers.get("Retry-After")) || null,
      data,
    );
  }
  return tag === undefined ? data : { answer: data, tag: response.headers.get("ETag") };
}

// Seconds to wait before trying again after a 429, from Retry-After or the description.
export function waitSeconds(problem) {
  if (problem.retryAfter) return problem.retryAfter;
  const digits = /\d+/.exec(problem.description);
  return digits ? Number(digits[0]) : 60;
}

// The 401 descriptions of a missing and of a wrong two-factor code (extensions.md §4).
export const CODE_REQUIRED = "Two-factor code required";
export const CODE_INVALID = "Invalid two-factor code";

// A 401 that refused a missing or wrong two-factor code: the session goes on.
export function isCodeRefusal(problem) {
  return problem.status === 401 && (problem.description === CODE_REQUIRED || problem.description === CODE_INVALID);
}

// What to tell the person, in words, for any failed call.
export function explain(problem) {
  if (!(problem instanceof ApiProblem)) return "Something went wrong in the page: " + problem;
  switch (problem.status) {
    case 0:
      return "The server cannot be reached. Check the connection and try again.";
    case 429:
      return `Too many attempts. Wait ${waitSeconds(problem)} seconds, then try again.`;
    case 503:
      return "The server's database is unavailable. Try again shortly.";
  }
  if (problem.error === "Incorrect passphrase supplied!") return "Wrong passphrase. Check it and try again.";
  if (problem.error === "Incorrect password supplied!") return "Wrong password. Check it and try again.";
  if (problem.description === "Invalid credentials") return "Wrong username or password.";
  if (problem.description === CODE_REQUIRED) return problem.description;
  if (problem.description === CODE_INVALID) return "Wrong or already used two-factor code.";
  if (problem.description === "Signature has expired") return "Your session has expired. Please sign in again.";
  if (problem.status === 401) return "Your session has ended. Please sign in again.";
  return whatToDo(problem);
}

// The server's own words name the fault; the page says what to do about it.
function whatToDo({ status, error, description }) {
  const about = description.split(" ")[0];
  if (/^Unable to (add new items|update items)/.test(error) && about === "Category") {
    return "The category chosen no longer exists (deleted in another window?). Choose another category and save again.";
  }
  if (/^Unable to update (items|categories)/.test(error)) {
    const what = about === "Item" ? "item" : "category";
    return `This ${what} no longer exists (deleted in another window?). Lock and unlock to see the vault as it is now.`;
  }
  if (/^(Invalid|Empty|Missing) .*in list!$/.test(error)) {
    return `The server cannot store this: ${description || error} Correct it and save again.`;
  }
  if (error.startsWith("Invalid password generation") || error.startsWith("For sanity")) {
    return `Change the generator's settings: ${description || error}`;
  }
  if (error === "Unknown import format!") {
    return "The file is in none of the formats oppmini recognises. Choose its format under Format, or export it again from the program it came from.";
  }
  if (error === "Unable to read the import file!") {
    return `The file cannot be read (${description}). Export it again from the program it came from and check it here.`;
  }
  if (error === "Quota exceeded!") return `${description} Delete files you no longer need, or ask whoever runs the server for more room.`;
  if (error === "Payload Too Large" && description.startsWith("A file may hold")) return `${description} Make it smaller, or keep it elsewhere.`;
  if (status === 413 || error.startsWith("Too many rows")) return "That is more than the server takes at once. Make it smaller and try again.";
  const detail = description ? `: ${description}` : "";
  return `The server could not do this (${error}${detail}). Reload the page and try again; if it keeps failing, tell whoever runs the server.`;
}
