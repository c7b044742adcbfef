// A list of items in the popup: name and username, with Fill, copy username, copy password, copy code.

function button(text, label, onClick) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = "plain";
  element.textContent = text;
  element.setAttribute("aria-label", label);
  element.addEventListener("click", onClick);
  return element;
}

// `actions`: {fill(item), copy(item, what)} where what is "username", "password" or "code"; `canFill`
// is false for search results of other sites, which are copied, never filled.
export function showItems(list, items, actions, canFill, empty) {
  list.replaceChildren();
  if (!items.length) {
    const none = document.createElement("li");
    none.textContent = empty;
    list.append(none);
    return;
  }
  for (const item of items) {
    const row = document.createElement("li");
    const name = document.createElement("div");
    name.textContent = item.username ? `${item.name} (${item.username})` : item.name;
    row.append(name);
    if (canFill) row.append(button("Fill", `Fill ${item.name}`, () => actions.fill(item)));
    row.append(button("Copy username", `Copy username of ${item.name}`, () => actions.copy(item, "username")));
    row.append(button("Copy password", `Copy password of ${item.name}`, () => actions.copy(item, "password")));
    if (item.totp) row.append(button("Copy code", `Copy code of ${item.name}`, () => actions.copy(item, "code")));
    list.append(row);
  }
}
