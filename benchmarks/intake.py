#!/usr/bin/env python
# SPDX-License-Identifier: EUPL-1.2
"""Intake benchmark: concurrent anonymous submissions and return-code checks against the real
ASGI server (2 uvicorn workers), on PostgreSQL when DATABASE_URL is set, else SQLite.

Each client does what a browser does: GET the form (CSRF cookie, token, idempotency key), POST
it, read the code from the page. Afterwards every acknowledged submission must be in the
database (lost = acknowledged but missing) and its code must open the thread.

Three phases, all with the same 50 concurrent clients (ADR 0008):

1. **Capacity** (closed loop): every client submits again as soon as its page arrived. The
   rate reached is the most the server sustains: ``submissions_per_s``. Latency here is only
   queueing (Little's law: 50 clients / rate), so it is printed but not the latency figure.
2. **Latency at the target rate** (open loop): submissions are scheduled at a fixed rate
   (``--rate``, default 100/s, the issue's target) and handed to the 50 clients; latency is
   measured from the *scheduled* start, so a server that falls behind is charged for the wait
   (no coordinated omission). ``p95_ms`` is the POST's p95 in this phase.
3. **Code checks**: 20 clients enter return codes of phase 1 (``code_checks_per_s``).

    .venv/bin/python benchmarks/intake.py [--clients 50] [--submissions 2000] [--rate 100]
        [--paced-seconds 20] [--checks 400]

Last line: intake submissions_per_s=<n> p95_ms=<n> code_checks_per_s=<n> lost=<n>
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.bench_server import ROOT, running_server

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IDEM = re.compile(r'name="idempotency_key" value="([0-9a-f]{32})"')
MUNI = re.compile(r'<option value="(\d+)">')
CODE = re.compile(r'id="return-code"[^>]*>([0-9A-Z-]+)<')


class Browser:
    """One HTTP/1.1 keep-alive connection with a cookie jar: a visitor's phone."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict[str, object] | None = None
    ) -> tuple[int, str, dict[str, str]]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.host}:{self.port}"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        text = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text, dict(response.headers)


def submit(browser: Browser, n: int, due: float | None = None) -> tuple[float, str | None]:
    """GET the form and POST it; the latency is the POST's. With ``due`` (open loop) the POST
    waits for its due time and its latency counts from then, also when it starts late."""
    status, html, _ = browser.request("GET", "/report/new?kind=report")
    token, idem, muni = TOKEN.search(html), IDEM.search(html), MUNI.findall(html)
    assert status == 200 and token and idem and muni, status
    form = {
        "csrfmiddlewaretoken": token.group(1),
        "idempotency_key": idem.group(1),
        "requested_kind": "report",
        "reporter_type": "bystander",
        "danger_now": "no",
        "violence_kinds": ["child_abuse", "partner_violence"],
        "violence_duration": "over_1_year",
        "narrative": f"Benchmarkmelding {n}: de buurvrouw schreeuwt en de kinderen huilen. " * 4,
        "municipality": muni[n % len(muni)],
        "anonymous": "yes",
        "person1_age": "8",
        "person1_relation": "child",
    }
    if due is not None and due > time.perf_counter():
        time.sleep(due - time.perf_counter())
    started = time.perf_counter() if due is None else min(time.perf_counter(), due)
    status, html, _ = browser.request("POST", "/report/new", form)
    elapsed = (time.perf_counter() - started) * 1000
    match = CODE.search(html)
    return elapsed, (match.group(1) if status == 200 and match else None)


def check(browser: Browser, code: str) -> bool:
    status, html, _ = browser.request("GET", "/return")
    token = TOKEN.search(html)
    assert token
    status, _, headers = browser.request(
        "POST", "/return", {"csrfmiddlewaretoken": token.group(1), "code": code}
    )
    return status == 302 and headers.get("location", headers.get("Location", "")).endswith(
        "/return/thread"
    )


def run_pool(clients: int, jobs: list[int], work) -> list[object]:
    results: list[object] = [None] * len(jobs)
    lock = threading.Lock()
    cursor = {"i": 0}

    def worker() -> None:
        browser = BROWSER_FACTORY()
        while True:
            with lock:
                i = cursor["i"]
                cursor["i"] += 1
            if i >= len(jobs):
                return
            results[i] = work(browser, jobs[i])

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def run_paced(clients: int, rate: float, seconds: float, first: int) -> list[object]:
    """Open loop: submission i is due at start + i/rate; the next free client takes it.

    The client fetches the form just before the due time (a visitor reads the form before
    sending it); the POST starts at its due time, or as soon as a client is free when all are
    busy — and then the wait counts in its latency.
    """
    begin = time.perf_counter() + 0.5

    def paced(browser: Browser, i: int) -> tuple[float, str | None]:
        due = begin + i / rate
        lead = due - time.perf_counter() - 0.05
        if lead > 0:
            time.sleep(lead)
        return submit(browser, first + i, due=due)

    return run_pool(clients, list(range(int(rate * seconds))), paced)


def contact_count(env: dict[str, str]) -> int:
    out = subprocess.run(
        [sys.executable, "-m", "vangnet.cli", "manage", "shell", "-c",
         "from vangnet.intake.models import Contact; print(Contact.objects.count())"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return int(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--checks", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=100.0, help="open-loop submissions/s")
    parser.add_argument("--paced-seconds", type=float, default=20.0)
    args = parser.parse_args()
    db = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(
        f"intake benchmark: {db}, {args.workers} server workers, {args.clients} clients, "
        f"{args.submissions} submissions, {args.checks} code checks, {os.cpu_count()} cores"
    )
    with running_server("intake", workers=args.workers) as (base, env):
        global BROWSER_FACTORY
        BROWSER_FACTORY = lambda: Browser(base)  # noqa: E731
        run_pool(4, list(range(8)), submit)  # warm-up: imports, connections, caches
        baseline = contact_count(env)
        started = time.perf_counter()
        results = run_pool(args.clients, list(range(args.submissions)), submit)
        wall = time.perf_counter() - started
        load_capacity = os.getloadavg()[0]
        closed = [r[0] for r in results]  # type: ignore[index]
        codes = [r[1] for r in results if r[1]]  # type: ignore[index]
        sample = codes[: args.checks]
        started = time.perf_counter()
        paced = run_paced(args.clients, args.rate, args.paced_seconds, args.submissions)
        paced_wall = time.perf_counter() - started
        load_paced = os.getloadavg()[0]
        latencies = [r[0] for r in paced]  # type: ignore[index]
        paced_codes = [r[1] for r in paced if r[1]]  # type: ignore[index]
        codes += paced_codes
        submitted = args.submissions + len(paced)
        failed = submitted - len(codes)
        started = time.perf_counter()
        checked = run_pool(min(args.clients, 20), sample, check)  # type: ignore[arg-type]
        check_wall = time.perf_counter() - started
        bad_checks = sum(1 for ok in checked if not ok)
        stored = contact_count(env) - baseline
    lost = max(0, len(codes) - stored) + bad_checks
    q_closed = statistics.quantiles(closed, n=100)
    q_paced = statistics.quantiles(latencies, n=100)
    p95 = q_paced[94]
    print(f"acknowledged {len(codes)} of {submitted} (failed: {failed}); stored {stored}")
    print(
        f"capacity (closed loop, {args.clients} clients): {args.submissions / wall:.1f} "
        f"submissions/s; POST latency (queueing) p50={statistics.median(closed):.0f} "
        f"p95={q_closed[94]:.0f} ms; load average {load_capacity:.1f}"
    )
    print(
        f"latency at {args.rate:g}/s (open loop, {args.clients} clients, {len(paced)} submissions"
        f" in {paced_wall:.1f} s = {len(paced) / paced_wall:.1f}/s): POST from its due time "
        f"p50={statistics.median(latencies):.0f} p95={p95:.0f} p99={q_paced[98]:.0f} "
        f"max={max(latencies):.0f} ms; load average {load_paced:.1f}"
    )
    print(f"code checks: {len(sample)} in {check_wall:.1f}s, failed {bad_checks}")
    print(
        f"intake submissions_per_s={args.submissions / wall:.1f} p95_ms={p95:.0f} "
        f"code_checks_per_s={len(sample) / check_wall:.1f} lost={lost}"
    )
    return 0


BROWSER_FACTORY = None

if __name__ == "__main__":
    raise SystemExit(main())
