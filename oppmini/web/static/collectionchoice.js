// The item editor's "Collection" choice: the personal vault, or a collection the person may
// write to. A collection item has no category, so the category choice stands aside while a
// collection is chosen.

const $ = (id) => document.getElementById(id);
const PERSONAL = "Personal (not shared)";

// The collections of fetchall's list that items may be put in (the Write or Manage role), by name:
// the item editor's, the move dialog's (move.js) and Import's choice.
export function writableCollections(collections) {
  return collections
    .filter((collection) => collection.role !== "read")
    .sort((a, b) => (a.name || "").localeCompare(b.name || "") || a.id - b.id);
}

// Fill the choice for `item` (null: a new item) from fetchall's collections. Hidden when there
// is nowhere to move to: no collection with the Write or Manage role.
export function showCollectionChoice(item, collections) {
  const select = $("item-collection");
  const writable = writableCollections(collections);
  select.replaceChildren(new Option(PERSONAL, ""), ...writable.map((c) => new Option(c.name || "(no name)", String(c.id))));
  select.value = item && item.collection_id != null ? String(item.collection_id) : "";
  $("item-collection-field").hidden = writable.length === 0;
  followCollection();
}

function followCollection() {
  const shared = $("item-collection").value !== "";
  $("item-category").disabled = shared;
  $("item-category-shared").hidden = !shared;
}

// Add the choice to the row sent for `item` (null: a new item): collection_id only when it changes
// (the server then moves and re-seals the item), and no category for a collection item.
export function chooseCollection(row, item) {
  const value = $("item-collection").value;
  const id = value ? Number(value) : null;
  if (id !== null) row.category_id = null;
  if (id !== ((item && item.collection_id) ?? null)) row.collection_id = id;
}

$("item-collection").addEventListener("change", followCollection);
