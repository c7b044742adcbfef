// Messages on the page: the notice strip under the header, a form's error next to its field,
// and the countdown after a 429.

import { explain, waitSeconds } from "./api.js";

const $ = (id) => document.getElementById(id);
const NOTICE_MS = 10000;
let noticeTimer = null;

// The notice stays in the page while empty (never `hidden`), so screen readers already follow
// the live region when its text is set.
export function say(text, isError = false) {
  const notice = $("notice");
  notice.textContent = text;
  notice.classList.toggle("notice-error", isError);
  clearTimeout(noticeTimer);
  if (text) noticeTimer = setTimeout(() => (notice.textContent = ""), NOTICE_MS);
}

// An error under a form; the fields it is about are marked invalid and described by it, so a
// screen reader on the field hears why. `fields` are ids.
export function showError(id, text, fields = []) {
  const box = $(id);
  box.textContent = text || "";
  box.hidden = !text;
  for (const field of fields) {
    const input = $(field);
    const others = (input.getAttribute("aria-describedby") || "").split(" ").filter((one) => one && one !== id);
    if (text) {
      input.setAttribute("aria-invalid", "true");
      others.push(id);
    } else {
      input.removeAttribute("aria-invalid");
    }
    if (others.length) input.setAttribute("aria-describedby", others.join(" "));
    else input.removeAttribute("aria-describedby");
  }
}

// After a 429 the button stays off for the wait the server asked for, and the message counts it down.
function holdOff(button, seconds, errorId, fields) {
  button.disabled = true;
  let left = seconds;
  const timer = setInterval(() => {
    left -= 1;
    if (left > 0) {
      showError(errorId, `Too many attempts. Wait ${left} second${left === 1 ? "" : "s"}, then try again.`, fields);
      return;
    }
    clearInterval(timer);
    button.disabled = false;
    showError(errorId, "", fields);
  }, 1000);
}

// Run a form's work with its button off; a failure is explained under the form. The problem, or null.
export async function submitting(form, errorId, work, fields = []) {
  const submit = form.querySelector("button[type=submit]");
  showError(errorId, "", fields);
  submit.disabled = true;
  let held = false;
  try {
    await work();
  } catch (problem) {
    showError(errorId, explain(problem), fields);
    if (problem.status === 429) {
      holdOff(submit, waitSeconds(problem), errorId, fields);
      held = true;
    }
    return problem;
  } finally {
    if (!held) submit.disabled = false;
  }
  return null;
}
