// The activity log in words: "alice added bob to Family (read)", "you imported 14 items", "key of
// Family changed after bob left". An event's detail holds ids, usernames, roles and counts; a
// collection is named from the vault the page holds (its name is sealed), else by its number.

const SIMPLE = {
  login: "you signed in",
  login_failed_password: "a sign-in failed: wrong password",
  login_code_missing: "a sign-in failed: no two-factor code",
  login_code_failed: "a sign-in failed: wrong two-factor code",
  passphrase_failed: "a wrong passphrase was entered",
  lockout: "sign-in was locked after too many failures",
  logout_everywhere: "you signed out everywhere",
  session_revoked: "you signed a session out",
  password_changed: "you changed your password",
  passphrase_changed: "you changed your passphrase",
  username_changed: "you changed your username",
  two_factor_on: "you turned two-factor login on",
  two_factor_off: "two-factor login was turned off",
  recovery_code_used: "a recovery code was used",
  security_key_added: "you added a security key or passkey",
  security_keys_removed: "you removed a security key",
  collection_created: "you made {collection}",
};

const counted = (count, what) => `${count} ${what}${count === 1 ? "" : "s"}`;

// `names`: {me (the signed-in username), collection(id) -> name or undefined}.
export function describeEvent(event, detail, names) {
  const who = (username) => (username && username === names.me ? "you" : username || "someone");
  const collection = detail.collection_id ? names.collection(detail.collection_id) || `collection ${detail.collection_id}` : "";
  const by = who(detail.by);
  const member = who(detail.username);
  const role = detail.role ? ` (${detail.role})` : "";
  const keyChanged = detail.key_version ? `; key of ${collection} changed after ${member} left` : "";
  switch (event) {
    case "import":
      return `you imported ${counted(detail.imported || 0, "item")}` +
        (detail.skipped_duplicates ? `, ${counted(detail.skipped_duplicates, "duplicate")} skipped` : "");
    case "export":
      return "you exported your vault";
    case "login_code_failed":
      return detail.cloned_key ? "a sign-in was refused: a security key's counter went back (a copied key?)" : SIMPLE[event];
    case "invited":
      return `${by} invited you to ${collection}${role}`;
    case "member_invited":
      return `${by} invited ${member} to ${collection}${role}`;
    case "member_joined":
      return `${member} joined ${collection}${role}`;
    case "member_role_changed":
      return `${by} made ${member} ${detail.role || "another role"} in ${collection}`;
    case "member_removed":
      return `${by} removed ${member} from ${collection}${keyChanged}`;
    case "member_left":
      return `${member} left ${collection}${keyChanged}`;
    case "invitation_withdrawn":
      return `${by} withdrew the invitation of ${member} to ${collection}`;
    case "invitation_declined":
      return `${member} declined the invitation to ${collection}`;
    case "collection_deleted":
      return `${by} deleted ${collection}` + (detail.items ? `; its ${counted(detail.items, "item")} went to the trash of ${who(detail.trash_of)}` : "");
    case "members_changed":
      return (detail.changes || []).map((change) => describeEvent(change.event, { by: detail.by, ...change }, names)).join("; ") +
        (detail.count > (detail.changes || []).length ? `, and ${detail.count - detail.changes.length} more changes` : "");
  }
  const simple = SIMPLE[event];
  return simple ? simple.replace("{collection}", collection) : event.replace(/_/g, " ");
}

// A sentence starts with a capital.
export const sentence = (text) => text.charAt(0).toUpperCase() + text.slice(1) + ".";
