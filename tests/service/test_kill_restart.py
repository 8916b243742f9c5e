"""SIGKILL the running service mid-append, restart it on the same SQLite file: every
acknowledged append is there, and no batch exists in part."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from .conftest import LEGAL, TOKENS_ENV

BATCH = 3


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(database: Path, port: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "iop_engine.service", "--port", str(port), "--workers", "1"]
    command += ["--database", f"sqlite:///{database}"]
    process = subprocess.Popen(
        command, env={**os.environ, **TOKENS_ENV}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("the service did not answer /health within 20 s")


def _batch(k: int) -> list[dict[str, Any]]:
    return [
        {
            "type": "funding_decided",
            "date": "2027-01-20",
            "year": 2027,
            "available": True,
            "note": f"b{k}-{j}",
        }
        for j in range(BATCH)
    ]


def test_acknowledged_appends_survive_sigkill_and_batches_stay_whole(tmp_path: Path) -> None:
    """Append batches of 3 in a loop; SIGKILL the server 0.8 s after the first acknowledgement;
    restart: every acknowledged batch is stored, every stored batch is complete, and every record
    names its author."""
    database = tmp_path / "events.sqlite3"
    port = _free_port()
    server = _start(database, port)
    base = f"http://127.0.0.1:{port}"
    killer = threading.Timer(0.8, lambda: server.send_signal(signal.SIGKILL))
    acked: list[int] = []
    try:
        httpx.put(f"{base}/v1/streams/k", json={"agreement": "helsingborg-iop-2025"}, headers=LEGAL)
        version = 0
        with httpx.Client(base_url=base, headers=LEGAL, timeout=10) as http:
            for k in range(10_000):
                try:
                    response = http.post(
                        "/v1/streams/k/events", json={"expected_version": version, "events": _batch(k)}
                    )
                except httpx.TransportError:
                    break
                assert response.status_code == 201, response.text
                acked.append(k)
                version = response.json()["version"]
                if k == 0:
                    # The first append waits for the engine to warm up; the kill lands later.
                    killer.start()
    finally:
        killer.cancel()
        server.kill()
        server.wait()
    assert acked, "no append was acknowledged before the kill"
    restarted = _start(database, port)
    try:
        events = httpx.get(f"{base}/v1/streams/k/events", headers=LEGAL).json()["events"]
    finally:
        restarted.terminate()
        restarted.wait(timeout=20)
    notes = [e["event"]["note"] for e in events]
    assert all(e["author"] == {"name": "lawyer", "role": "legal"} for e in events)
    stored_batches = {note.split("-")[0] for note in notes}
    for batch in stored_batches:
        assert sorted(n for n in notes if n.startswith(batch + "-")) == [f"{batch}-{j}" for j in range(BATCH)]
    assert {f"b{k}" for k in acked} <= stored_batches
    assert len(stored_batches) <= len(acked) + 1
