// "Stay signed in for": the sign-in form offers only what the server grants,
// read from GET health's max_exp_delta, and names the units in good English.

import { request } from "./api.js";

const $ = (id) => document.getElementById(id);

export function duration(seconds) {
  for (const [size, unit] of [[86400, "day"], [3600, "hour"], [60, "minute"], [1, "second"]]) {
    if (seconds >= size && seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${unit}${count === 1 ? "" : "s"}`;
    }
  }
  return `${seconds} seconds`;
}

let longest = 0; // the server's max_exp_delta in seconds; 0 while unknown

// "1 hours" reads badly: the unit names follow the number.
function nameUnits() {
  const one = Number($("session-amount").value) === 1;
  for (const option of $("session-unit").options) option.textContent = option.dataset[one ? "one" : "many"];
}

function limit() {
  if (!longest) return;
  const unit = $("session-unit");
  // Minutes stay: the server grants less than one only to a test's seconds-long sessions.
  for (const option of unit.options) option.disabled = option.index > 0 && Number(option.value) > longest;
  if (unit.selectedOptions[0].disabled) unit.value = [...unit.options].filter((option) => !option.disabled).pop().value;
  $("session-amount").max = String(Math.max(1, Math.floor(longest / Number(unit.value))));
}

// The seconds asked for.
export function askedSeconds() {
  return Math.round(Number($("session-amount").value) * Number($("session-unit").value));
}

export async function setupSessionForm() {
  $("session-amount").addEventListener("input", nameUnits);
  $("session-unit").addEventListener("change", limit);
  nameUnits();
  try {
    longest = Number((await request("GET", "health")).max_exp_delta) || 0;
  } catch {
    longest = 0; // an older server, or none: the server still caps what it grants, and the page says so
  }
  if (!longest) return;
  limit();
  $("session-limit").textContent = `This server keeps you signed in for at most ${duration(longest)}.`;
}
