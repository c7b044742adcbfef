// An item's files (attachments) in a dialog: each with Download and Delete (asked first), and
// Add a file or drop files on the dialog, with a progress bar. What the files take of the quota
// is said under the list.

import { ApiProblem, explain, phraseHeader } from "./api.js";
import { button, element } from "./cardparts.js";
import { ask } from "./editors.js";
import { itemTitle } from "./card.js";
import { session } from "./session.js";

let app = null; // {call, say, itemSaved}: set by setupFiles
let shown = null; // the item whose files the dialog shows
let writes = true; // whether the caller may add and delete them (not a shared item they only read)
let opener = null; // the button that opened the dialog, where the keyboard goes back to

const $ = (id) => document.getElementById(id);

export function sizeInWords(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function filesLabel(item) {
  const count = (item.attachments || []).length;
  return count ? `Files (${count})` : "Files";
}

export function showFiles(item, mayWrite = true) {
  shown = item;
  writes = mayWrite;
  $("files-add").hidden = !writes;
  opener = document.activeElement;
  $("files-title").textContent = `Files of ${itemTitle(item)}`;
  showProblem("");
  $("files-progress").hidden = true;
  drawList();
  $("files-dialog").showModal();
  (writes ? $("files-add") : $("files-dialog").querySelector("button[type=submit]")).focus();
  showQuota();
}

function drawList() {
  const files = shown.attachments || [];
  $("files-status").textContent = files.length
    ? `${files.length} file${files.length === 1 ? "" : "s"}.`
    : "No files yet. Add one, or drop files here.";
  $("files-list").replaceChildren(...files.map(fileRow));
}

function fileRow(file) {
  const row = element("li", "");
  row.append(element("span", "file-name", file.name), element("span", "muted", sizeInWords(file.size)));
  row.append(button("Download", "small", `Download ${file.name}`, () => downloadFile(file)));
  if (writes) row.append(button("Delete", "small danger", `Delete ${file.name}`, () => deleteFile(file)));
  return row;
}

function showProblem(text) {
  $("files-error").textContent = text;
  $("files-error").hidden = !text;
}

async function showQuota() {
  try {
    const answer = await app.call("GET", "attachments", undefined, { phrase: false });
    $("files-quota").textContent = `Your files take ${sizeInWords(answer.used)} of ${sizeInWords(answer.quota)}.`;
  } catch {
    $("files-quota").textContent = "";
  }
}

function changed(attachments) {
  shown = { ...shown, attachments };
  app.itemSaved(shown);
  if ($("files-dialog").open) {
    drawList();
    showQuota();
  }
}

async function downloadFile(file) {
  showProblem("");
  try {
    const answer = await app.call("GET", `items/${shown.id}/attachments/${file.id}`, undefined, { download: true });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(answer.blob);
    link.download = file.name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  } catch (problem) {
    if (problem.status !== 401) showProblem(explain(problem));
  }
}

async function deleteFile(file) {
  const choice = await ask(`Delete ${file.name}?`, "The file is deleted for good; it does not go to the trash.", [
    { label: "Delete file", value: "delete", danger: true },
  ]);
  if (!choice) return;
  try {
    await app.call("DELETE", `items/${shown.id}/attachments/${file.id}`, undefined, { phrase: false });
    changed(shown.attachments.filter((kept) => kept.id !== file.id));
    app.say(`Deleted ${file.name}.`);
  } catch (problem) {
    if (problem.status !== 401) showProblem(explain(problem));
  }
  $("files-add").focus();
}

// XMLHttpRequest, not fetch: only it reports the upload's progress.
function send(item, file) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `api/v1/items/${item.id}/attachments?${new URLSearchParams({ name: file.name })}`);
    xhr.setRequestHeader("x-opp-jwt", session.token);
    xhr.setRequestHeader("x-opp-phrase", phraseHeader(session.phrase) ?? "");
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) $("files-progress").value = Math.round((100 * event.loaded) / event.total);
    });
    xhr.addEventListener("load", () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status === 200 && data) resolve(data);
      else reject(new ApiProblem(xhr.status, data && data.error, data && data.description));
    });
    xhr.addEventListener("error", () => reject(new ApiProblem(0, "Network error")));
    xhr.send(file);
  });
}

async function upload(files) {
  showProblem("");
  for (const file of files) {
    const item = shown;
    $("files-progress").value = 0;
    $("files-progress").hidden = false;
    $("files-progress-label").textContent = `Uploading ${file.name}`;
    try {
      const answer = await send(item, file);
      const { created_at: _, ...listed } = answer.attachment;
      changed([...(item.attachments || []), listed]);
      app.say(`Added ${listed.name}.`);
    } catch (problem) {
      showProblem(explain(problem));
      break;
    } finally {
      $("files-progress").hidden = true;
      $("files-progress-label").textContent = "";
    }
  }
  $("files-input").value = "";
}

export function setupFiles(context) {
  app = context;
  $("files-add").addEventListener("click", () => $("files-input").click());
  $("files-input").addEventListener("change", () => upload([...$("files-input").files]));
  const zone = $("files-dialog");
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dropping");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dropping"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dropping");
    if (writes && event.dataTransfer && event.dataTransfer.files.length) upload([...event.dataTransfer.files]);
  });
  $("files-dialog").addEventListener("close", () => {
    $("files-list").replaceChildren();
    // A change redrew the item's card: its Files button is a new one (its name holds the new count),
    // behind the card's More, which is opened again so the focus has somewhere to go.
    if (opener && !opener.isConnected && shown) {
      const card = document.querySelector(`li.item[data-item-id="${shown.id}"]`);
      const more = card && card.querySelector(".more");
      if (more && more.getAttribute("aria-expanded") !== "true") more.click();
      opener = card && card.querySelector(".item-actions button[aria-label^='Files']");
    }
    if (opener && opener.isConnected) opener.focus();
    shown = null;
    opener = null;
  });
}
