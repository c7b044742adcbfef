"""The account's own security views: its sessions (and signing one out) and its activity log."""

import json

from . import output
from .account import when

SESSION_COLUMNS = (
    ("id", "ID"),
    ("created", "SIGNED IN"),
    ("seen", "LAST SEEN"),
    ("address", "ADDRESS"),
    ("agent", "AGENT"),
    ("here", "CURRENT"),
)
EVENT_COLUMNS = (("id", "ID"), ("at", "AT"), ("event", "EVENT"), ("address", "ADDRESS"), ("detail", "DETAIL"))


def sessions(ctx):
    client = ctx.client()
    if ctx.args.revoke:
        client.call("DELETE", "sessions", {"ids": ctx.args.revoke})
        if ctx.args.json:
            output.as_json({"revoked": ctx.args.revoke})
        else:
            print(f"Signed out {len(ctx.args.revoke)} session(s): their tokens no longer work.")
        return
    listed = client.call("GET", "sessions")["sessions"]
    if ctx.args.json:
        output.as_json(listed)
        return
    output.table(
        [
            {
                **row,
                "created": when(row["created_at"]),
                "seen": when(row["last_seen_at"]),
                "here": "*" if row["current"] else "",
            }
            for row in listed
        ],
        SESSION_COLUMNS,
    )


def activity(ctx):
    query = {"limit": ctx.args.limit}
    if ctx.args.before is not None:
        query["before"] = ctx.args.before
    events = ctx.client().call("GET", "activity", query=query)["events"]
    if ctx.args.json:
        output.as_json(events)
        return
    output.table(
        [{**row, "at": when(row["at"]), "detail": _compact(row.get("detail"))} for row in events], EVENT_COLUMNS
    )
    if len(events) == ctx.args.limit:
        print(f"(older: opp activity --before {events[-1]['id']})")


def _compact(detail):
    return json.dumps(detail, ensure_ascii=False, separators=(",", ":"), sort_keys=True) if detail else ""
