// An item's files (attachments) in a dialog: each with Download and Delete (asked first), and
// Add a file or drop files on the dialog, with a progress bar. What the files take of the quota
// is said under the list.

import { explain } from "./api.js";
import {
  countInWords,
  deleteAsked,
  downloadFile,
  dropZone,
  problemLine,
  progressBar,
  redrawnButton,
  sendFile,
  sizeInWords,
  storedRow,
} from "./fileparts.js";
import { itemTitle } from "./card.js";

let app = null; // {call, say, itemSaved}: set by setupFiles
let shown = null; // the item whose files the dialog shows
let writes = true; // whether the caller may add and delete them (not a shared item they only read)
let opener = null; // the button that opened the dialog, where the keyboard goes back to

const $ = (id) => document.getElementById(id);
const showProblem = problemLine("files-error");
const download = (file) => downloadFile(app.call, shown.id, file, showProblem);

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
  $("files-status").textContent = files.length ? countInWords(files.length) : "No files yet. Add one, or drop files here.";
  $("files-list").replaceChildren(...files.map((file) => storedRow(file, download, writes && deleteFile)));
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

async function deleteFile(file) {
  try {
    if (await deleteAsked(app.call, shown.id, file)) {
      changed(shown.attachments.filter((kept) => kept.id !== file.id));
      app.say(`Deleted ${file.name}.`);
    }
  } catch (problem) {
    if (problem.status !== 401) showProblem(explain(problem));
  }
  $("files-add").focus();
}

async function upload(files) {
  showProblem("");
  for (const file of files) {
    const item = shown;
    try {
      const listed = await sendFile(item.id, file, progressBar("files"));
      changed([...(item.attachments || []), listed]);
      app.say(`Added ${listed.name}.`);
    } catch (problem) {
      showProblem(explain(problem));
      break;
    }
  }
  $("files-input").value = "";
}

export function setupFiles(context) {
  app = context;
  $("files-add").addEventListener("click", () => $("files-input").click());
  $("files-input").addEventListener("change", () => upload([...$("files-input").files]));
  dropZone($("files-dialog"), () => writes, upload);
  $("files-dialog").addEventListener("close", () => {
    $("files-list").replaceChildren();
    // A change redrew the item's card: its Files button is a new one (its name holds the new count).
    if (opener && !opener.isConnected && shown) opener = redrawnButton(shown.id, "Files");
    if (opener && opener.isConnected) opener.focus();
    shown = null;
    opener = null;
  });
}
