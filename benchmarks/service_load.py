"""Bounded load on loopback: "who must approve" and appends, with the service on SQLite and on
PostgreSQL, then two service processes sharing one PostgreSQL database.

Each phase stops after COUNT requests or SECONDS, whichever comes first. Prints figures and a
JSON line; asserts no timings (only that the shared database holds every acknowledged append).

    .venv/bin/python benchmarks/service_load.py [--count 400] [--seconds 10] [--clients 4]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import psycopg

from iop_engine.service.auth import token_line

TOKEN = "bench-" + "b" * 30
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(database: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "IOP_SERVICE_TOKENS": token_line(TOKEN, "legal")}
    command = [sys.executable, "-m", "iop_engine.service", "--port", str(port), "--database", database]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{base}/health", timeout=1)
            # The first replay waits for the engine workers to warm up; keep that out of the figures.
            httpx.get(f"{base}/v1/agreements/helsingborg-iop-2025/timeline", headers=HEADERS, timeout=30)
            return process, base
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"the service on {database} did not start")


def figures(name: str, latencies: list[float], elapsed: float, errors: int) -> dict[str, Any]:
    ordered = sorted(latencies)
    result = {
        "phase": name,
        "requests": len(ordered),
        "errors": errors,
        "per_second": round(len(ordered) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
    }
    print(f"{name:40} {result['requests']:5} req  {result['per_second']:8} req/s  "
          f"p50 {result['p50_ms']:7} ms  p99 {result['p99_ms']:7} ms  errors {errors}")  # fmt: skip
    return result


def approvals_load(base: str, count: int, seconds: float, clients: int) -> tuple[list[float], float, int]:
    params = {"affects": ["commitments"], "substantial": "true"}
    url = f"{base}/v1/agreements/stockholm-sof-2025-144/approvals"
    deadline = time.monotonic() + seconds

    def one_client(n: int) -> tuple[list[float], int]:
        latencies, errors = [], 0
        with httpx.Client(headers=HEADERS, timeout=30) as http:
            for _ in range(n):
                if time.monotonic() > deadline:
                    break
                began = time.perf_counter()
                ok = http.get(url, params=params).status_code == 200
                latencies.append(time.perf_counter() - began)
                errors += not ok
        return latencies, errors

    return run_clients(one_client, count, clients)


def run_clients(one_client: Any, count: int, clients: int) -> tuple[list[float], float, int]:
    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(one_client, [count // clients] * clients))
    elapsed = time.perf_counter() - began
    return [x for lat, _ in results for x in lat], elapsed, sum(e for _, e in results)


def appends_load(
    bases: list[str], count: int, seconds: float, clients: int
) -> tuple[list[float], float, int, int]:
    """Each client appends to its own stream (one event per request) through the bases in turn."""
    deadline = time.monotonic() + seconds
    acked = [0]

    def one_client(n: int) -> tuple[list[float], int]:
        stream = f"bench-{uuid.uuid4().hex[:12]}"
        latencies, errors, version = [], 0, 0
        with httpx.Client(headers=HEADERS, timeout=30) as http:
            http.put(f"{bases[0]}/v1/streams/{stream}", json={"agreement": "helsingborg-iop-2025"})
            for i in range(n):
                if time.monotonic() > deadline:
                    break
                event = {"type": "funding_decided", "date": "2027-01-20", "year": 2027, "available": True}
                began = time.perf_counter()
                response = http.post(
                    f"{bases[i % len(bases)]}/v1/streams/{stream}/events",
                    json={"expected_version": version, "events": [event]},
                )
                latencies.append(time.perf_counter() - began)
                if response.status_code == 201:
                    version += 1
                    acked[0] += 1
                else:
                    errors += 1
        return latencies, errors

    latencies, elapsed, errors = run_clients(one_client, count, clients)
    return latencies, elapsed, errors, acked[0]


def stored_events(schema: str) -> int:
    with psycopg.connect(POSTGRES) as conn:
        row = conn.execute(f"SELECT count(*) FROM {schema}.events WHERE stream_id LIKE 'bench-%'").fetchone()
    return int(row[0]) if row else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=400, help="requests per phase")
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit per phase")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    args = parser.parse_args()
    results: list[dict[str, Any]] = []
    schema = f"iop_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    pg_url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name, url in (("sqlite", f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"), ("postgresql", pg_url)):
                process, base = start(url)
                try:
                    lat, elapsed, errors = approvals_load(base, args.count, args.seconds, args.clients)
                    results.append(figures(f"who must approve ({name})", lat, elapsed, errors))
                    lat, elapsed, errors, _ = appends_load([base], args.count, args.seconds, args.clients)
                    results.append(figures(f"append ({name})", lat, elapsed, errors))
                finally:
                    process.terminate()
                    process.wait()
        before = stored_events(schema)
        servers = [start(pg_url), start(pg_url)]
        try:
            lat, elapsed, errors, acked = appends_load(
                [b for _, b in servers], args.count, args.seconds, args.clients
            )
            results.append(figures("append (2 services, one PostgreSQL)", lat, elapsed, errors))
        finally:
            for process, _ in servers:
                process.terminate()
                process.wait()
        stored = stored_events(schema) - before
        consistent = stored == acked
        print(
            f"two services: {acked} appends acknowledged, {stored} stored: "
            + ("consistent" if consistent else "LOST OR EXTRA")
        )
        results.append(
            {"phase": "shared database", "acknowledged": acked, "stored": stored, "consistent": consistent}
        )
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")
    print(json.dumps(results))
    if not consistent:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
