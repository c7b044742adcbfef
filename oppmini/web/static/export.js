// The Export view: the vault as a file (GET /v1/export), saved through a Blob and an <a download>,
// after a warning that the file is not encrypted. A dry run first asks the server which items the
// format would change (a CSV cannot hold everything an item can): those are named before any file
// is made, and the person chooses another format or the same one anyway. Built with textContent only.

import { explain } from "./api.js";
import { button, element } from "./cardparts.js";

// Each format's name, and what it is for: told under the choice, where a phone's select would cut it.
const FORMATS = [
  ["oppmini-json", "oppmini JSON", "Keeps everything, for importing here again."],
  ["bitwarden-json", "Bitwarden JSON", "For Bitwarden, Vaultwarden or KeePassXC."],
  ["bitwarden-csv", "Bitwarden CSV", "For another password manager; cannot hold everything."],
];

let app = null; // {call, say, onClose}: set by setupExport

const $ = (id) => document.getElementById(id);
const shortName = (format) => FORMATS.find(([name]) => name === format)[1];

// Files go only into oppmini JSON: the choice is there for that format alone, and kept while another is shown.
function describeFormat() {
  $("export-format-about").textContent = FORMATS.find(([name]) => name === $("export-format").value)[2];
  $("export-files-choice").hidden = $("export-format").value !== "oppmini-json";
}

function query() {
  const chosen = { format: $("export-format").value };
  if ($("export-shared").checked) chosen.include_collections = "true";
  if ($("export-files").checked && !$("export-files-choice").hidden) chosen.include_attachments = "true";
  return chosen;
}

// The run button waits while the server works; its refusal is shown in words.
async function busy(work) {
  $("export-error").hidden = true;
  $("export-run").disabled = true;
  try {
    await work();
  } catch (problem) {
    if (problem.status !== 401) {
      $("export-error").textContent = explain(problem);
      $("export-error").hidden = false;
    }
  } finally {
    $("export-run").disabled = false;
    if (document.activeElement === document.body) $("export-run").focus();
  }
}

async function download() {
  const answer = await app.call("GET", "export", undefined, { query: query(), download: true });
  const link = element("a");
  link.href = URL.createObjectURL(answer.blob);
  link.download = answer.name;
  link.click();
  // The browser has taken the file: the page keeps no copy of the vault in the clear.
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  app.say(`Saved ${answer.name}. It is not encrypted: delete it once it has been imported where it is going.`);
}

function save() {
  hideChanges();
  return busy(async () => {
    const checked = await app.call("GET", "export", undefined, { query: { ...query(), dry_run: "true" } });
    if (checked.warnings.length) showChanges(checked);
    else await download();
  });
}

// The items the format would change, one line each, and the choice: another format, or this one anyway.
function showChanges(checked) {
  const items = new Map();
  for (const { item, name, reason } of checked.warnings) {
    if (!items.has(item)) items.set(item, { name, reasons: [] });
    items.get(item).reasons.push(reason);
  }
  const format = shortName(checked.format);
  const heading = element("h2", "", `${format} changes ${items.size} item${items.size === 1 ? "" : "s"}`);
  heading.id = "export-changes-heading";
  const why = element("p", "", `${format} cannot hold all of these items: read back, by Bitwarden or by oppmini, ` +
    "they differ. Bitwarden JSON or oppmini JSON keep them as they are.");
  const list = element("ul");
  for (const { name, reasons } of items.values()) list.append(element("li", "", `${name}: ${reasons.join("; ")}`));
  const other = button("Choose another format", "primary", "", () => {
    hideChanges();
    $("export-format").focus();
  });
  other.id = "export-other";
  const anyway = button(`Download the ${format} anyway`, "", "", async () => {
    hideChanges();
    await busy(download);
    $("export-run").focus();
  });
  anyway.id = "export-anyway";
  const actions = element("div", "actions");
  actions.append(other, anyway);
  $("export-changes").replaceChildren(heading, why, list, actions);
  $("export-changes").hidden = false;
  other.focus();
}

function hideChanges() {
  $("export-changes").hidden = true;
  $("export-changes").replaceChildren();
}

export function showExport() {
  $("export-format").focus();
}

export function setupExport(context) {
  app = context;
  const heading = element("div", "toolbar");
  heading.append(element("h1", "", "Export"), button("Back", "", "", app.onClose));
  const warning = element("p", "error",
    "The export is NOT encrypted: every password, one-time code seed, note and file is in it in the clear, " +
    "readable by anyone who gets it, or a backup or sync of the folder it is saved in. Delete the file as soon " +
    "as it has been imported where it is going.");
  warning.id = "export-warning";
  const caption = element("label", "", "Format");
  caption.htmlFor = "export-format";
  const format = element("select");
  format.id = "export-format";
  format.append(...FORMATS.map(([name, label]) => new Option(label, name)));
  format.setAttribute("aria-describedby", "export-format-about");
  format.addEventListener("change", () => {
    hideChanges();
    describeFormat();
  });
  const about = element("p", "hint");
  about.id = "export-format-about";
  // A planted =WEBSERVICE(...) would send a row's password away from a spreadsheet: the CSV guards what it can.
  const spreadsheet = element("p", "hint",
    "Bitwarden CSV is for another password manager, not for a spreadsheet: a name, note or URL that starts like " +
    "a formula (= + - @) gets a ' in front, but usernames and passwords are written as they are, and a " +
    "spreadsheet would run one that starts with =.");
  spreadsheet.id = "export-spreadsheet";
  // Shared collections' items only on request: a file meant for one person's other program should not carry them.
  const shared = element("input");
  shared.type = "checkbox";
  shared.id = "export-shared";
  shared.addEventListener("change", hideChanges);
  const sharedLabel = element("label", "", "Also the items of the collections shared with me");
  sharedLabel.htmlFor = "export-shared";
  const sharedChoice = element("p", "radio long");
  sharedChoice.append(shared, sharedLabel);
  const files = element("input");
  files.type = "checkbox";
  files.id = "export-files";
  const filesLabel = element("label", "", "Also the files attached to the items");
  filesLabel.htmlFor = "export-files";
  const filesChoice = element("p", "radio long");
  filesChoice.id = "export-files-choice";
  filesChoice.append(files, filesLabel);
  const error = element("p", "error");
  error.id = "export-error";
  error.setAttribute("role", "alert");
  error.hidden = true;
  const run = button("Download the export", "primary", "", save);
  run.id = "export-run";
  const actions = element("div", "actions");
  actions.append(run);
  const changes = element("section");
  changes.id = "export-changes";
  changes.setAttribute("aria-labelledby", "export-changes-heading");
  changes.hidden = true;
  $("export-view").replaceChildren(heading, warning, caption, format, about, spreadsheet, sharedChoice, filesChoice,
    actions, changes, error);
  describeFormat();
}
