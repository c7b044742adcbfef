// The parts every view of an item's files shares (the Files dialog, the item editor's Files section):
// sizes and counts in words, a file's row, the upload with its progress bar and the words for its state,
// the download, the delete asked first, and a drop zone. Built with textContent only.

import { ApiProblem, explain, phraseHeader } from "./api.js";
import { button, element } from "./cardparts.js";
import { ask } from "./editors.js";
import { session } from "./session.js";

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

export function countInWords(count) {
  return `${count} file${count === 1 ? "" : "s"}.`;
}

// One file's row: its name, its size, a note on its state when there is one, then its buttons,
// each [label, className, what it does in words for its accessible name, onClick].
export function fileRow(file, buttons, note = "") {
  const row = element("li", "");
  row.append(element("span", "file-name", file.name), element("span", "muted", sizeInWords(file.size)));
  if (note) row.append(element("span", "file-note", note));
  for (const [label, className, words, onClick] of buttons) row.append(button(label, className, words, onClick));
  return row;
}

// A stored file's row: Download, and Delete when `remove` is given (false: the person may only read).
export function storedRow(file, download, remove) {
  const buttons = [["Download", "small", `Download ${file.name}`, () => download(file)]];
  if (remove) buttons.push(["Delete", "small danger", `Delete ${file.name}`, () => remove(file)]);
  return fileRow(file, buttons);
}

// The progress bar of the view whose ids start with `prefix` (`${prefix}-progress` and its label),
// with words that say what is being sent and how far it is.
export function progressBar(prefix) {
  const bar = $(`${prefix}-progress`);
  const label = $(`${prefix}-progress-label`);
  return {
    start(name) {
      bar.value = 0;
      bar.hidden = false;
      label.textContent = `Uploading ${name}: 0 %`;
    },
    at(name, percent) {
      bar.value = percent;
      label.textContent = `Uploading ${name}: ${percent} %`;
    },
    end() {
      bar.hidden = true;
      label.textContent = "";
    },
  };
}

// POST one file as an attachment of item `itemId`; the answer's attachment as item answers list it.
// XMLHttpRequest, not fetch: only it reports the upload's progress, to `bar`.
export function sendFile(itemId, file, bar) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `api/v1/items/${itemId}/attachments?${new URLSearchParams({ name: file.name })}`);
    xhr.setRequestHeader("x-opp-jwt", session.token);
    xhr.setRequestHeader("x-opp-phrase", phraseHeader(session.phrase) ?? "");
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) bar.at(file.name, Math.round((100 * event.loaded) / event.total));
    });
    xhr.addEventListener("load", () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status === 200 && data) {
        const { created_at: _, ...listed } = data.attachment;
        resolve(listed);
      } else {
        reject(new ApiProblem(xhr.status, data && data.error, data && data.description));
      }
    });
    xhr.addEventListener("error", () => reject(new ApiProblem(0, "Network error")));
    bar.start(file.name);
    xhr.send(file);
  }).finally(() => bar.end());
}

// A function that says a problem in the paragraph `id` (a role=alert one), hidden while there is none.
export function problemLine(id) {
  return (text) => {
    $(id).textContent = text;
    $(id).hidden = !text;
  };
}

// The file's bytes from the server, saved under its name by the browser; a failure said by `showProblem`
// (the end of the session is said where the session ends).
export async function downloadFile(call, itemId, file, showProblem) {
  showProblem("");
  try {
    const answer = await call("GET", `items/${itemId}/attachments/${file.id}`, undefined, { download: true });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(answer.blob);
    link.download = file.name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  } catch (problem) {
    if (problem.status !== 401) showProblem(explain(problem));
  }
}

// Delete a stored file once the person said so; true when it was deleted.
export async function deleteAsked(call, itemId, file) {
  const choice = await ask(`Delete ${file.name}?`, "The file is deleted for good; it does not go to the trash.", [
    { label: "Delete file", value: "delete", danger: true },
  ]);
  if (!choice) return false;
  await call("DELETE", `items/${itemId}/attachments/${file.id}`, undefined, { phrase: false });
  return true;
}

// The button of item `itemId`'s card whose accessible name starts with `nameStart`: a change to the
// item's files redrew its card, so the button a dialog was opened from is a new one, behind the card's
// More, which is opened again so the keyboard has somewhere to go back to. Null without such a card.
export function redrawnButton(itemId, nameStart) {
  const card = document.querySelector(`li.item[data-item-id="${itemId}"]`);
  const more = card && card.querySelector(".more");
  if (more && more.getAttribute("aria-expanded") !== "true") more.click();
  return card && card.querySelector(`.item-actions button[aria-label^='${nameStart}']`);
}

// Files dragged over `zone` outline it; dropped ones go to `take` while `accepts()` says so.
// Only a drag that carries files is taken: text dragged within a form drops as usual.
export function dropZone(zone, accepts, take) {
  const carriesFiles = (event) => event.dataTransfer && [...event.dataTransfer.types].includes("Files");
  zone.addEventListener("dragover", (event) => {
    if (!carriesFiles(event) || !accepts()) return;
    event.preventDefault();
    zone.classList.add("dropping");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dropping"));
  zone.addEventListener("drop", (event) => {
    zone.classList.remove("dropping");
    if (!carriesFiles(event) || !accepts()) return;
    event.preventDefault();
    if (event.dataTransfer.files.length) take([...event.dataTransfer.files]);
  });
}
