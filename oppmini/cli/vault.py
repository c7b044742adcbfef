"""The vault commands: ls, search, get, totp, add, edit, attach, rm, trash, restore, gen."""

import sys

from . import files, itemtypes, lookup, output, secret_input
from .errors import NoMatch, ServerError, UsageError

# `get --field` names beside the item's own keys.
FIELD_ALIASES = {"notes": "blob"}


def _fetchall(client, phrase):
    """GET /fetchall, its items given their category's and collection's names."""
    answer = client.call("GET", "fetchall", phrase=phrase)
    items = output.with_category_names(answer["items"], answer["categories"])
    answer["items"] = output.with_collection_names(items, answer.get("collections") or ())
    return answer


def _vault(client, phrase):
    """(categories, items) from GET /fetchall, each item given its category's and collection's names."""
    answer = _fetchall(client, phrase)
    return answer["categories"], answer["items"]


def _one_item(ctx):
    """The client, the passphrase, the vault's categories and the item ctx.args.item names."""
    client, phrase = ctx.client(), ctx.phrase()
    categories, items = _vault(client, phrase)
    return client, phrase, categories, lookup.find_item(items, ctx.args.item)


def _print_items(ctx, items):
    if ctx.args.json:
        output.as_json([output.summary(item) for item in items])
    elif items:
        # Only fetchall names the collections (search answers ids): the column where there are names.
        shared = any(item.get("collection") for item in items)
        output.table(items, output.LIST_COLUMNS + (output.COLLECTION_COLUMN if shared else ()))
    else:
        print("No items.")


def ls(ctx):
    answer = _fetchall(ctx.client(), ctx.phrase())
    categories, items = answer["categories"], answer["items"]
    if ctx.args.collection is not None:
        collection = lookup.find_collection(answer.get("collections") or (), ctx.args.collection)
        items = [item for item in items if item.get("collection_id") == collection["id"]]
    if ctx.args.category is not None:
        category = lookup.find_category(categories, ctx.args.category)
        if category is None:
            raise NoMatch(f"no category named {ctx.args.category!r}")
        items = [item for item in items if item.get("category_id") == category["id"]]
    if ctx.args.favorites:
        items = [item for item in items if item.get("favorite")]
    _print_items(ctx, items)


def search(ctx):
    client, phrase = ctx.client(), ctx.phrase()
    words = [word for word in " ".join(ctx.args.words).split() if word]
    if not words:
        raise UsageError("give at least one word to search for")
    try:
        # GET /search (extensions.md §1) searches on the server; until it exists
        # (404), the same rule runs here over fetchall.
        answer = client.call("GET", "search", query={"q": " ".join(words)}, phrase=phrase)
        found = [output.from_get_shape(item) for item in answer["items"]]
    except ServerError as error:
        if error.status != 404:
            raise
        found = lookup.search(_vault(client, phrase)[1], words)
    if not found:
        raise NoMatch(f"no item holds {' '.join(words)!r}")
    _print_items(ctx, found)


def get(ctx):
    client, phrase, _, item = _one_item(ctx)
    if ctx.args.attachment is not None:
        files.get_attachment(ctx, client, phrase, item)
    elif ctx.args.field == "totp":
        # The current one-time code, not the seed: what a script types in.
        output.bare(_code(client, phrase, item)["code"])
    elif ctx.args.field:
        output.bare(_field_value(item, ctx.args.field))
    elif ctx.args.json:
        output.as_json(item)
    else:
        output.detail(item, ctx.args.show)
        for line in itemtypes.detail_lines(item, ctx.args.show):
            print(line)


def _field_value(item, name):
    """An item's own field (`notes` for the blob), a field of its type, else its custom field of that name."""
    key = FIELD_ALIASES.get(name, name)
    if key in item and not isinstance(item[key], (dict, list)):
        return item[key]
    typed = item.get(item.get("type") or "login")
    if isinstance(typed, dict) and name in typed:
        return typed[name]
    custom = [field["value"] for field in item.get("fields") or () if field["name"] == name]
    if custom:
        return custom[0]
    own = {*FIELD_ALIASES, "totp", *(k for k, v in item.items() if not isinstance(v, (dict, list)))}
    names = sorted(own | {field["name"] for field in item.get("fields") or ()})
    raise UsageError(f"no field {name!r}; fields: {', '.join(map(output.printable, names))}")


def _code(client, phrase, item):
    """GET /items/{id}/totp: the item's current one-time code."""
    return client.call("GET", f"items/{item['id']}/totp", phrase=phrase)


def totp(ctx):
    client, phrase, _, item = _one_item(ctx)
    answer = _code(client, phrase, item)
    if ctx.args.json:
        output.as_json({key: answer[key] for key in ("code", "period", "remaining", "digits")})
    else:
        print(f"{answer['code']} ({answer['remaining']} s left)")


def _password_choice(args, allow_none):
    """(fields, request options) for the password the options ask for; ({}, {}) for none."""
    if args.generate is not None:
        return {}, {"auto_pass": True, "genopts": {"numChars": args.generate}}
    if args.words is not None:
        return {}, {"auto_pass": True, "genopts": {"numwords": args.words}}
    if args.password_stdin:
        return {"password": secret_input.from_stdin("password")}, {}
    if getattr(args, "password_prompt", False) or not allow_none:
        if not secret_input.terminal_available():
            raise UsageError("give --generate N, --words N or --password-stdin (no terminal to ask on)")
        return {"password": secret_input.new_password()}, {}
    return {}, {}


def _category_id(ctx, client, phrase, categories):
    """The id of the category --category names, made when it does not exist yet."""
    name = ctx.args.category
    found = lookup.find_category(categories, name)
    if found is not None:
        return found["id"]
    made = client.call("PUT", "categories", {"category_names": [name]}, phrase=phrase)["categories"][0]
    print(f"opp: made the category {output.printable(name)!r}", file=sys.stderr)
    return made["id"]


def _text_fields(args, stored=None):
    """The row's fields the options set: texts, the favourite mark, custom fields (merged into `stored`'s)."""
    given = {
        "name": getattr(args, "new_name", None),
        "url": args.url,
        "username": args.username,
        "account": args.account,
        "blob": args.notes,
        "favorite": args.favorite,
    }
    row = {key: value for key, value in given.items() if value is not None}
    if args.field:
        # POST replaces the whole list: keep the item's other fields, change the ones named.
        fields = [dict(field) for field in (stored or {}).get("fields") or ()]
        for text in args.field:
            name, sep, value = text.partition("=")
            if not sep or not name:
                raise UsageError(f"--field takes NAME=VALUE, not {text!r}")
            same = [field for field in fields if field["name"] == name]
            if same:
                same[0]["value"] = value
            else:
                fields.append({"name": name, "value": value, "hidden": False})
        row["fields"] = fields
    return row


def _report(ctx, verb, item, options):
    if ctx.args.json:
        output.as_json(item)
        return
    note = f"; opp get {item['id']} --field password prints the new password" if options.get("auto_pass") else ""
    print(f"{verb} item {item['id']} {output.printable(item['name'])!r}{note}.")


def add(ctx):
    client = ctx.client()
    phrase = ctx.phrase()  # asked for before any password is read from standard input
    row = {"name": ctx.args.name, **_text_fields(ctx.args)}
    if ctx.args.category is not None:
        categories = client.call("GET", "categories", phrase=phrase)["categories"]
        row["category_id"] = _category_id(ctx, client, phrase, categories)
    item_type = ctx.args.type or "login"
    fields, options = _password_choice(ctx.args, allow_none=item_type in itemtypes.WITHOUT_PASSWORD)
    row.update(itemtypes.typed_row(ctx.args, item_type, ctx.stdin))
    answer = client.call("PUT", "items", {"items": [{**row, **fields}], **options}, phrase=phrase)
    _report(ctx, "Added", answer["items"][0], options)


def edit(ctx):
    client, phrase, categories, item = _one_item(ctx)
    row = _text_fields(ctx.args, item)
    if ctx.args.no_category:
        row["category_id"] = None
    elif ctx.args.category is not None:
        row["category_id"] = _category_id(ctx, client, phrase, categories)
    fields, options = _password_choice(ctx.args, allow_none=True)
    row.update(itemtypes.typed_row(ctx.args, ctx.args.type or item.get("type") or "login", ctx.stdin, item))
    if not row and not fields and not options:
        raise UsageError("nothing to change; opp edit --help lists what can be")
    answer = client.call("POST", "items", {"items": [{"id": item["id"], **row, **fields}], **options}, phrase=phrase)
    _report(ctx, "Updated", answer["items"][0], options)


def attach(ctx):
    client, phrase, _, item = _one_item(ctx)
    files.attach(ctx, client, phrase, item)


def rm(ctx):
    client, _, _, item = _one_item(ctx)
    client.call("DELETE", "items", {"ids": [item["id"]]})
    if ctx.args.json:
        output.as_json({"deleted": [item["id"]]})
    else:
        print(f"Deleted item {item['id']} {output.printable(item['name'])!r}.")


def trash(ctx):
    answer = ctx.client().call("GET", "trash", phrase=ctx.phrase())
    items = [output.from_get_shape(item) for item in answer["items"]]
    if ctx.args.json:
        output.as_json([{**output.summary(item), "deleted_at": item["deleted_at"]} for item in items])
    elif items:
        output.table(items, output.LIST_COLUMNS)
    else:
        print("The trash is empty.")


def restore(ctx):
    client, phrase = ctx.client(), ctx.phrase()
    trashed = [output.from_get_shape(item) for item in client.call("GET", "trash", phrase=phrase)["items"]]
    item = lookup.find_item(trashed, ctx.args.item)
    client.call("POST", "trash", {"ids": [item["id"]]}, phrase=phrase)
    if ctx.args.json:
        output.as_json({"restored": [item["id"]]})
    else:
        print(f"Restored item {item['id']} {output.printable(item['name'])!r}.")


def gen(ctx):
    if ctx.args.words is not None:
        query = {"numwords": ctx.args.words}
        if ctx.args.delimiter is not None:
            query["delimiter"] = ctx.args.delimiter
    else:
        query = {"numChars": ctx.args.length}
    answer = ctx.client().call("GET", "generate", query=query)
    if ctx.args.json:
        output.as_json({"password": answer["password"], "entropy_bits": answer["entropy_bits"]})
    else:
        output.bare(answer["password"])
