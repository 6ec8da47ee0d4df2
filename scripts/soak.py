#!/usr/bin/env python3
"""Soak test for a running plumb on 127.0.0.1 (scripts/soak.sh starts one): mixed reads,
writes and key regenerations for a fixed time, then a report of errors, latency (p50, p99)
and the server's resident memory at the start, after warm-up, at the end and after a short
idle. Only the standard library; talks to the given loopback URL only; stops by itself.

Usage: soak.py --url http://127.0.0.1:18081 --pid PID --email E --password P
               [--minutes 10] [--warmup 60] [--workers 4]
"""

import argparse
import glob
import http.client
import json
import os
import random
import threading
import time
import urllib.parse


def rss_kib(pid):
    """The server's resident set size in KiB (Linux)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Client:
    """One keep-alive connection; reconnects after an error."""

    def __init__(self, url):
        parsed = urllib.parse.urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port
        if self.host not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("soak.py only talks to a server on the loopback interface")
        self.connection = None

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["content-type"] = "application/json"
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.connection.request(method, path, payload, headers)
                response = self.connection.getresponse()
                data = response.read()
                return response.status, response.getheader("set-cookie"), data
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                if attempt == 1:
                    raise
        raise RuntimeError("unreachable")


class Shared:
    """The current key, its generation, and the counters every thread adds to."""

    def __init__(self):
        self.lock = threading.Lock()
        self.key = None
        self.generation = 0
        # True from just before a regeneration is asked for until the new key is in `key`: a
        # 401 for the old key meanwhile is expected.
        self.regenerating = False
        self.latencies = []
        self.requests = 0
        self.errors = []
        self.stale = 0
        self.regenerations = 0
        self.effective = 0

    def current(self):
        with self.lock:
            return self.key, self.generation, self.regenerating

    def note(self, latency, problem=None):
        with self.lock:
            self.requests += 1
            self.latencies.append(latency)
            if problem:
                self.errors.append(problem)


def sign_in(client, email, password):
    status, cookie, data = client.request(
        "POST", "/api/v1/session", {"email": email, "password": password}
    )
    if status != 200:
        raise SystemExit(f"sign-in failed: {status} {data[:200]!r}")
    return {
        "cookie": cookie.split(";")[0],
        "x-csrf-token": json.loads(data)["csrf_token"],
    }


def worker(url, shared, groups, stop):
    client = Client(url)
    while not stop.is_set():
        key, generation, regenerating = shared.current()
        auth = {"authorization": key}
        roll = random.random()
        started = time.perf_counter()
        try:
            if roll < 0.55:
                expected = (200,)
                status, _, data = client.request("GET", f"/v2/groups/{random.choice(groups)}", headers=auth)
            elif roll < 0.70:
                expected = (200,)
                status, _, data = client.request("GET", "/v2/groups?limit=20", headers=auth)
            elif roll < 0.80:
                expected = (200,)
                status, _, data = client.request("GET", "/v2/devices?limit=20", headers=auth)
            elif roll < 0.90:
                expected = (200,)
                name = f"soak {random.randrange(1 << 30)}"
                status, _, data = client.request(
                    "PATCH", f"/v2/groups/{random.choice(groups)}", {"name": name}, headers=auth
                )
            else:
                expected = (201,)
                name = f"soak temporary {random.randrange(1 << 40)}"
                status, _, data = client.request("POST", "/v2/groups", {"name": name}, headers=auth)
                if status == 201:
                    created = json.loads(data)["id"]
                    status, _, data = client.request("DELETE", f"/v2/groups/{created}", headers=auth)
                    expected = (200, 204)
        except OSError as error:
            shared.note(time.perf_counter() - started, f"connection error: {error}")
            continue
        latency = time.perf_counter() - started
        _, now_generation, now_regenerating = shared.current()
        if status == 401 and (regenerating or now_regenerating or now_generation != generation):
            # The key was regenerated while this request was on its way: expected.
            with shared.lock:
                shared.stale += 1
            continue
        problem = None if status in expected else f"{status} {data[:120]!r}"
        shared.note(latency, problem)


def regenerator(url, shared, key_id, session, stop, every):
    client = Client(url)
    while not stop.wait(every):
        old, _, _ = shared.current()
        with shared.lock:
            shared.regenerating = True
        status, _, data = client.request(
            "POST", f"/api/v1/api-keys/{key_id}/regenerate", {}, headers=session
        )
        if status != 200:
            with shared.lock:
                shared.regenerating = False
            shared.note(0, f"regenerate: {status} {data[:120]!r}")
            continue
        new = json.loads(data)["key"]
        with shared.lock:
            shared.key = new
            shared.generation += 1
            shared.regenerating = False
            shared.regenerations += 1
        old_status, _, _ = client.request("GET", "/v2/groups?limit=1", headers={"authorization": old})
        new_status, _, _ = client.request("GET", "/v2/groups?limit=1", headers={"authorization": new})
        if old_status == 401 and new_status == 200:
            with shared.lock:
                shared.effective += 1
        else:
            shared.note(0, f"regenerate not effective: old {old_status}, new {new_status}")


def database_mib(data_dir):
    """The size of the SQLite files in the data directory (0 for PostgreSQL)."""
    if not data_dir:
        return 0.0
    total = sum(os.path.getsize(path) for path in glob.glob(os.path.join(data_dir, "plumb.db*")))
    return round(total / 1048576, 1)


def sampler(pid, data_dir, samples, stop, every):
    started = time.monotonic()
    while not stop.wait(every):
        samples.append((round(time.monotonic() - started), round(rss_kib(pid) / 1024, 1),
                        database_mib(data_dir)))


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=60, help="seconds")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--regenerate-every", type=float, default=10, help="seconds")
    parser.add_argument("--data-dir", default="", help="to report the database's size")
    parser.add_argument("--sample-every", type=float, default=30, help="seconds")
    args = parser.parse_args()

    rss_start = rss_kib(args.pid)
    client = Client(args.url)
    session = sign_in(client, args.email, args.password)
    status, _, data = client.request(
        "POST", "/api/v1/api-keys", {"description": "Soak", "access": "read_write"}, headers=session
    )
    if status != 201:
        raise SystemExit(f"could not create a key: {status} {data[:200]!r}")
    created = json.loads(data)
    shared = Shared()
    shared.key = created["key"]
    groups = []
    for n in range(20):
        status, _, data = client.request(
            "POST", "/v2/groups", {"name": f"soak group {n}"}, headers={"authorization": shared.key}
        )
        groups.append(json.loads(data)["id"])

    stop = threading.Event()
    threads = [threading.Thread(target=worker, args=(args.url, shared, groups, stop)) for _ in range(args.workers)]
    threads.append(
        threading.Thread(
            target=regenerator,
            args=(args.url, shared, created["id"], session, stop, args.regenerate_every),
        )
    )
    samples = []
    threads.append(
        threading.Thread(
            target=sampler, args=(args.pid, args.data_dir, samples, stop, args.sample_every)
        )
    )
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(args.warmup)
    rss_warm = rss_kib(args.pid)
    with shared.lock:
        warm_requests = shared.requests
    remaining = args.minutes * 60 - args.warmup
    time.sleep(max(0.0, remaining))
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    rss_end = rss_kib(args.pid)
    time.sleep(10)
    rss_idle = rss_kib(args.pid)

    growth = 100.0 * (rss_end - rss_warm) / rss_warm if rss_warm else 0.0
    report = {
        "seconds": round(elapsed, 1),
        "requests": shared.requests,
        "requests_per_second": round(shared.requests / elapsed, 1),
        "requests_after_warmup": shared.requests - warm_requests,
        "errors": len(shared.errors),
        "stale_key_401s": shared.stale,
        "regenerations": shared.regenerations,
        "regenerations_effective_on_next_request": shared.effective,
        "p50_ms": round(1000 * percentile(shared.latencies, 0.50), 2),
        "p99_ms": round(1000 * percentile(shared.latencies, 0.99), 2),
        "rss_mib_start": round(rss_start / 1024, 1),
        "rss_mib_after_warmup": round(rss_warm / 1024, 1),
        "rss_mib_end": round(rss_end / 1024, 1),
        "rss_mib_idle_10s_after": round(rss_idle / 1024, 1),
        "rss_growth_after_warmup_percent": round(growth, 1),
        "database_mib_end": database_mib(args.data_dir),
        "samples_seconds_rss_mib_database_mib": samples,
    }
    print(json.dumps(report, indent=2))
    for problem in shared.errors[:20]:
        print("error:", problem)
    return 1 if shared.errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
