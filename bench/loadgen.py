"""A Python load generator for machines without wrk: N keep-alive connections, one thread each.

Slower than wrk (the client competes for the GIL and the cores), so its
figures are lower; the floor is measured the same way, which keeps the
shares comparable.
"""

import http.client
import threading
import time


def percentile(sorted_values, fraction):
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def run(port, method, path, headers, body, connections, seconds):
    """The same summary as bench/wrk.lua prints: requests, duration, p50/p99 (µs), errors."""
    payload = body.encode("utf-8") if body else None
    headers = dict(headers)
    if payload is not None:
        headers["Content-Type"] = "application/json"
    latencies, counts, lock = [], {"non_2xx": 0, "socket_errors": 0}, threading.Lock()
    start = time.monotonic()
    deadline = start + seconds

    def worker():
        mine, bad, broken = [], 0, 0
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            began = time.perf_counter()
            try:
                conn.request(method, path, body=payload, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                broken += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append(time.perf_counter() - began)
            bad += not 200 <= response.status < 300
        conn.close()
        with lock:
            latencies.extend(mine)
            counts["non_2xx"] += bad
            counts["socket_errors"] += broken

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "duration_us": int(elapsed * 1e6),
        "p50_us": int(percentile(latencies, 0.50) * 1e6),
        "p99_us": int(percentile(latencies, 0.99) * 1e6),
        **counts,
    }
