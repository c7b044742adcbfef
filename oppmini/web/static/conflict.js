// Saving an edited item without overwriting a change made since the editor opened (by another
// member, or this person in another window): only the fields the person changed are sent, with the
// revision they were read at. When the server refuses (409), both versions of what differs are shown
// and the person keeps theirs, takes the saved one, or copies values across; nothing typed is lost.

const $ = (id) => document.getElementById(id);
const TEXT_FIELDS = { name: "Name", url: "Address", account: "Account", username: "Username", password: "Password", blob: "Notes", totp: "One-time code seed" };

const customText = (fields) => (fields || []).map((field) => `${field.name}: ${field.value}`).join("\n");
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// What the row (as the editor made it) changes of `item`, the row's other values left out.
export function changedFields(item, row) {
  const was = {
    ...Object.fromEntries(Object.keys(TEXT_FIELDS).map((name) => [name, item[name] || ""])),
    category_id: item.category_id ?? null,
    favorite: Boolean(item.favorite),
    match: item.match || "domain",
    fields: item.fields || [],
  };
  return Object.fromEntries(Object.entries(row).filter(([name, value]) => !(name in was) || !same(value, was[name])));
}

// The fields both sides changed, to different values: [name, label, yours, theirs]. A field only the
// person changed is simply saved over the new version; one only the other side changed is kept.
function differences(changes, theirs, base) {
  const shown = [];
  const both = (name, value) => name in changes && !same(value(theirs), value(base)) && !same(changes[name], value(theirs));
  for (const [name, label] of Object.entries(TEXT_FIELDS)) {
    if (both(name, (item) => item[name] || "")) shown.push([name, label, changes[name], theirs[name] || ""]);
  }
  if (both("favorite", (item) => Boolean(item.favorite))) {
    shown.push(["favorite", "Favourite", changes.favorite ? "Yes" : "No", theirs.favorite ? "Yes" : "No"]);
  }
  if (both("fields", (item) => item.fields || [])) {
    shown.push(["fields", "Custom fields", customText(changes.fields), customText(theirs.fields)]);
  }
  return shown;
}

// The editor's field of `name` set to the saved item's value (copied across).
function copyAcross(name, theirs) {
  if (name === "favorite") $("item-favorite").checked = Boolean(theirs.favorite);
  else if (name in TEXT_FIELDS) $(`item-${name}`).value = theirs[name] || "";
}

function valueLine(label, value) {
  const line = document.createElement("p");
  const what = document.createElement("span");
  what.className = "muted";
  what.textContent = `${label}: `;
  const text = document.createElement("span");
  text.className = "conflict-value";
  text.textContent = value || "(empty)";
  line.append(what, text);
  return line;
}

// The dialog over the editor; resolves to "mine", "theirs" or "edit" (Escape: back to editing).
function ask(title, shown, theirs) {
  const dialog = $("conflict-dialog");
  $("conflict-text").textContent =
    `“${title}” was changed and saved after you opened it (by another member, or by you in another window). ` +
    `${shown.length === 1 ? "This field differs" : "These fields differ"}; the others you changed are kept as you typed them.`;
  $("conflict-fields").replaceChildren(
    ...shown.map(([name, label, yours, saved]) => {
      const part = document.createElement("section");
      part.className = "conflict-field";
      const heading = document.createElement("h3");
      heading.textContent = label;
      const copy = document.createElement("button");
      copy.type = "button";
      copy.textContent = `Use the saved ${label.toLowerCase()} in yours`;
      const mine = valueLine("Yours", yours);
      copy.addEventListener("click", () => {
        copyAcross(name, theirs);
        mine.lastChild.textContent = saved || "(empty)";
        copy.disabled = true;
        copy.textContent = `Copied: your ${label.toLowerCase()} is now the saved one`;
        $("conflict-mine").focus();
      });
      part.append(heading, mine, valueLine("Saved now", saved), ...(name === "fields" ? [] : [copy]));
      return part;
    }),
  );
  dialog.returnValue = "edit";
  dialog.showModal();
  $("conflict-mine").focus();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue || "edit"), { once: true }));
}

// Kept in the editor: saving() shows its message under the form.
export class KeptEditing extends Error {
  constructor(message) {
    super(message);
    this.kept = true;
  }
}

export const keptWords = (problem) => (problem && problem.kept ? problem.message : null);

// Save the editor's `row` over `item` as read; {saved, words} once stored or the saved version taken.
// `app`: {call, catchUp, vault, rebase(item)}; rebase makes the editor's item the saved one.
export async function saveChanges(item, row, app) {
  let base = item;
  let changes = changedFields(base, row);
  for (;;) {
    if (!Object.keys(changes).length) return { saved: base, words: `Nothing changed in ${base.name || "the item"}.` };
    try {
      const answer = await app.call("POST", "items", { items: [{ id: base.id, if_revision: base.revision, ...changes }] });
      return { saved: answer.items[0] };
    } catch (problem) {
      if (problem.status !== 409) throw problem;
    }
    await app.catchUp();
    const theirs = app.vault().items.find((one) => one.id === base.id);
    if (!theirs) throw new KeptEditing("This item was deleted or moved where you cannot see it. Your text is kept: copy it, or Cancel.");
    // The saved version could not be read (the session's last seconds): never the same refused save again.
    if (theirs.revision === base.revision) throw new KeptEditing("This item was changed elsewhere. Your text is kept; save again in a moment.");
    const shown = differences(changes, theirs, base);
    const choice = shown.length ? await ask(base.name || "this item", shown, theirs) : "mine";
    if (choice === "theirs") return { saved: theirs, words: `Kept the saved version of ${theirs.name || "the item"}; your changes were not saved.` };
    base = theirs;
    app.rebase(theirs);
    // The fields the person did not change show the saved values; what they typed stays as typed.
    for (const name of Object.keys(TEXT_FIELDS)) if (!(name in changes)) $(`item-${name}`).value = theirs[name] || "";
    if (choice === "edit") throw new KeptEditing("Your changes are kept here, over the version saved now. Save when ready.");
    // "Save mine": what the person changed, with the values copied across, over the saved version.
    for (const [name] of shown) {
      if (name in TEXT_FIELDS) changes[name] = $(`item-${name}`).value;
      if (name === "favorite") changes.favorite = $("item-favorite").checked;
    }
    changes = changedFields(base, changes);
  }
}
