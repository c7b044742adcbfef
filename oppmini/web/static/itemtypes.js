// Item types: the Type choice of the item dialog, each type's own fields there, and their rows in a card.
// Every type's inputs stay in the dialog while it is open, so changing the Type throws nothing away;
// only the chosen type's fields are saved. Secrets (card number and code, document numbers, a private
// key) are masked in the dialog and in the card, like the password.

import { element, plainRow, secretRow } from "./cardparts.js";

// [name, label, {secret, numeric, choices, lines, max}]
const TYPES = {
  card: [
    ["cardholder", "Name on card", { max: 255 }],
    ["number", "Card number", { secret: true, numeric: true, max: 32 }],
    ["exp_month", "Expiry month", { numeric: true, max: 2 }],
    ["exp_year", "Expiry year", { numeric: true, max: 4 }],
    ["code", "Security code", { secret: true, numeric: true, max: 4 }],
    ["brand", "Brand (found from the number when empty)", { max: 64 }],
  ],
  identity: [
    ["title", "Title", { max: 32 }],
    ["first_name", "First name"],
    ["middle_name", "Middle name"],
    ["last_name", "Last name"],
    ["company", "Company"],
    ["email", "Email", { max: 255 }],
    ["phone", "Phone", { max: 64 }],
    ["address1", "Address"],
    ["address2", "Address, line 2"],
    ["address3", "Address, line 3"],
    ["city", "City"],
    ["state", "State or region"],
    ["postcode", "Postcode", { max: 32 }],
    ["country", "Country"],
    ["passport_number", "Passport number", { secret: true, max: 64 }],
    ["license_number", "Driving licence number", { secret: true, max: 64 }],
    ["ssn", "National ID number", { secret: true, max: 64 }],
  ],
  wifi: [
    ["ssid", "Network name", { max: 64 }],
    ["security", "Security", { choices: ["wpa2", "wpa3", "wpa", "wep", "none"] }],
  ],
  ssh_key: [
    ["private_key", "Private key", { secret: true, lines: 4, max: 16384 }],
    ["public_key", "Public key (found from the private key when empty)", { lines: 2, max: 8192 }],
  ],
};
const CARD_LABELS = { fingerprint: "Fingerprint" };

const $ = (id) => document.getElementById(id);
const control = (type, name) => $(`item-${type}-${name}`);

function inputFor(type, [name, label, { secret, numeric, choices, lines, max = 255 } = {}]) {
  let field;
  if (choices) {
    field = element("select");
    for (const choice of choices) field.append(new Option(choice.toUpperCase(), choice));
  } else if (lines) {
    field = element("textarea", secret ? "masked-text" : "");
    field.rows = lines;
    field.spellcheck = false;
  } else {
    field = element("input");
    field.type = secret ? "password" : "text";
    if (numeric) field.inputMode = "numeric";
    field.autocomplete = "off";
    field.spellcheck = false;
  }
  if (!choices) field.maxLength = max;
  field.id = `item-${type}-${name}`;
  const box = element("div", lines ? "span" : "");
  const caption = element("label", "", label);
  caption.htmlFor = field.id;
  box.append(caption, field);
  return box;
}

// Built once: the dialog's fieldset of each type, shown for the chosen type only.
export function setupItemTypes() {
  const holder = $("item-typed");
  for (const [type, fields] of Object.entries(TYPES)) {
    const set = element("fieldset", "form-grid typed-fields");
    set.id = `item-${type}-fields`;
    set.append(element("legend", "", $("item-type").querySelector(`option[value=${type}]`).textContent));
    for (const field of fields) set.append(inputFor(type, field));
    set.hidden = true;
    holder.append(set);
  }
  $("item-type").addEventListener("change", showChosen);
}

function showChosen() {
  const chosen = $("item-type").value;
  for (const type of Object.keys(TYPES)) $(`item-${type}-fields`).hidden = type !== chosen;
}

// The dialog opened on `item` (null: a new login): every type's inputs emptied, the item's filled in.
export function showItemType(item) {
  const type = (item && item.type) || "login";
  $("item-type").value = type;
  for (const [name, fields] of Object.entries(TYPES)) {
    const own = (item && item.type === name && item[name]) || {};
    for (const [field, , options = {}] of fields) {
      control(name, field).value = own[field] || (options.choices ? options.choices[0] : "");
    }
  }
  showChosen();
}

// The row's type and the chosen type's fields, as PUT and POST take them.
export function chosenType() {
  const type = $("item-type").value;
  const row = { type };
  if (TYPES[type]) row[type] = Object.fromEntries(TYPES[type].map(([name]) => [name, control(type, name).value]));
  return row;
}

// A card's rows for its type's fields: a payment card first says its brand and last four digits.
export function typedRows(item, title, say) {
  const own = item[item.type];
  if (!TYPES[item.type] || !own) return [];
  const rows = [];
  if (item.type === "card" && own.number) {
    const summary = `${own.brand || "Card"} •••• ${own.number.slice(-4)}`;
    rows.push(element("dt", "", "Card"), element("dd", "value", summary));
  }
  for (const [name, label, { secret } = {}] of TYPES[item.type]) {
    if (!own[name]) continue;
    const short = label.replace(/ \(.*\)$/, "");
    rows.push(...(secret ? secretRow(short, own[name], title, say) : plainRow(short, own[name], title, say)));
  }
  for (const [name, label] of Object.entries(CARD_LABELS)) {
    if (own[name]) rows.push(...plainRow(label, own[name], title, say));
  }
  return rows;
}
