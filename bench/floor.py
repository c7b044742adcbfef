"""The floor: a bare WSGI app answering fixed ~100-byte JSON on waitress with its defaults.

The fixed reference every workload is measured against: no framework, no
database, no crypto, one process, waitress's default 4 threads.
"""

import json
import sys

import waitress

BODY = json.dumps(
    {"status": "ok", "service": "floor", "detail": "a fixed answer of one hundred bytes or so, no framework"}
).encode("ascii")
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def app(environ, start_response):
    start_response("200 OK", list(HEADERS))
    return [BODY]


if __name__ == "__main__":
    waitress.serve(app, host="127.0.0.1", port=int(sys.argv[1]))
