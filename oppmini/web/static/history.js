// An item's earlier passwords (GET /v1/items/{id}/history), newest first, in a dialog:
// masked, each with Show and Copy. Closing the dialog takes them out of the page.

import { explain } from "./api.js";
import { secretRow } from "./cardparts.js";
import { itemTitle } from "./card.js";

let app = null; // {call, say}: set by setupHistory
let opener = null; // the button that opened the dialog, where the keyboard goes back to

const $ = (id) => document.getElementById(id);

function stamp(seconds) {
  return new Date(seconds * 1000).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

export async function showHistory(item) {
  const title = itemTitle(item);
  opener = document.activeElement;
  $("history-title").textContent = `Earlier passwords of ${title}`;
  $("history-status").textContent = "Loading…";
  $("history-error").hidden = true;
  $("history-list").replaceChildren();
  $("history-dialog").showModal();
  let answer = null;
  try {
    answer = await app.call("GET", `items/${item.id}/history`);
  } catch (problem) {
    $("history-status").textContent = "";
    if (problem.status !== 401) {
      $("history-error").textContent = explain(problem);
      $("history-error").hidden = false;
    }
    return;
  }
  if (!$("history-dialog").open) return;
  const count = answer.history.length;
  $("history-status").textContent = count
    ? `${count} earlier password${count === 1 ? "" : "s"}, newest first.`
    : "No earlier passwords: they are kept from the first change on.";
  for (const old of answer.history) {
    const when = stamp(old.replaced_at);
    const [term, detail] = secretRow("Password", old.password, `${title}, replaced ${when}`, app.say);
    term.textContent = `Replaced ${when}`;
    $("history-list").append(term, detail);
  }
}

export function setupHistory(context) {
  app = context;
  $("history-dialog").addEventListener("close", () => {
    $("history-list").replaceChildren();
    if (opener && opener.isConnected) opener.focus();
    opener = null;
  });
}
