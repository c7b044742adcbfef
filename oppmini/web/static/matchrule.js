// The item editor's match rule: which web pages the browser extension offers the item for
// (GET /v1/match matches on the server). The line under the choice says what the chosen rule does.

const $ = (id) => document.getElementById(id);
const DEFAULT_RULE = "domain";
const EXPLAINED = {
  domain: "Offered on every page of the site, such as login.bank.example for bank.example.",
  host: "Offered only on pages of this exact host name.",
  exact: "Offered only on this address and the pages under its path.",
  never: "Never offered for any page; the item stays in the vault and in search.",
};

// Show `item`'s rule (null: a new item, which starts at the default).
export function showMatchRule(item) {
  const select = $("item-match");
  select.value = (item && item.match) || DEFAULT_RULE;
  if (select.selectedIndex < 0) select.value = DEFAULT_RULE; // a rule this page does not know
  explainRule();
}

export function chosenMatchRule() {
  return $("item-match").value;
}

export function setupMatchRule() {
  $("item-match").addEventListener("change", explainRule);
}

function explainRule() {
  $("item-match-hint").textContent = EXPLAINED[$("item-match").value] || "";
}
