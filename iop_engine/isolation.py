"""Run work that touches the inference core in a child process, so a native crash of its C
code is reported as `EngineCrashed` instead of taking the caller's process down.

The child is forked: it inherits the loaded agreements, and only the result travels back
(pickled through a pipe). Errors raised in the child are re-raised in the parent unchanged.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable
from typing import Any, TypeVar

from iop_engine.errors import EngineCrashed

T = TypeVar("T")


def _child(conn: Any, func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
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
    process = context.Process(target=_child, args=(sender, func, args, kwargs), daemon=True)
    process.start()
    sender.close()
    try:
        status, payload = receiver.recv()
    except EOFError:
        process.join()
        code = process.exitcode or 0
        cause = f"signal {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
        raise EngineCrashed(
            f"the inference core's process died ({cause}) during the {what}; no answer was "
            "produced and nothing was stored. Please report it with the input that caused it."
        ) from None
    finally:
        receiver.close()
    process.join()
    if status == "error":
        raise payload
    return payload  # type: ignore[no-any-return]
