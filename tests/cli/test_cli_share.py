"""`opp share` and `opp ls --collection` for two accounts on a real serve.py, on each backend."""

import json

import pytest

from cli.conftest import Opp, sign_up


@pytest.fixture
def pair(any_server, tmp_path):
    """alice and bob, each logged in from a state folder of their own."""
    accounts = []
    for name in ("alice", "bob"):
        (tmp_path / name).mkdir()
        opp = Opp(tmp_path / name, any_server.url, sign_up(any_server.url))
        opp.login()
        accounts.append(opp)
    return accounts


def test_create_add_read_write_rename_remove_and_leave(pair):
    alice, bob = pair
    assert alice.ok("share") == "No collections.\n"
    made = alice.json("share", "create", "Family")
    said = alice.ok("share", "create", "Work")
    assert said.startswith("Made the collection ") and said.endswith(" 'Work'; you manage it.\n")
    family = made["id"]
    said = alice.ok("share", "add", "family", bob.username)
    assert said == f"{bob.username}: read in 'Family' once they accept the invitation.\n"
    accept_all(bob)
    alice.ok("add", "Wi-Fi", "--password-stdin", input="shared wifi secret\n")
    wifi = [item for item in alice.api("GET", "items")["items"] if item["name"] == "Wi-Fi"][0]
    moved = alice.api("POST", "items", {"items": [{"id": wifi["id"], "collection_id": family}]})
    assert moved["items"][0]["collection_id"] == family

    listed = bob.json("share", "list")
    assert [(one["id"], one["name"], one["role"]) for one in listed] == [(family, "Family", "read")]
    assert sorted((m["username"], m["role"]) for m in listed[0]["members"]) == sorted(
        [(alice.username, "manage"), (bob.username, "read")]
    )
    table = bob.ok("share").splitlines()
    assert table[0].split() == ["ID", "NAME", "ROLE", "MEMBERS"]
    assert f"{alice.username} (manage)" in table[1] and f"{bob.username} (read)" in table[1]

    # Bob's listing marks the shared item with its collection; --collection keeps only those.
    shown = bob.ok("ls").splitlines()
    assert shown[0].split() == ["ID", "NAME", "USERNAME", "URL", "CATEGORY", "COLLECTION"]
    assert shown[1].split() == [str(wifi["id"]), "Wi-Fi", "Family"]
    bob.ok("add", "Own", "--password-stdin", input="mine\n")
    assert [row["name"] for row in bob.json("ls")] == ["Wi-Fi", "Own"]
    assert [(row["name"], row["collection"]) for row in bob.json("ls", "--collection", "FAMILY")] == [
        ("Wi-Fi", "Family")
    ]
    assert [row["name"] for row in bob.json("ls", "--collection", str(family))] == ["Wi-Fi"]
    assert bob.ok("get", "Wi-Fi", "--field", "password") == "shared wifi secret\n"
    unknown = bob("ls", "--collection", "Work")  # alice's, not bob's
    assert unknown.returncode == 1 and "no collection named 'Work'" in unknown.stderr

    # read: bob may not change it; write: he may.
    refused = bob("edit", "Wi-Fi", "--username", "bob")
    assert (refused.returncode, refused.stderr) == (
        3,
        f"opp: Not allowed in this collection!: This needs the role 'write' in collection {family}.\n",
    )
    alice.ok("share", "add", "Family", bob.username, "--role", "write")
    bob.ok("edit", "Wi-Fi", "--username", "bob")
    assert [i["username"] for i in alice.api("GET", "items")["items"] if i["name"] == "Wi-Fi"] == ["bob"]

    assert alice.ok("share", "rename", "Family", "Household") == f"Renamed the collection {family} to 'Household'.\n"
    assert [one["name"] for one in bob.json("share")] == ["Household"]

    said = alice.ok("share", "remove", "Household", bob.username)
    assert said == f"Removed {bob.username} from 'Household'; its key was changed.\n"
    assert bob.json("share") == []
    assert [row["name"] for row in bob.json("ls")] == ["Own"]

    # Leave: alice adds bob again; he leaves on his own.
    alice.ok("share", "add", "Household", bob.username)
    accept_all(bob)
    assert bob.ok("share", "leave", "household") == "Left the collection 'Household'.\n"
    assert [m["username"] for m in alice.json("share", "list")[0]["members"]] == [alice.username]

    last = alice("share", "leave", "Household")
    assert (last.returncode, last.stderr) == (
        3,
        "opp: A collection needs a manager!: Give another member the role 'manage' first, or delete the collection.\n",
    )

    deleted = alice.ok("share", "delete", "Household")
    assert deleted == f"Deleted the collection {family} 'Household'; its 1 items are in your trash.\n"
    assert [one["name"] for one in alice.json("share")] == ["Work"]
    assert "Wi-Fi" not in [item["name"] for item in alice.api("GET", "items")["items"]]
    assert [item["name"] for item in alice.api("GET", "trash")["items"]] == ["Wi-Fi"]


def accept_all(opp):
    """`opp share invitations`, then `opp share accept` of every id it lists."""
    ids = [str(one["id"]) for one in opp.json("share", "invitations")]
    assert opp.ok("share", "accept", *ids) == f"Accepted invitation {', '.join(ids)}.\n"


def test_invitations_are_listed_without_the_name_then_accepted_or_declined(pair):
    alice, bob = pair
    assert bob.ok("share", "invitations") == "No invitations.\n"
    family = alice.json("share", "create", "Family")["id"]
    work = alice.json("share", "create", "Work")["id"]
    alice.ok("share", "add", "Family", bob.username, "--role", "write")
    alice.ok("share", "add", "Work", bob.username)
    assert alice.json("share")[0]["members"][1] == {"username": bob.username, "role": "write", "pending": True}
    assert f"{bob.username} (write, i" in alice.ok("share")  # "invited", as wide as the terminal allows
    table = bob.ok("share", "invitations").splitlines()
    assert table[0].split() == ["ID", "COLLECTION", "ROLE", "INVITED", "BY", "AT"]
    assert "Family" not in "".join(table)  # a name is the inviter's to choose: shown once accepted
    first, second = bob.json("share", "invitations")
    assert (first["collection"], first["role"], first["invited_by"]) == (family, "write", alice.username)
    assert bob.ok("share", "decline", str(second["id"])) == f"Declined invitation {second['id']}.\n"
    assert bob.ok("share", "accept", str(first["id"])) == f"Accepted invitation {first['id']}.\n"
    assert [(one["id"], one["role"]) for one in bob.json("share")] == [(family, "write")]
    assert [m["username"] for m in alice.json("share")[1]["members"]] == [alice.username]
    gone = bob("share", "accept", str(second["id"]))
    assert gone.returncode == 3 and f"Invitation {second['id']} does not exist or is not yours." in gone.stderr
    assert work != family


def test_errors_of_the_server_and_of_names_reach_the_user(pair):
    alice, _ = pair
    alice.ok("share", "create", "Family")
    # A name that names no user is invited like any other: nothing tells it apart.
    assert (
        alice.ok("share", "add", "Family", "nobody-such")
        == "nobody-such: read in 'Family' once they accept the invitation.\n"
    )
    missing = alice("share", "rename", "Nope", "X")
    assert missing.returncode == 1 and missing.stderr == "opp: no collection named 'Nope'; opp share lists yours\n"
    alice.ok("share", "create", "Family")
    several = alice("share", "delete", "family")
    assert several.returncode == 2 and "2 collections are named 'family'" in several.stderr
    bad_role = alice("share", "add", "Family", "x", "--role", "owner")
    assert bad_role.returncode == 64


def test_export_with_the_collections_names_them(pair):
    alice, bob = pair
    family = alice.json("share", "create", "Family")["id"]
    alice.ok("share", "add", "Family", bob.username)
    accept_all(bob)
    alice.api("PUT", "items", {"items": [{"name": "Wi-Fi", "password": "shared", "collection_id": family}]})
    bob.ok("add", "Own", "--password-stdin", input="mine\n")
    assert [item["name"] for item in json.loads(bob.ok("export", "-o", "-"))["items"]] == ["Own"]
    document = json.loads(bob.ok("export", "--include-collections", "-o", "-"))
    assert document["collections"] == [{"name": "Family"}]
    assert [(item["name"], item.get("collection")) for item in document["items"]] == [("Wi-Fi", 0), ("Own", None)]
