// The Import view: another password manager's export file sent to POST /v1/import, first as a
// dry run whose figures and warnings are shown, then for real, into the personal vault or a
// collection the person may write to. Built with textContent only.

import { explain } from "./api.js";
import { button, element } from "./cardparts.js";
import { writableCollections } from "./collectionchoice.js";

// The server's importers.NAMES: what `format=` accepts besides "auto".
const FORMATS = [
  "1password-1pux", "1password-csv", "bitwarden-csv", "bitwarden-json", "chrome-csv", "dashlane-csv",
  "firefox-csv", "keepass-xml", "keepassxc-csv", "lastpass-csv", "oppmini-json", "safari-csv",
];
const FIGURES = [
  ["imported", "Items"],
  ["categories_created", "New categories"],
  ["skipped_duplicates", "Duplicates left out"],
  ["skipped_unsupported", "Entries of kinds oppmini does not hold, left out"],
  ["attachments_imported", "Attached files"],
];

let app = null; // {call, say, refresh, vault, onClose}: set by setupImport
let checked = null; // the dry run's answer for the file and options now chosen

const $ = (id) => document.getElementById(id);

function field(id, label, control) {
  const box = element("div", "account-field");
  const caption = element("label", "", label);
  caption.htmlFor = id;
  control.id = id;
  box.append(caption, control);
  return box;
}

function radio(name, value, label, on) {
  const box = element("span", "radio");
  const input = element("input");
  Object.assign(input, { type: "radio", name, value, id: `${name}-${value}`, checked: on });
  const caption = element("label", "", label);
  caption.htmlFor = input.id;
  box.append(input, caption);
  return box;
}

function megabytes(bytes) {
  return bytes < 100 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// Whatever the person changes, the figures shown no longer describe what Import would do.
function stale() {
  checked = null;
  $("import-result").replaceChildren();
  $("import-run").hidden = true;
  $("import-error").hidden = true;
}

// The file to the server; the progress bar runs while it is sent and read there.
async function send(dryRun) {
  const file = $("import-file").files[0];
  const duplicates = document.querySelector("input[name=import-duplicates]:checked").value;
  const query = { format: $("import-format").value, duplicates, dry_run: String(dryRun) };
  if ($("import-into").value) query.collection_id = $("import-into").value;
  $("import-error").hidden = true;
  $("import-progress").hidden = false;
  $("import-status").textContent = `${dryRun ? "Checking" : "Importing"} ${file.name} (${megabytes(file.size)})…`;
  for (const id of ["import-check", "import-run"]) $(id).disabled = true;
  try {
    return await app.call("POST", "import", undefined, { query, file });
  } catch (problem) {
    $("import-status").textContent = "";
    if (problem.status !== 401) {
      $("import-error").textContent = explain(problem);
      $("import-error").hidden = false;
    }
    return null;
  } finally {
    $("import-progress").hidden = true;
    for (const id of ["import-check", "import-run"]) $(id).disabled = false;
  }
}

function showFigures(answer) {
  const figures = element("dl", "fields");
  figures.id = "import-figures";
  figures.append(element("dt", "", "Format"), element("dd", "", answer.format));
  for (const [key, label] of FIGURES) figures.append(element("dt", "", label), element("dd", "", String(answer[key])));
  const parts = [element("h2", "", "What the file holds"), figures];
  if (answer.warnings.length) {
    const list = element("ul");
    list.id = "import-warnings";
    // Entries by their place in the file: the server never repeats a value in a warning.
    for (const { entry, reason } of answer.warnings) list.append(element("li", "", `Entry ${entry}: ${reason}`));
    parts.push(element("h2", "", `Warnings (${answer.warnings.length})`), list);
  }
  $("import-result").replaceChildren(...parts);
}

async function check() {
  if (!$("import-file").files.length) {
    $("import-error").textContent = "Choose a file first.";
    $("import-error").hidden = false;
    return $("import-file").focus();
  }
  stale();
  const answer = await send(true);
  if (!answer) return;
  checked = answer;
  showFigures(answer);
  $("import-status").textContent = answer.imported
    ? `Nothing is imported yet. Import adds the ${answer.imported} item${answer.imported === 1 ? "" : "s"} above.`
    : "The file holds no item to import.";
  $("import-run").hidden = answer.imported === 0;
  (answer.imported ? $("import-run") : $("import-check")).focus();
}

async function run() {
  if (!checked) return;
  const answer = await send(false);
  if (!answer) return;
  const count = `${answer.imported} item${answer.imported === 1 ? "" : "s"}`;
  const into = $("import-into").selectedOptions[0];
  const what = into && into.value ? `${count} into ${into.textContent}.` : `${count} (${answer.categories_created} new categories).`;
  try {
    await app.refresh();
  } catch {
    return; // the vault call ended the session or locked the vault: that view says why
  }
  resetForm();
  app.onClose();
  app.say(`Imported ${what} ` +
    "Delete the other program's export file now: it is not encrypted.");
}

// Also on lock, sign out and session end: the chosen file and its figures leave the page.
export function resetForm() {
  $("import-file").value = "";
  $("import-status").textContent = "";
  stale();
}

// Where the items go: the personal vault, or a collection the person may write to (fetchall's, as
// the page holds them). The choice is offered only when there is one.
function fillTargets() {
  const select = $("import-into");
  const writable = writableCollections(app.vault().collections);
  const kept = select.value;
  select.replaceChildren(new Option("Personal vault", ""),
    ...writable.map((collection) => new Option(collection.name || "(no name)", String(collection.id))));
  select.value = kept;
  if (select.selectedIndex < 0) select.value = "";
  $("import-into-field").hidden = writable.length === 0;
}

export function showImport() {
  resetForm();
  fillTargets();
  $("import-file").focus();
}

export function setupImport(context) {
  app = context;
  const heading = element("div", "toolbar");
  const back = button("Back", "", "", app.onClose);
  heading.append(element("h1", "", "Import"), back);
  const hint = element("p", "hint", "Another password manager's export file, read by the server and stored " +
    "encrypted there like every item. Folders become categories. Check the file first: nothing is imported " +
    "until you press Import.");
  const file = element("input");
  file.type = "file";
  const format = element("select");
  format.append(new Option("Recognise it from the content", "auto"), ...FORMATS.map((name) => new Option(name, name)));
  const into = element("select");
  into.setAttribute("aria-describedby", "import-into-hint");
  const intoField = field("import-into", "Import into", into);
  intoField.id = "import-into-field";
  const intoHint = element("p", "hint", "A collection's members see what is imported into it; its folders make no categories.");
  intoHint.id = "import-into-hint";
  intoField.append(intoHint);
  const duplicates = element("fieldset");
  duplicates.append(element("legend", "", "Entries equal to an item in your vault or in a collection you can write to " +
    "(name, address, username, password)"),
    radio("import-duplicates", "skip", "Leave them out", true), radio("import-duplicates", "keep", "Import them too", false));
  const progress = element("progress");
  progress.id = "import-progress";
  progress.setAttribute("aria-label", "Sending the file");
  progress.hidden = true;
  const status = element("p", "muted");
  status.id = "import-status";
  status.setAttribute("role", "status");
  const error = element("p", "error");
  error.id = "import-error";
  error.setAttribute("role", "alert");
  error.hidden = true;
  const result = element("div");
  result.id = "import-result";
  const checkButton = button("Check the file", "primary", "", check);
  checkButton.id = "import-check";
  const runButton = button("Import", "primary", "", run);
  runButton.id = "import-run";
  runButton.hidden = true;
  const actions = element("div", "actions");
  actions.append(checkButton, runButton);
  $("import-view").replaceChildren(heading, hint, field("import-file", "Export file", file),
    field("import-format", "Format", format), intoField, duplicates, actions, progress, status, error, result);
  for (const control of [file, format, into, duplicates]) control.addEventListener("change", stale);
}
