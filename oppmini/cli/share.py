"""`opp share`: the caller's collections (extensions.md §3), their members and roles, and invitations."""

from . import output
from .account import when
from .errors import UsageError
from .lookup import find_collection

ROLES = ("read", "write", "manage")
COLUMNS = (("id", "ID"), ("name", "NAME"), ("role", "ROLE"), ("members", "MEMBERS"))
INVITATION_COLUMNS = (
    ("id", "ID"),
    ("collection", "COLLECTION"),
    ("role", "ROLE"),
    ("invited_by", "INVITED BY"),
    ("at", "AT"),
)


def _collections(client, phrase):
    return client.call("GET", "collections", phrase=phrase)["collections"]


def _named(ctx):
    """(client, passphrase, the collection ctx.args.collection names)."""
    client, phrase = ctx.client(), ctx.phrase()
    return client, phrase, find_collection(_collections(client, phrase), ctx.args.collection)


def _done(ctx, answer, message):
    if ctx.args.json:
        output.as_json(answer)
    else:
        print(message)


def _members(collection):
    return ", ".join(
        f"{member['username']} ({member['role']}{', invited' if member.get('pending') else ''})"
        for member in collection["members"]
    )


def list_collections(ctx):
    listed = _collections(ctx.client(), ctx.phrase())
    if ctx.args.json:
        output.as_json(listed)
    elif listed:
        output.table([{**one, "members": _members(one)} for one in listed], COLUMNS)
    else:
        print("No collections.")


def create(ctx):
    answer = ctx.client().call("PUT", "collections", {"names": [ctx.args.name]}, phrase=ctx.phrase())
    made = answer["collections"][0]
    _done(ctx, made, f"Made the collection {made['id']} {output.printable(made['name'])!r}; you manage it.")


def rename(ctx):
    client, phrase, collection = _named(ctx)
    client.call(
        "POST", "collections", {"collections": [{"id": collection["id"], "name": ctx.args.new_name}]}, phrase=phrase
    )
    _done(
        ctx,
        {"id": collection["id"], "name": ctx.args.new_name},
        f"Renamed the collection {collection['id']} to {output.printable(ctx.args.new_name)!r}.",
    )


def delete(ctx):
    client, phrase, collection = _named(ctx)
    answer = client.call("DELETE", "collections", {"ids": [collection["id"]]}, phrase=phrase)
    _done(
        ctx,
        {"deleted": [collection["id"]], "trashed": answer["trashed"]},
        f"Deleted the collection {collection['id']} {output.printable(collection['name'])!r}; its "
        f"{answer['trashed']} items are in your trash.",
    )


def add(ctx):
    """Invites members (a member once they accept), or changes the role of members and invitations."""
    client, phrase, collection = _named(ctx)
    members = [{"username": name, "role": ctx.args.role} for name in ctx.args.usernames]
    answer = client.call("PUT", f"collections/{collection['id']}/members", {"members": members}, phrase=phrase)
    pending = {member["username"] for member in answer["collection"]["members"] if member.get("pending")}
    said = [
        f"{output.printable(name)}: {ctx.args.role} in {output.printable(collection['name'])!r}"
        + (" once they accept the invitation" if name in pending else "")
        for name in ctx.args.usernames
    ]
    _done(ctx, {"id": collection["id"], "members": members}, ".\n".join(said) + ".")


def _remove(client, phrase, collection, usernames):
    client.call("DELETE", f"collections/{collection['id']}/members", {"usernames": usernames}, phrase=phrase)


def remove(ctx):
    """Removes members (the key changes) or withdraws invitations (nothing to change: they never had it)."""
    client, phrase, collection = _named(ctx)
    _remove(client, phrase, collection, ctx.args.usernames)
    names = ", ".join(output.printable(name) for name in ctx.args.usernames)
    invited = {member["username"] for member in collection["members"] if member.get("pending")}
    rekeyed = "" if invited.issuperset(ctx.args.usernames) else "; its key was changed"
    _done(
        ctx,
        {"id": collection["id"], "removed": ctx.args.usernames},
        f"Removed {names} from {output.printable(collection['name'])!r}{rekeyed}.",
    )


def leave(ctx):
    """Removes the caller itself (the name its session was made with), which any member may do."""
    client, phrase, collection = _named(ctx)
    me = ctx.live_session().username
    if me not in {member["username"] for member in collection["members"]}:
        raise UsageError(
            f"{output.printable(me)!r} is not listed among the members; was the name changed? Log in again"
        )
    _remove(client, phrase, collection, [me])
    _done(ctx, {"id": collection["id"], "left": True}, f"Left the collection {output.printable(collection['name'])!r}.")


def invitations(ctx):
    """The caller's pending invitations; a collection's name shows only once accepted."""
    listed = ctx.client().call("GET", "invitations")["invitations"]
    if ctx.args.json:
        output.as_json(listed)
    elif listed:
        output.table(
            [{**one, "at": when(one["at"]), "invited_by": one["invited_by"] or "-"} for one in listed],
            INVITATION_COLUMNS,
        )
    else:
        print("No invitations.")


def accept(ctx):
    _answer(ctx, "accept", "Accepted")


def decline(ctx):
    _answer(ctx, "decline", "Declined")


def _answer(ctx, choice, done):
    ids = ctx.args.ids
    answer = ctx.client().call("POST", "invitations", {choice: ids})
    _done(ctx, answer, f"{done} invitation {', '.join(ids)}.")
