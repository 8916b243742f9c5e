"""Run work that touches the inference core in a child process, so a native crash of its C
code is reported as `EngineCrashed` instead of taking the caller's process down.

The child is forked: it inherits the loaded agreements, and only the result travels back
(pickled through a pipe). Errors raised in the child are re-raised in the parent unchanged.

What the child writes to stderr goes to a `CrashLog`: after a crash, Python's dump of the dying
process (faulthandler: "Fatal Python error: Segmentation fault" and the stack) and anything the
core printed are the `output` of the `EngineCrashed`, to report with the input, instead of being
spliced into the caller's terminal; after a normal end it is passed on to the caller's stderr.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal
import sys
import tempfile
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from iop_engine.errors import EngineCrashed

T = TypeVar("T")


class CrashLog:
    """A file that a forked child's stderr and crash dump go to, read by the parent."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 - open for the child's whole life

    def capture(self) -> None:
        """In the child: stderr and the fatal-error dump (which the parent may have pointed at
        the terminal, as pytest does) to the log."""
        sys.stderr.flush()
        os.dup2(self.file.fileno(), 2)
        faulthandler.enable(file=self.file)

    def read(self) -> str:
        """What the child wrote; the log is closed after."""
        with self.file:
            self.file.seek(0)
            return self.file.read().decode("utf-8", errors="replace")

    def pass_on(self) -> None:
        """After a normal end: what the child wrote, to the caller's stderr."""
        written = self.read()
        if written:
            sys.stderr.write(written)


def died(process: BaseProcess) -> str:
    """How a child that ended without an answer died: the signal or the exit status."""
    process.join()
    code = process.exitcode or 0
    return f"signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"


def _child(
    conn: Any, log: CrashLog, func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    log.capture()
    try:
        conn.send(("ok", func(*args, **kwargs)))
    except BaseException as error:
        conn.send(("error", error))
    finally:
        conn.close()


def run_isolated(func: Callable[..., T], *args: Any, what: str = "replay", **kwargs: Any) -> T:
    """`func(*args, **kwargs)` in a forked child; `EngineCrashed` if the child dies."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    log = CrashLog()
    process = context.Process(target=_child, args=(sender, log, func, args, kwargs), daemon=True)
    process.start()
    sender.close()
    try:
        status, payload = receiver.recv()
    except EOFError:
        cause = died(process)
        raise EngineCrashed(
            f"the inference core's process died ({cause}) during the {what}; no answer was "
            "produced and nothing was stored. Please report it with the input that caused it.",
            output=log.read(),
        ) from None
    finally:
        receiver.close()
    process.join()
    log.pass_on()
    if status == "error":
        raise payload
    return payload  # type: ignore[no-any-return]
