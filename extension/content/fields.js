// Finding the login fields of a frame: the visible password field, the username or e-mail field before
// it (autocomplete hints first), and a one-time-code field.
"use strict";

var oppmini = globalThis.oppmini || (globalThis.oppmini = {});

const TEXTLIKE = ["text", "email", "tel", ""];
const OTP_NAME = /(^|[^a-z])(otp|totp|mfa|2fa|one.?time|code|token|pin)([^a-z]|$)/i;

// The fields' own words about themselves: name, id, autocomplete, placeholder, aria-label.
function hints(input) {
  return [input.name, input.id, input.getAttribute("autocomplete"), input.placeholder, input.getAttribute("aria-label")]
    .filter(Boolean)
    .join(" ");
}

function inputs() {
  return Array.from(document.querySelectorAll("input")).filter((input) => oppmini.isVisible(input));
}

oppmini.isOtpField = function isOtpField(input) {
  const autocomplete = (input.getAttribute("autocomplete") || "").toLowerCase();
  if (autocomplete.includes("one-time-code")) return true;
  return input.type !== "password" && TEXTLIKE.includes(input.type) && OTP_NAME.test(hints(input));
};

// {username, password, otp}: elements or null, visible ones only.
oppmini.findLoginFields = function findLoginFields() {
  const visible = inputs();
  const password = visible.find((input) => input.type === "password" && !oppmini.isOtpField(input)) || null;
  const otp = visible.find((input) => oppmini.isOtpField(input)) || null;
  const candidates = visible.filter(
    (input) => TEXTLIKE.includes(input.type) && input !== otp && !input.readOnly,
  );
  const hinted = candidates.find((input) =>
    /\b(username|email)\b/.test((input.getAttribute("autocomplete") || "").toLowerCase()),
  );
  let username = hinted || null;
  if (!username && password) {
    // The last text-like field before the password field, in the document's order.
    const before = candidates.filter(
      (input) => input.compareDocumentPosition(password) & Node.DOCUMENT_POSITION_FOLLOWING,
    );
    username = before[before.length - 1] || null;
  }
  if (!username && !password && !otp) {
    // The first step of a two-step login: a lone username or e-mail field, named as one.
    username = candidates.find((input) => /user|login|email|e-mail|account/i.test(hints(input))) || null;
  }
  return { username, password, otp };
};
