"""The workloads of `make bench` that load the server, their targets, and the table of their figures."""

from dataclasses import dataclass

from bench import seed

# W2 may cost the configured Argon2 verification plus at most this.
LOGIN_OVERHEAD_MS = 10


@dataclass(frozen=True)
class Workload:
    """One request loaded on the server, and its target share of the floor."""

    key: str
    title: str
    method: str
    path: str
    user: str | None = None  # whose token and passphrase the request carries
    body: object = None  # a JSON body, or a function of the seeded data giving one
    slow: bool = False  # runs for --slow-seconds
    target: float | None = None  # minimum share of the floor, in percent


WORKLOADS = (
    Workload("W1", "GET /v1/health", "GET", "/v1/health", target=80),
    Workload("W2", "POST /v1/auth", "POST", "/v1/auth", body=seed.login_body, slow=True),
    Workload("W3", "GET /v1/fetchall, 5 categories, 50 items", "GET", "/v1/fetchall", user="reader", target=3.5),
    Workload("W4", "GET /v1/fetchall, 2,000 items", "GET", "/v1/fetchall", user="large", slow=True, target=0.09),
    Workload(
        "W5", "PUT /v1/items, one new item", "PUT", "/v1/items", user="writer", body=seed.new_item_body, target=15
    ),
    Workload(
        "W6",
        "POST /v1/items, update one item",
        "POST",
        "/v1/items",
        user="writer",
        body=seed.update_item_body,
        target=15,
    ),
    Workload("W7", "GET /v1/items, 50 items", "GET", "/v1/items", user="reader", target=3.5),
    # W8 opens the same records as W4 without answering every item: W4's target. W9 adds a seed parse
    # and an HMAC per item, about as much again as the open: no target until one is agreed.
    Workload(
        "W8",
        "GET /v1/search?q=acct-0001, 2,000 items",
        "GET",
        "/v1/search?q=acct-0001",
        user="large",
        slow=True,
        target=0.09,
    ),
    Workload("W9", "GET /v1/totp, 50 items with seeds", "GET", "/v1/totp", user="reader"),
    # W13 finds the page's items by their domain tags and opens those 3 of W4's 2,000 (bench/seed.py
    # gives them one site): at least 20 x W4's target share of the floor (0.09 %).
    Workload(
        "W13",
        "GET /v1/match, 2,000 items, 3 of the page's site",
        "GET",
        "/v1/match?url=" + seed.MATCH_PAGE,
        user="large",
        target=1.8,
    ),
)
# W13 against W4 in the same run (browser.md section 1: the answer opens only the candidates).
MATCH_OVER_FETCHALL = 20
# Single slow requests, measured by bench/transfer.py rather than under load.
TRANSFERS = ("W10", "W11")
# A member's fetchall timed in turn with a personal one (bench/sharing.py).
SHARED = "W12"


def print_table(results, floor, serving):
    """The workloads' figures against the floor, each marked against its target."""
    print(
        f"\nserver: {serving['processes']} process(es) x {serving['threads']} thread(s); "
        f"floor: 1 process x 4 threads, median of {len(floor['runs_req_per_s'])} runs {floor['runs_req_per_s']}"
    )
    print(
        f"{'id':<6}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'floor r/s':>11}{'floor %':>10}{'target %':>10}"
        f"{'non-2xx':>9}  request"
    )
    print(
        f"{'floor':<6}{floor['req_per_s']:>10}{floor['p50_ms']:>10}{floor['p99_ms']:>10}{'':>11}{100:>10}{'':>10}"
        f"{floor['non_2xx']:>9}  bare WSGI, waitress defaults (median run)"
    )
    for workload in WORKLOADS:
        if workload.key not in results:
            continue
        row = results[workload.key]
        target = f"{workload.target}" if workload.target is not None else ""
        mark = (
            "" if workload.target is None else ("  ok" if row["share_of_floor_pct"] >= workload.target else "  MISSED")
        )
        print(
            f"{workload.key:<6}{row['req_per_s']:>10}{row['p50_ms']:>10}{row['p99_ms']:>10}"
            f"{row['floor_req_per_s']:>11}{row['share_of_floor_pct']:>10}{target:>10}"
            f"{row['non_2xx'] + row['socket_errors']:>9}  {workload.title}{mark}"
        )
    if "W4" in results and "W13" in results:
        ratio = round(results["W13"]["req_per_s"] / results["W4"]["req_per_s"], 1)
        mark = "ok" if ratio >= MATCH_OVER_FETCHALL else "MISSED"
        print(f"W13 / W4 req/s: {ratio} (target >= {MATCH_OVER_FETCHALL})  {mark}")
