// The item editor's Files section. An item already saved lists its files (Download, Delete asked first),
// and a file added by button or dropped on the dialog goes up at once, with a progress bar. A new item
// has no id to upload to: the files picked are kept here, listed, and go up once Save created the item
// (uploadKept). A file that fails stays listed with what went wrong, to try again or remove: nothing a
// person picked is dropped without their word, and while any is kept the dialog counts as changed.

import { explain } from "./api.js";
import {
  countInWords,
  deleteAsked,
  downloadFile,
  dropZone,
  fileRow,
  problemLine,
  progressBar,
  redrawnButton,
  sendFile,
  storedRow,
} from "./fileparts.js";

let app = null; // {call, say, itemSaved}: set by setupItemFiles
let item = null; // the saved item whose files these are; null while a new item is not saved yet
let kept = []; // {file, problem}: picked, not uploaded (waiting for Save, or failed with `problem`)
let queue = Promise.resolve(); // uploads go one after another

const $ = (id) => document.getElementById(id);
const showProblem = problemLine("item-files-error");
const download = (file) => downloadFile(app.call, item.id, file, showProblem);

// The files picked and not uploaded, for the editor's "has it changed" question.
export function keptFiles() {
  return kept.map(({ file }) => file);
}

export function showItemFiles(shown) {
  item = shown;
  kept = [];
  showProblem("");
  $("item-files-progress").hidden = true;
  draw();
}

// The item now saved (a new one just created): the kept files go up, one after another. Resolves to the
// kept files that failed, each with why; they stay listed.
export async function uploadKept(saved) {
  item = saved;
  draw();
  for (const entry of kept) enqueue(entry);
  await queue;
  return kept.filter((one) => one.problem);
}

// What failed, in words naming each file: for the editor's error once Save created the item.
export function failedWords(failed) {
  const named = failed.map(({ file, problem }) => `${file.name}: ${problem}`).join(" ");
  const these = failed.length === 1 ? "This file was not uploaded, and stays" : `These ${failed.length} files were not uploaded, and stay`;
  return `${these} listed under Files: ${named} Save again or choose Try again to retry, or Remove.`;
}

function enqueue(entry) {
  queue = queue.then(() => uploadOne(entry));
  return queue;
}

async function uploadOne(entry) {
  if (!item || !kept.includes(entry)) return;
  entry.problem = "";
  draw();
  try {
    const listed = await sendFile(item.id, entry.file, progressBar("item-files"));
    kept = kept.filter((one) => one !== entry);
    item = { ...item, attachments: [...(item.attachments || []), listed] };
    app.itemSaved(item);
    app.say(`Added ${listed.name}.`);
  } catch (problem) {
    if (problem.status === 401) entry.problem = "the session ended before it was sent.";
    else entry.problem = explain(problem);
  }
  draw();
}

function take(files) {
  showProblem("");
  const added = files.map((file) => ({ file, problem: "" }));
  kept = [...kept, ...added];
  draw();
  if (item) for (const entry of added) enqueue(entry);
  else app.say(`${countInWords(added.length)} Uploaded when you save.`);
  $("item-files-input").value = "";
}

function draw() {
  const stored = (item && item.attachments) || [];
  const words = [];
  if (stored.length) words.push(`Saved: ${countInWords(stored.length)}`);
  if (kept.length) words.push(item ? `Not uploaded: ${countInWords(kept.length)}` : `Uploaded when you save: ${countInWords(kept.length)}`);
  $("item-files-status").textContent = words.length ? words.join(" ") : "No files. Add one, or drop files on this dialog.";
  $("item-files-list").replaceChildren(
    ...stored.map((file) => storedRow(file, download, remove)),
    ...kept.map(keptRow),
  );
}

function keptRow(entry) {
  const { file } = entry;
  const buttons = [];
  if (item && entry.problem) buttons.push(["Try again", "small", `Try again to upload ${file.name}`, () => enqueue(entry)]);
  buttons.push(["Remove", "small", `Remove ${file.name}`, () => dropKept(entry)]);
  const note = entry.problem ? `Not uploaded: ${entry.problem}` : item ? "Uploading…" : "Uploaded when you save";
  return fileRow(file, buttons, note);
}

// A kept file taken off the list by the person's own word (it was never stored).
function dropKept(entry) {
  kept = kept.filter((one) => one !== entry);
  draw();
  app.say(`Removed ${entry.file.name}; it was not uploaded.`);
  $("item-files-add").focus();
}

async function remove(file) {
  showProblem("");
  try {
    if (await deleteAsked(app.call, item.id, file)) {
      item = { ...item, attachments: item.attachments.filter((one) => one.id !== file.id) };
      app.itemSaved(item);
      draw();
      app.say(`Deleted ${file.name}.`);
    }
  } catch (problem) {
    if (problem.status !== 401) showProblem(explain(problem));
  }
  $("item-files-add").focus();
}

export function setupItemFiles(context) {
  app = context;
  $("item-files-add").addEventListener("click", () => $("item-files-input").click());
  $("item-files-input").addEventListener("change", () => take([...$("item-files-input").files]));
  dropZone($("item-dialog"), () => $("item-dialog").open, take);
  $("item-dialog").addEventListener("close", () => {
    // Closed unsaved after a file went up or was deleted: the card was redrawn, and the Edit button the
    // keyboard was on with it; the new one takes the focus. (A save put the focus where it belongs.)
    // (The focus may still be on a button of the closed dialog: the browser moves it to the body later.)
    const focused = document.activeElement;
    const lost = !focused || focused === document.body || $("item-dialog").contains(focused);
    if (lost && item) {
      const edit = redrawnButton(item.id, "Edit");
      if (edit) edit.focus();
    }
    item = null;
    kept = [];
    $("item-files-list").replaceChildren();
  });
}
