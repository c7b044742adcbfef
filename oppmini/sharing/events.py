"""Sharing's entries in the activity log (oppmini/accounts/activity.py): who is told what.

A change of membership is told to whoever made it, to the member it
concerns and to the collection's managers, a removal or a leave with the
key's new version; a new collection to its maker; a deleted collection to
every member. An invitee is told only that they were invited, until they
accept. One request writes at most one event per user (extensions.md §4):
the changes are noted as the request makes them and written at its end, a
user told of several getting one `members_changed` with a count. Only the
caller's own entries carry the request's address and agent (oppmini/web/call.py).
Details are ids, usernames, roles, counts and key versions: never a key, and
never a collection's name (it is sealed like the items).
"""

# The changes listed in one members_changed event; the count says how many there were.
LISTED_CHANGES = 20
# The events a rotation follows: they carry the key's new version.
DEPARTURES = ("member_removed", "member_left")


def notes(call):
    """The request's Notes, made on first use."""
    if call.notes is None:
        call.notes = Notes(call)
    return call.notes


class Notes:
    """The events of one request, by the user they go to, until `write`."""

    def __init__(self, call):
        self.call = call
        self._by_user = {}  # user_id: [(event, detail)]

    def tell(self, user_ids, event, **detail):
        for user_id in user_ids:
            entries = self._by_user.setdefault(user_id, [])
            if (event, detail) not in entries:
                entries.append((event, dict(detail)))

    def rekeyed(self, collection_id, version):
        """The key's new version, told with the departures that caused it (whose recipients are the caller and
        the managers): no event of its own."""
        for entries in self._by_user.values():
            for event, detail in entries:
                if event in DEPARTURES and detail.get("collection_id") == collection_id:
                    detail["key_version"] = version

    def tell_managers(self, collection_id, event, **detail):
        """`event` to the caller and the collection's managers (as they are now)."""
        self.tell(
            {self.call.user_id} | managers(self.call, collection_id), event, collection_id=collection_id, **detail
        )

    def write(self):
        """One event per user told anything: the event itself, or `members_changed` listing several."""
        by = self.call.user["username"]
        for user_id in sorted(self._by_user):
            entries = self._by_user[user_id]
            if len(entries) == 1:
                event, detail = entries[0]
                self.call.record(event, user_id, **detail)
            else:
                listed = [{"event": event, **detail} for event, detail in entries[:LISTED_CHANGES]]
                self.call.record("members_changed", user_id, by=by, count=len(entries), changes=listed)
        self._by_user = {}


def managers(call, collection_id):
    return {
        member["user_id"]
        for member in call.conn.run("list_members", collection_id=collection_id)
        if member["role"] == "manage"
    }


def created(call, collection_id):
    notes(call).tell({call.user_id}, "collection_created", collection_id=collection_id)


def invited(call, collection_id, username, user_id, role):
    """An invitation to `username` (`user_id` None when it names no user): the invitee and the managers told."""
    by = call.user["username"]
    if user_id is not None:
        notes(call).tell({user_id}, "invited", collection_id=collection_id, role=role, by=by)
    notes(call).tell_managers(collection_id, "member_invited", username=username, role=role, by=by)


def member_changed(call, event, collection_id, member, **detail):
    """`event` (member_role_changed, member_removed, member_left, member_joined, invitation_withdrawn,
    invitation_declined) about `member` (a row with user_id, or None for a name, and username)."""
    if event not in ("member_left", "member_joined", "invitation_declined"):
        detail["by"] = call.user["username"]
    detail = {"collection_id": collection_id, "username": member["username"], **detail}
    if event in ("member_role_changed", "member_removed") and member["user_id"] is not None:
        notes(call).tell({member["user_id"]}, event, **detail)
    notes(call).tell({call.user_id} | managers(call, collection_id), event, **detail)


def rotated(call, collection_id, version):
    notes(call).rekeyed(collection_id, version)


def deleted(call, collection_id, members, moved):
    """Collection `collection_id` deleted by the caller, `moved` live items now in the caller's trash:
    every member (`members`, user ids) told."""
    notes(call).tell(
        set(members) | {call.user_id},
        "collection_deleted",
        collection_id=collection_id,
        by=call.user["username"],
        items=moved,
        trash_of=call.user["username"],
    )
