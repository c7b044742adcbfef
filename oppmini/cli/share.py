"""`opp share`: the caller's collections (extensions.md §3), their members and roles."""

from . import output
from .errors import UsageError
from .lookup import find_collection

ROLES = ("read", "write", "manage")
COLUMNS = (("id", "ID"), ("name", "NAME"), ("role", "ROLE"), ("members", "MEMBERS"))


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
    return ", ".join(f"{member['username']} ({member['role']})" for member in collection["members"])


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
    client.call("POST", "collections", {"collections": [{"id": collection["id"], "name": ctx.args.new_name}]},
                phrase=phrase)
    _done(ctx, {"id": collection["id"], "name": ctx.args.new_name},
          f"Renamed the collection {collection['id']} to {output.printable(ctx.args.new_name)!r}.")


def delete(ctx):
    client, phrase, collection = _named(ctx)
    client.call("DELETE", "collections", {"ids": [collection["id"]]}, phrase=phrase)
    _done(ctx, {"deleted": [collection["id"]]},
          f"Deleted the collection {collection['id']} {output.printable(collection['name'])!r} and its items.")


def add(ctx):
    """Adds members, or changes the role of members already there."""
    client, phrase, collection = _named(ctx)
    members = [{"username": name, "role": ctx.args.role} for name in ctx.args.usernames]
    client.call("PUT", f"collections/{collection['id']}/members", {"members": members}, phrase=phrase)
    names = ", ".join(output.printable(name) for name in ctx.args.usernames)
    _done(ctx, {"id": collection["id"], "members": members},
          f"{names}: {ctx.args.role} in {output.printable(collection['name'])!r}.")


def _remove(client, phrase, collection, usernames):
    client.call("DELETE", f"collections/{collection['id']}/members", {"usernames": usernames}, phrase=phrase)


def remove(ctx):
    client, phrase, collection = _named(ctx)
    _remove(client, phrase, collection, ctx.args.usernames)
    names = ", ".join(output.printable(name) for name in ctx.args.usernames)
    _done(ctx, {"id": collection["id"], "removed": ctx.args.usernames},
          f"Removed {names} from {output.printable(collection['name'])!r}; its key was changed.")


def leave(ctx):
    """Removes the caller itself (the name its session was made with), which any member may do."""
    client, phrase, collection = _named(ctx)
    me = ctx.live_session().username
    if me not in {member["username"] for member in collection["members"]}:
        raise UsageError(f"{output.printable(me)!r} is not listed among the members; was the name changed? "
                         "Log in again")
    _remove(client, phrase, collection, [me])
    _done(ctx, {"id": collection["id"], "left": True},
          f"Left the collection {output.printable(collection['name'])!r}.")
