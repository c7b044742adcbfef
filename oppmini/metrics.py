"""Prometheus figures of every server process, and the /metrics answer an operator's scraper reads.

Off unless config `metrics_token` is set: then `NO_METRICS` is swapped for a
`Metrics` whose counters live in prometheus-client. Several processes (serve.py's
forked children, gunicorn's or mod_wsgi's workers) report together through
prometheus-client's multiprocess mode: each process writes its figures to
memory-mapped files in the folder named by PROMETHEUS_MULTIPROC_DIR, and one
scrape, whichever process answers it, adds up every file there. serve.py makes
that folder privately for each start (`shared_folder`); under another WSGI
host the operator names an empty one. prometheus-client reads the variable
when it is first imported, so nothing here imports it before the app is built.

Import and export counts belong here too once those features exist: one
more counter in `Metrics.__init__`, one method, and its call where the
feature finishes.
"""

import contextlib
import hmac
import os
import shutil
import tempfile

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
# The WSGI environ key where the app names the route a request took ("GET /v1/items").
ROUTE_KEY = "oppmini.route"
# Routes outside the URL map, so that a client cannot make up label values.
UNMATCHED = "other"
WEB_PAGE = "page"


class NoMetrics:
    """Metrics off: every figure is dropped where it is made, at the cost of one call."""

    enabled = False

    def request(self, route, status, seconds):
        pass

    def login(self, succeeded):
        pass

    def throttled(self, what):
        pass

    def kdf_wait(self, outcome):
        pass

    def key_cache(self, hit):
        pass

    def database_error(self, kind):
        pass


NO_METRICS = NoMetrics()


class Metrics(NoMetrics):
    """The figures of extensions.md §5, kept by prometheus-client for this process."""

    enabled = True

    def __init__(self):
        from prometheus_client import CollectorRegistry, Counter, Histogram

        # One registry per app: two apps in one process (the tests) never share a counter.
        self.registry = CollectorRegistry()
        self.multiprocess = bool(os.environ.get(MULTIPROC_VARIABLE))
        where = {"registry": self.registry, "namespace": "oppmini"}
        self._requests = Counter("requests", "Requests answered, by route and status.", ["route", "status"], **where)
        self._latency = Histogram(
            "request_duration_seconds", "Time from request to answer, by route.", ["route"], **where
        )
        self._logins = Counter("logins", "Password checks (logins, account changes), by result.", ["result"], **where)
        self._throttled = Counter(
            "throttled", "Guesses refused with 429 Too many attempts, by kind.", ["kind"], **where
        )
        self._kdf_waits = Counter(
            "argon2_slot_waits",
            "Argon2 checks that found every slot taken and waited, by outcome (got one, or gave up with 503).",
            ["outcome"],
            **where,
        )
        self._key_cache = Counter("key_cache_lookups", "Data-key cache lookups, by result.", ["result"], **where)
        self._db_errors = Counter("database_errors", "Database faults met by requests, by kind.", ["kind"], **where)

    def request(self, route, status, seconds):
        self._requests.labels(route, status).inc()
        self._latency.labels(route).observe(seconds)

    def login(self, succeeded):
        self._logins.labels("ok" if succeeded else "failed").inc()

    def throttled(self, what):
        self._throttled.labels(what).inc()

    def kdf_wait(self, outcome):
        self._kdf_waits.labels(outcome).inc()

    def key_cache(self, hit):
        self._key_cache.labels("hit" if hit else "miss").inc()

    def database_error(self, kind):
        self._db_errors.labels(kind).inc()

    def exposition(self):
        """(content type, body): every process's figures when they share a folder, else this one's."""
        from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess

        registry = self.registry
        if self.multiprocess:
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        return CONTENT_TYPE_LATEST, generate_latest(registry)


def build(config):
    """The app's metrics: NO_METRICS unless config `metrics_token` is set."""
    if not config.metrics_token:
        return NO_METRICS
    folder = os.environ.get(MULTIPROC_VARIABLE)
    if folder:
        # Private: the files show who uses the server how much.
        os.makedirs(folder, mode=0o700, exist_ok=True)
    return Metrics()


@contextlib.contextmanager
def shared_folder(config):
    """serve.py's processes report together: a private, empty folder for this start, removed at exit.

    Entered before any fork and before prometheus-client is imported; every
    child inherits the variable. A child that dies keeps its files, so the
    counts never go back; a new start begins at zero.
    """
    if not config.metrics_token:
        yield None
        return
    folder = tempfile.mkdtemp(prefix="oppmini-metrics-")
    previous = os.environ.get(MULTIPROC_VARIABLE)
    os.environ[MULTIPROC_VARIABLE] = folder
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if previous is None:
            os.environ.pop(MULTIPROC_VARIABLE, None)
        else:
            os.environ[MULTIPROC_VARIABLE] = previous


def bearer_matches(authorization, token):
    """Whether an Authorization header's value is `Bearer <token>`, compared in constant time."""
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8", "replace"), token.encode("ascii"))
