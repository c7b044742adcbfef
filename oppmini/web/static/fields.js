// Custom fields: the rows of the item dialog that edit them, and their rows in a card.
// A hidden field is masked in its card (Show/Copy) and in the dialog, like the password.

import { button, element, plainRow, secretRow } from "./cardparts.js";

const MOST_FIELDS = 50; // the server's limit per item
let made = 0; // numbers the rows' ids, so every label names its own control

const $ = (id) => document.getElementById(id);

function labelled(text, control) {
  made += 1;
  control.id = `${control.dataset.part}-${made}`;
  const label = element("label", "", text);
  label.htmlFor = control.id;
  return label;
}

function input(part, maxLength) {
  const field = element("input");
  field.dataset.part = part;
  field.maxLength = maxLength;
  field.autocomplete = "off";
  field.spellcheck = false;
  return field;
}

function fieldRow(field) {
  const row = element("div", "field-row");
  const name = input("field-name", 255);
  const value = input("field-value", 4096);
  const hidden = input("field-hidden", 5);
  hidden.type = "checkbox";
  name.value = field.name;
  value.value = field.value;
  hidden.checked = field.hidden;
  value.type = field.hidden ? "password" : "text";
  hidden.addEventListener("change", () => (value.type = hidden.checked ? "password" : "text"));
  const remove = button("Remove", "small danger", "", () => {
    const next = row.nextElementSibling;
    row.remove();
    countRows();
    // The keyboard stays in the list: on the next row, else on the button that adds one.
    (next ? next.querySelector("input") : $("add-field")).focus();
  });
  const nameBox = element("div", "field-name");
  nameBox.append(labelled("Field name", name), name);
  const valueBox = element("div", "field-value");
  valueBox.append(labelled("Value", value), value);
  const hiddenBox = element("span", "radio");
  hiddenBox.append(hidden, labelled("Hidden", hidden));
  row.append(nameBox, valueBox, hiddenBox, remove);
  // The Remove button says which row it removes, kept up to date as the name is typed.
  const describe = () => remove.setAttribute("aria-label", `Remove field ${name.value || "without a name"}`);
  name.addEventListener("input", describe);
  describe();
  return row;
}

function countRows() {
  $("add-field").disabled = $("field-rows").children.length >= MOST_FIELDS;
}

// Fill the dialog's rows with an item's fields (none for a new item).
export function showFields(fields) {
  $("field-rows").replaceChildren(...fields.map(fieldRow));
  countRows();
}

export function addField() {
  const row = fieldRow({ name: "", value: "", hidden: false });
  $("field-rows").append(row);
  countRows();
  row.querySelector("input").focus();
}

// The fields as typed, rows left wholly empty aside.
export function typedFields() {
  return [...$("field-rows").children]
    .map((row) => ({
      name: row.querySelector("[data-part=field-name]").value,
      value: row.querySelector("[data-part=field-value]").value,
      hidden: row.querySelector("[data-part=field-hidden]").checked,
    }))
    .filter((field) => field.name || field.value);
}

// A card's rows for its custom fields.
export function fieldRows(item, title, say) {
  return (item.fields || []).flatMap((field) => {
    const label = field.name || "Field";
    return field.hidden ? secretRow(label, field.value, title, say) : plainRow(label, field.value, title, say);
  });
}
