"""W13 in process by vault size: GET /v1/match with 200, 2,000 and 20,000 items, 3 of them the page's site.

The bound: at every size a match costs at most the request's fixed cost plus
3 x the cost of opening one record (it opens the page's 3 items, whatever the
vault holds). The fixed cost is the same request for a page of a site no
item belongs to: the same route, token, passphrase, tag and index look-up,
with nothing to open, so the difference is what the 3 items add. The open cost
is records.open_items, which the match opens its candidates with, on one
sealed item record at a time; records.open_item, the record-by-record way
(without the batch's set-up, which the match pays once), is printed beside it.

Run alone with `python -m bench.match_scaling`; `make bench` runs it with the
other in-process figures.
"""

import secrets
import statistics
import tempfile
import time
from pathlib import Path

from bench import seed
from bench.inprocess import Wsgi
from oppmini.config import Config
from oppmini.seal import crypto, records
from oppmini.web.app import make_app

SIZES = (200, 2000, 20000)
# The page's items, all of one site; every other item has a site of its own.
SITE_URLS = ("https://login.example0.com/account", "https://www.example0.com/", "example0.com")
PAGE = "/v1/match?url=" + seed.MATCH_PAGE
EMPTY_PAGE = "/v1/match?url=https%3A%2F%2Flogin.nowhere.example%2Fsignin"
# The most a match may cost above its fixed cost, in record opens.
OPENS_BOUND = 3
CALLS = 200
OPEN_SAMPLES = 500


def site_item(number):
    """An item of a site of its own (of the page's site for the first 3), cheap to make by the thousand."""
    url = SITE_URLS[number] if number < len(SITE_URLS) else f"https://login.example{number}.com/account"
    return {
        "name": f"Service {number}",
        "url": url,
        "username": f"user{number}@example.org",
        "password": secrets.token_urlsafe(15),
        "blob": secrets.token_urlsafe(150),
        "match": "domain",
    }


def median_us(timings):
    return statistics.median(timings) * 1e6


def one_open_us():
    """Median µs of records.open_items and of records.open_item on one item record, over distinct records
    sealed as the vault does."""
    key = crypto.DataKey(crypto.new_data_key())
    sealed = []
    for item_id in range(1, OPEN_SAMPLES + 1):
        # The record as the vault seals one of site_item's: the fields not sent hold their defaults.
        fields = {"account": "", **records.extra_defaults(), **site_item(item_id)}
        sealed.append((item_id, records.seal_item(key, 1, item_id, fields)))
    batch, single = [], []
    for item_id, record in sealed:
        began = time.perf_counter()
        records.open_items(key, 1, [(item_id, record)])
        batch.append(time.perf_counter() - began)
        began = time.perf_counter()
        records.open_item(key, 1, item_id, record)
        single.append(time.perf_counter() - began)
    return median_us(batch), median_us(single)


def measure(sizes=SIZES):
    """{"rows": one per size: match, fixed and open cost, and (match - fixed) / open}."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="oppmini-match-") as folder:
        call = Wsgi(make_app(Config(db_connect=f"sqlite:///{Path(folder)}/bench.db", allow_signup=True)))
        call("PUT", "/v1/user", {"username": "bench", "password": seed.PASSWORD, "phrase": seed.PHRASE})
        token = call("POST", "/v1/auth", {"username": "bench", "password": seed.PASSWORD})["access_token"]
        headers = {"x-opp-jwt": token, "x-opp-phrase": seed.PHRASE}
        stored, grow_seconds = 0, 0.0
        for size in sizes:
            began = time.perf_counter()
            while stored < size:
                batch = [site_item(n) for n in range(stored, min(size, stored + seed.BATCH))]
                call("PUT", "/v1/items", {"items": batch}, headers)
                stored += len(batch)
            grow_seconds += time.perf_counter() - began
            if len(call("GET", PAGE, None, headers)["items"]) != len(SITE_URLS):
                raise SystemExit(f"GET {PAGE} did not find the page's {len(SITE_URLS)} items")
            match, fixed = [], []
            for _ in range(CALLS):  # in turn, so that a shared machine's load weighs on both alike
                for timings, path in ((match, PAGE), (fixed, EMPTY_PAGE)):
                    began = time.perf_counter()
                    call.serve("GET", path, None, headers)
                    timings.append(time.perf_counter() - began)
            open_us, open_item_us = one_open_us()
            match_us, fixed_us = median_us(match), median_us(fixed)
            rows.append(
                {
                    "items": size,
                    "match_ms": round(match_us / 1000, 3),
                    "fixed_ms": round(fixed_us / 1000, 3),
                    "open_us": round(open_us, 1),
                    "opens": round((match_us - fixed_us) / open_us, 2),
                    "open_item_us": round(open_item_us, 1),
                    "open_items": round((match_us - fixed_us) / open_item_us, 2),
                }
            )
    return {"calls": CALLS, "seeding_s": round(grow_seconds, 1), "rows": rows}


def print_report(figures):
    print(
        f"\nW13 in-process: GET /v1/match, 3 items of the page's site, median of {figures['calls']} calls in turn "
        f"with the same request for a site of no item (fixed); open = records.open_items of one item record "
        f"(vaults grown through PUT /v1/items in {figures['seeding_s']} s)"
    )
    print(
        f"{'items':>8}{'match ms':>10}{'fixed ms':>10}{'open µs':>9}{'(match - fixed) / open':>24}{'':>22}"
        f"{'open_item µs':>14}{'/ open_item':>13}"
    )
    for row in figures["rows"]:
        mark = "ok" if row["opens"] <= OPENS_BOUND else "MISSED"
        print(
            f"{row['items']:>8}{row['match_ms']:>10}{row['fixed_ms']:>10}{row['open_us']:>9}{row['opens']:>24}"
            f"{f'  (target <= {OPENS_BOUND})  {mark}':<22}{row['open_item_us']:>14}{row['open_items']:>13}"
        )


if __name__ == "__main__":
    print_report(measure())
