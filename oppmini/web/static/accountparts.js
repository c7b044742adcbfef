// The pieces the Account view's parts are built of (account.js, twofactor.js): elements made with
// textContent only, form fields with their labels, and calls whose failure is told under a form.

import { explain, isCodeRefusal } from "./api.js";

const $ = (id) => document.getElementById(id);

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function button(label, onClick, className = "") {
  const node = element("button", className, label);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

export function field(id, label, attributes = {}) {
  const wrap = element("div", "account-field");
  const name = element("label", "", label);
  name.htmlFor = id;
  const input = element("input");
  input.id = id;
  Object.assign(input, attributes);
  wrap.append(name, input);
  return wrap;
}

export function stamp(seconds) {
  return new Date(seconds * 1000).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

export function errorLine(id) {
  const line = element("p", "error");
  line.id = id;
  line.setAttribute("role", "alert");
  line.hidden = true;
  return line;
}

// Run a call, showing its failure in `errorId`; the answer, or null. An ended session (401) is
// the page's to tell, but a missing or wrong two-factor code is this form's.
export async function attempt(errorId, work) {
  $(errorId).hidden = true;
  try {
    return await work();
  } catch (problem) {
    if (problem.status !== 401 || isCodeRefusal(problem)) {
      $(errorId).textContent = explain(problem);
      $(errorId).hidden = false;
    }
    return null;
  }
}

// The recovery codes, shown once, with Copy, Download and `doneLabel` (which calls onDone): [list, actions].
export function recoveryCodes(codes, say, onDone) {
  const text = codes.join("\n") + "\n";
  const list = element("ol", "recovery-codes");
  list.id = "recovery-codes";
  for (const code of codes) list.append(element("li", "", code));
  const copy = button("Copy", async () => {
    await navigator.clipboard.writeText(text);
    say("Recovery codes copied.");
  });
  const download = button("Download", () => {
    const link = element("a");
    link.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    link.download = "oppmini-recovery-codes.txt";
    link.click();
    URL.revokeObjectURL(link.href);
  });
  const done = button("I have stored them", onDone, "primary");
  done.id = "recovery-done";
  const actions = element("div", "actions");
  actions.append(copy, download, done);
  return [list, actions];
}
