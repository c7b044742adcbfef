"""Benchmark accounts and their vaults, made through the API as any client would."""

import base64
import json
import secrets
import string
import urllib.error
import urllib.request

PASSWORD = "bench password 1"
PHRASE = "bench passphrase 1"
TOKEN_SECONDS = 4 * 3600
ALPHABET = string.ascii_letters + string.digits + string.punctuation
# Vault sizes per account: (categories, items).
VAULTS = {"login": (0, 0), "reader": (5, 50), "large": (5, 2000), "writer": (1, 1)}
# Rows per PUT: within the server's default max_rows.
BATCH = 500
# W13's page: three of the large vault's items belong to its site (example0.com), every other item to a
# site of its own.
MATCH_PAGE = "https%3A%2F%2Flogin.example0.com%2Fsignin"
MATCH_SITE_URLS = ("https://www.example0.com/", "example0.com")


def call(base, method, path, body=None, headers=None):
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(base + path, data=data, method=method, headers=dict(headers or {}))
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def expect_ok(base, method, path, body=None, headers=None):
    status, answer = call(base, method, path, body, headers)
    if not 200 <= status < 300:
        raise SystemExit(f"seeding: {method} {path} answered {status}: {answer!r}")
    return answer


def random_text(length):
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def item_fields(number, category_id=None):
    """An item with realistic fields: a 20-character password, a 200-character blob and, as the larger
    record of the richer items, a TOTP URI with a 160-bit seed and two custom fields, one hidden."""
    seed = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
    return {
        "name": f"Service {number}",
        "url": f"https://login.example{number}.com/account",
        "account": f"acct-{number:05d}",
        "username": f"user{number}@example.org",
        "password": random_text(20),
        "blob": random_text(200),
        "totp": f"otpauth://totp/Service%20{number}:user{number}?secret={seed}&issuer=Service%20{number}",
        "fields": [
            {"name": "PIN", "value": f"{number % 10000:04d}", "hidden": True},
            {"name": "Support", "value": f"https://help.example{number}.com", "hidden": False},
        ],
        "favorite": number % 10 == 0,
        "match": "domain",
        "category_id": category_id,
        **typed_fields(number),
    }


def typed_fields(number):
    """One item in ten a card and one an identity, with every field of its type; the others logins."""
    if number % 10 == 1:
        card = {
            "cardholder": f"Holder {number}",
            "number": _luhn(f"4{number:014d}"),
            "exp_month": "07",
            "exp_year": "2031",
        }
        return {"type": "card", "card": {**card, "brand": "Visa", "code": f"{number % 1000:03d}"}}
    if number % 10 == 2:
        identity = {
            **{name: f"{name} {number}" for name in IDENTITY_TEXTS},
            "postcode": f"{number:05d}",
            "phone": f"+1 555 {number:07d}",
            "email": f"person{number}@example.org",
        }
        return {"type": "identity", "identity": identity}
    return {"type": "login"}


def _luhn(digits):
    """`digits` and the check digit that makes them pass Luhn, as a real card number does."""
    total = sum(
        int(d) * (1 if at % 2 else 2) - (9 if int(d) * (1 if at % 2 else 2) > 9 else 0)
        for at, d in enumerate(reversed(digits))
    )
    return digits + str(-total % 10)


IDENTITY_TEXTS = (
    "title",
    "first_name",
    "middle_name",
    "last_name",
    "company",
    "address1",
    "address2",
    "address3",
    "city",
    "state",
    "country",
    "ssn",
    "passport_number",
    "license_number",
)


def sealed_fields(number):
    """item_fields(number) as a sealed record holds them (oppmini/seal/records.py), for in-process runs."""
    fields = item_fields(number)
    del fields["category_id"]
    item_type = fields["type"]
    typed = fields.pop(item_type, {})
    return {**fields, "typed": typed}


class Seeded:
    """What the workloads need: each account's headers and the ids they touch."""

    def __init__(self, base):
        self.base = base
        self.tokens = {}
        self.item_ids = {}

    def headers(self, user):
        return {"x-opp-jwt": self.tokens[user], "x-opp-phrase": PHRASE}

    def check(self, method, path, headers, body):
        """One request first, so a workload that cannot succeed fails loudly, not as 100% errors."""
        status, answer = call(self.base, method, path, None if body is None else json.loads(body), headers)
        if not 200 <= status < 300:
            raise SystemExit(f"{method} {path} answered {status}: {answer!r}")


def seed(base, needs):
    data = Seeded(base)
    for user in sorted(needs | {"login"}):
        expect_ok(base, "PUT", "/v1/user", {"username": user, "password": PASSWORD, "phrase": PHRASE})
        answer = expect_ok(
            base, "POST", "/v1/auth", {"username": user, "password": PASSWORD, "exp_delta": TOKEN_SECONDS}
        )
        data.tokens[user] = answer["access_token"]
        categories, items = VAULTS[user]
        if not categories and not items:
            continue
        headers = data.headers(user)
        names = [f"Category {number}" for number in range(categories)]
        made = expect_ok(base, "PUT", "/v1/categories", {"category_names": names}, headers)["categories"]
        category_ids = [category["id"] for category in made]
        ids = []
        for start in range(0, items, BATCH):
            rows = [
                item_fields(n, category_ids[n % len(category_ids)]) for n in range(start, min(items, start + BATCH))
            ]
            ids += [item["id"] for item in expect_ok(base, "PUT", "/v1/items", {"items": rows}, headers)["items"]]
        data.item_ids[user] = ids
    if "large" in needs:
        moved = data.item_ids["large"][1 : 1 + len(MATCH_SITE_URLS)]  # item 0 is at example0.com already
        rows = [{"id": item_id, "url": url} for item_id, url in zip(moved, MATCH_SITE_URLS, strict=True)]
        expect_ok(base, "POST", "/v1/items", {"items": rows}, data.headers("large"))
    return data


def login_body(data):
    return {"username": "login", "password": PASSWORD}


def new_item_body(data):
    return {"items": [item_fields(1)]}


def update_item_body(data):
    return {"items": [{"id": data.item_ids["writer"][0], "password": random_text(20), "blob": random_text(200)}]}
