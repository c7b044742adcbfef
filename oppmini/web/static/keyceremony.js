// Security keys and passkeys in the browser (WebAuthn): the server's options made into what
// navigator.credentials takes, the key's answer made into JSON, and every failure in words.
// The server checks the answers (the `webauthn` package); nothing here is trusted by it.

const bytes = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

function text(buffer) {
  if (!buffer) return null;
  const binary = String.fromCharCode(...new Uint8Array(buffer));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const withIds = (list) => (list || []).map((one) => ({ ...one, id: bytes(one.id) }));

export class KeyProblem extends Error {}

// What went wrong, in words: the browser's error names (a timeout and a cancel are both NotAllowedError).
function inWords(problem, creating) {
  switch (problem && problem.name) {
    case "NotAllowedError":
      return "The key was not used in time, or the browser did not allow it (cancelled, timed out, or no key " +
        "answered). Try again.";
    case "SecurityError":
      return "The browser refused this address for the key: the page is open at another address than the " +
        "server's public_url (relying party id mismatch). Open the page at the address the server names.";
    case "InvalidStateError":
      return creating ? "This key is already registered to your account." : "This key cannot be used here.";
    case "NotSupportedError":
      return "This key or browser does not support what the server asks for.";
    case "AbortError":
      return "The key request was stopped.";
    default:
      return "The browser could not use a security key: " + (problem && problem.message ? problem.message : problem);
  }
}

export function keysSupported() {
  return window.isSecureContext && typeof window.PublicKeyCredential === "function";
}

function unsupported() {
  return new KeyProblem("This browser cannot use security keys or passkeys here: it needs a secure page " +
    "(https, or localhost).");
}

function answerJSON(credential, response) {
  return {
    id: credential.id,
    rawId: text(credential.rawId),
    type: credential.type,
    response,
    authenticatorAttachment: credential.authenticatorAttachment || null,
    clientExtensionResults: credential.getClientExtensionResults(),
  };
}

// Touch a key for the request options of a 401 `Two-factor code required`: its answer, with the attempt.
export async function touchKey(options) {
  if (!keysSupported()) throw unsupported();
  const publicKey = { ...options, challenge: bytes(options.challenge), allowCredentials: withIds(options.allowCredentials) };
  delete publicKey.attempt;
  let credential;
  try {
    credential = await navigator.credentials.get({ publicKey });
  } catch (problem) {
    throw new KeyProblem(inWords(problem, false));
  }
  const { response } = credential;
  return {
    ...answerJSON(credential, {
      clientDataJSON: text(response.clientDataJSON),
      authenticatorData: text(response.authenticatorData),
      signature: text(response.signature),
      userHandle: text(response.userHandle),
    }),
    attempt: options.attempt,
  };
}

// Make a new credential for PUT webauthn's creation options: what POST webauthn takes as `credential`.
export async function createKey(options) {
  if (!keysSupported()) throw unsupported();
  const publicKey = {
    ...options,
    challenge: bytes(options.challenge),
    user: { ...options.user, id: bytes(options.user.id) },
    excludeCredentials: withIds(options.excludeCredentials),
  };
  let credential;
  try {
    credential = await navigator.credentials.create({ publicKey });
  } catch (problem) {
    throw new KeyProblem(inWords(problem, true));
  }
  const { response } = credential;
  return answerJSON(credential, {
    clientDataJSON: text(response.clientDataJSON),
    attestationObject: text(response.attestationObject),
    transports: response.getTransports ? response.getTransports() : [],
  });
}
