// What the page says when sharing refuses: the Shared view's dialogs and list, and the item
// editor when a role changed since the page was drawn.

import { explain } from "./api.js";

// The refusals of sharing (extensions §3) in words a person can act on.
export function explainSharing(problem, username = "") {
  switch (problem.error) {
    case "Too many collections!":
      return `${username} is in or invited to as many collections as one person may be: they must leave or ` +
        "decline some before they can be invited again.";
    case "Unknown user!":
      return `There is no user named “${username}” on this server. Check the spelling.`;
    case "User has not unlocked a vault since sharing was enabled!":
      // Without a name: the person's own invitation, made before their vault had its key pair.
      if (!username) return "This invitation was made before your vault had the key that sharing needs. " +
        "Ask a manager of the collection to invite you again, then accept.";
      return `${username} cannot be invited yet: ${username} must sign in and unlock their vault once, ` +
        "which makes the key that sharing needs. Then invite them again.";
    case "A collection needs a manager!":
      return "A collection needs a manager: give another member the Manage role first.";
    case "Not allowed in this collection!":
      return "Your role in this collection does not allow that; it may have changed since the page was drawn " +
        "(reload to see). A member with the Manage role can change it.";
  }
  // A path id not the caller's: deleted, or the caller removed, since the list was drawn.
  if (problem.status === 404) return "This collection is gone, or you are no longer a member. Open Shared again to see what is left.";
  return explain(problem);
}

// Saving an item of a collection the person left, was removed from, or lost the Write role in.
export function lostShare(name) {
  return `You are no longer a member of ${name} (or your role changed): your text is kept, copy it or save it ` +
    "as a personal item (Save again does).";
}
