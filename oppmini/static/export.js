// The Export view: the vault as a file (GET /v1/export), saved through a Blob and an <a download>,
// after a warning that the file is not encrypted. Built with textContent only.

import { explain } from "./api.js";
import { button, element } from "./cardparts.js";

const FORMATS = [
  ["oppmini-json", "oppmini JSON (keeps everything, for importing here again)"],
  ["bitwarden-json", "Bitwarden JSON (Bitwarden, Vaultwarden, KeePassXC)"],
  ["bitwarden-csv", "Bitwarden CSV (loses whether a custom field is hidden)"],
];

let app = null; // {call, say, onClose}: set by setupExport

const $ = (id) => document.getElementById(id);

async function save() {
  $("export-error").hidden = true;
  $("export-run").disabled = true;
  let answer = null;
  try {
    const query = { format: $("export-format").value };
    if ($("export-shared").checked) query.include_collections = "true";
    answer = await app.call("GET", "export", undefined, { query, download: true });
  } catch (problem) {
    if (problem.status !== 401) {
      $("export-error").textContent = explain(problem);
      $("export-error").hidden = false;
    }
    return;
  } finally {
    $("export-run").disabled = false;
  }
  const link = element("a");
  link.href = URL.createObjectURL(answer.blob);
  link.download = answer.name;
  link.click();
  // The browser has taken the file: the page keeps no copy of the vault in the clear.
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  app.say(`Saved ${answer.name}. It is not encrypted: delete it once it has been imported where it is going.`);
}

export function showExport() {
  $("export-format").focus();
}

export function setupExport(context) {
  app = context;
  const heading = element("div", "toolbar");
  heading.append(element("h1", "", "Export"), button("Back", "", "", app.onClose));
  const warning = element("p", "error",
    "The export is NOT encrypted: every password, one-time code seed and note is in the file in the clear, " +
    "readable by anyone who gets it, or a backup or sync of the folder it is saved in. Delete the file as soon " +
    "as it has been imported where it is going.");
  warning.id = "export-warning";
  const caption = element("label", "", "Format");
  caption.htmlFor = "export-format";
  const format = element("select");
  format.id = "export-format";
  format.append(...FORMATS.map(([name, label]) => new Option(label, name)));
  // Shared collections' items only on request: a file meant for one person's other program should not carry them.
  const shared = element("input");
  shared.type = "checkbox";
  shared.id = "export-shared";
  const sharedLabel = element("label", "", "Also the items of the collections shared with me");
  sharedLabel.htmlFor = "export-shared";
  const sharedChoice = element("p", "radio long");
  sharedChoice.append(shared, sharedLabel);
  const error = element("p", "error");
  error.id = "export-error";
  error.setAttribute("role", "alert");
  error.hidden = true;
  const run = button("Download the export", "primary", "", save);
  run.id = "export-run";
  const actions = element("div", "actions");
  actions.append(run);
  $("export-view").replaceChildren(heading, warning, caption, format, sharedChoice, actions, error);
}
