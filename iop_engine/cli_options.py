"""Command-line options shared by `iop`'s commands and `iop serve` (which `iop` includes)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from iop_engine.inference import EVALUATORS

F = TypeVar("F", bound=Callable[..., Any])


def rules_option(func: F) -> F:
    return click.option(
        "--rules",
        "rules_dir",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        default=None,
        help="Rules directory (default: the bundled rules/).",
    )(func)


def lang_option(func: F) -> F:
    return click.option(
        "--lang",
        type=click.Choice(["sv", "en"]),
        default="sv",
        show_default=True,
        help="Language of the readable output.",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")(func)


def evaluator_option(func: F) -> F:
    return click.option(
        "--evaluator",
        type=click.Choice(EVALUATORS),
        default="rete",
        show_default=True,
        help="Rule evaluator: durable-rules (rete) or the pure-Python reference (no C extension needed).",
    )(func)
