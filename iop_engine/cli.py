"""The `iop` command line: list, show, timeline (also as an SVG picture), calendar (iCalendar),
replay, approvals, lint, schema, check, serve.

Exit status: 0 success; 1 the checked thing has errors (lint, check); 2 the input was refused
(bad rule file, bad event, unknown agreement) or the inference core failed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from iop_engine.change_kinds import CHANGE_KINDS
from iop_engine.cli_options import evaluator_option, json_option, lang_option, rules_option
from iop_engine.errors import EngineCrashed, IopError
from iop_engine.inference import EvaluatorName
from iop_engine.service.cli import serve

if TYPE_CHECKING:
    from iop_engine.bulk import Job
    from iop_engine.model import Agreement, Answer
    from iop_engine.render import Lang

# Each command imports what it needs when it runs (rule loader, engine, renderers, the web
# stack): `iop --help` and a command that needs none of them start without paying for them.
# tests/test_cli_imports.py pins which modules each command loads; benchmarks/startup.py times it.


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _date(_: Any, __: Any, value: str | None) -> dt.date | None:
    if value is None:
        return None
    from iop_engine.dates import parse_iso_date  # noqa: PLC0415

    try:
        return parse_iso_date(value)
    except ValueError as error:
        raise click.BadParameter(f"{error}. Give a real day as YYYY-MM-DD, e.g. 2026-02-28.") from None


def _library(rules_dir: Path | None) -> dict[str, Agreement]:
    from iop_engine.rulefile import default_rules_dir, load_library  # noqa: PLC0415

    return load_library(rules_dir or default_rules_dir())


def _agreement(rules_dir: Path | None, agreement: str) -> Agreement:
    from iop_engine.rulefile import find_agreement  # noqa: PLC0415

    return find_agreement(_library(rules_dir), agreement)


def _answers(
    agreements: list[Agreement], until: dt.date | None, evaluator: EvaluatorName, isolated: bool
) -> list[Answer]:
    """The timeline of each agreement with no events, each in a crash-isolating child unless not."""
    from iop_engine.bulk import Job  # noqa: PLC0415

    return [_answer(Job(a, [], until, evaluator), isolated) for a in agreements]


def _answer(job: Job, isolated: bool) -> Answer:
    from iop_engine.bulk import replay_job  # noqa: PLC0415
    from iop_engine.isolation import run_isolated  # noqa: PLC0415

    return run_isolated(replay_job, job) if isolated else replay_job(job)


def _write(target: str, data: str | bytes, what: str) -> None:
    """`data` to the file `target`, or to stdout for '-'; a file gets a confirmation on stderr."""
    if target == "-":
        click.echo(data, nl=False)
        return
    try:
        with Path(target).open("wb") as out:
            out.write(data.encode() if isinstance(data, str) else data)
    except OSError as error:
        raise IopError(f"cannot write {target}: {error.strerror}") from None
    click.echo(f"iop: wrote {what} to {target}", err=True)


class _Cli(click.Group):
    """Turns deliberate errors into a one-paragraph message and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except IopError as error:
            click.echo(_refusal(error), err=True)
            sys.exit(2)


def _refusal(error: Exception | None) -> str:
    """The message for an input refused or a replay that failed; for a crashed core with what
    its process wrote before it died, to report."""
    if isinstance(error, EngineCrashed) and error.output:
        return f"iop: {error}\nWhat the process wrote before it died:\n{error.output.rstrip()}"
    return f"iop: {error}"


@click.group(cls=_Cli)
@click.version_option(package_name="iop-engine")
def main() -> None:
    """Rules engine for Swedish IOP agreements: timelines, deadlines and findings with clauses."""


@main.command("list")
@rules_option
@json_option
def list_cmd(rules_dir: Path | None, as_json: bool) -> None:
    """List the agreements in the rules directory."""
    from iop_engine.render import agreement_row  # noqa: PLC0415

    library = _library(rules_dir)
    rows = [agreement_row(a) for a in library.values()]
    if as_json:
        _emit_json(rows)
        return
    for row in rows:
        start, end = row["term"]
        longest = f"längst {row['cap']}" if row["cap"] else "inget längsta slutdatum"
        click.echo(
            f"{row['agreement']}: {row['title']} ({row['municipality']}); "
            f"{start} – {end or 'tills vidare'}, {longest}; parter: {', '.join(row['parties'])}"
        )


@main.command()
@click.argument("agreement")
@rules_option
@lang_option
@json_option
@click.option(
    "--as-of", "as_of", callback=_date, help="The agreement as its dated versions make it on this day."
)
def show(agreement: str, rules_dir: Path | None, lang: Lang, as_json: bool, as_of: dt.date | None) -> None:
    """Summarise one agreement as its rule file declares it, with citations."""
    from iop_engine.render import agreement_summary, agreement_text  # noqa: PLC0415

    found = _agreement(rules_dir, agreement)
    if as_of is not None:
        found = found.as_of(as_of)
    if as_json:
        _emit_json(agreement_summary(found))
    else:
        click.echo(agreement_text(found, lang))


@main.command()
@click.argument("agreement", required=False)
@click.option("--all", "all_agreements", is_flag=True, help="Every agreement in the rules directory.")
@click.option("--until", callback=_date, help="Answer as of this day (YYYY-MM-DD).")
@click.option("--in-process", is_flag=True, help="Skip the crash-isolating child process.")
@click.option(
    "--svg",
    "svg",
    metavar="FILE",
    default=None,
    help="Write the timeline of one AGREEMENT as an SVG picture to FILE ('-': stdout).",
)
@evaluator_option
@rules_option
@lang_option
@json_option
def timeline(
    agreement: str | None,
    all_agreements: bool,
    until: dt.date | None,
    in_process: bool,
    svg: str | None,
    evaluator: EvaluatorName,
    rules_dir: Path | None,
    lang: Lang,
    as_json: bool,
) -> None:
    """The life of an agreement with no events: periods, end, deadlines, findings."""
    from iop_engine.render import answer_text  # noqa: PLC0415

    if all_agreements == bool(agreement):
        raise click.UsageError("name one AGREEMENT or give --all")
    if svg is not None and (all_agreements or as_json):
        raise click.UsageError("--svg draws one AGREEMENT; it does not go with --all or --json")
    chosen = (
        list(_library(rules_dir).values()) if all_agreements else [_agreement(rules_dir, agreement or "")]
    )
    answers = list(zip(chosen, _answers(chosen, until, evaluator, not in_process), strict=True))
    if svg is not None:
        from iop_engine.timeline_svg import timeline_svg  # noqa: PLC0415

        found, answer = answers[0]
        _write(svg, timeline_svg(found, answer, lang), f"the timeline of {found.id}")
        return
    if as_json:
        dicts = [ans.to_dict() for _, ans in answers]
        _emit_json(dicts if all_agreements else dicts[0])
        return
    click.echo("\n\n".join(answer_text(ans, a, lang) for a, ans in answers))


@main.command("calendar")
@click.argument("agreement")
@click.option("--ics", metavar="FILE", default="-", help="Write to FILE instead of stdout.")
@click.option("--until", callback=_date, help="Answer as of this day (YYYY-MM-DD).")
@click.option(
    "--reminder-days",
    type=click.IntRange(min=0),
    default=14,
    show_default=True,
    help="Days before each date that the calendar reminds you.",
)
@click.option("--in-process", is_flag=True, help="Skip the crash-isolating child process.")
@evaluator_option
@rules_option
@lang_option
def calendar_cmd(
    agreement: str,
    ics: str,
    until: dt.date | None,
    reminder_days: int,
    in_process: bool,
    evaluator: EvaluatorName,
    rules_dir: Path | None,
    lang: Lang,
) -> None:
    """The dates of an agreement with no events as iCalendar: deadlines, payments, ends.

    One all-day event per date with a reminder, and the clauses quoted in its description."""
    from iop_engine.ical import calendar_bytes  # noqa: PLC0415

    found = _agreement(rules_dir, agreement)
    (answer,) = _answers([found], until, evaluator, not in_process)
    _write(ics, calendar_bytes(found, answer, lang, reminder_days), f"the calendar of {found.id}")


@main.command("replay")
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--until", callback=_date, help="Answer as of this day (YYYY-MM-DD).")
@click.option("--in-process", is_flag=True, help="Skip the crash-isolating child process (one file).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for several files (default: one per core).",
)
@evaluator_option
@rules_option
@lang_option
@json_option
def replay_cmd(
    files: tuple[Path, ...],
    until: dt.date | None,
    in_process: bool,
    workers: int | None,
    evaluator: EvaluatorName,
    rules_dir: Path | None,
    lang: Lang,
    as_json: bool,
) -> None:
    """Replay FILE… (YAML or JSON: `agreement` and `events`) and print the answers.

    Several files run in worker processes; a file that is refused, or whose worker dies, is
    reported failed and the others complete. Exit status 2 if any file failed."""
    from iop_engine.bulk import Outcome, jobs_from_files, replay_many  # noqa: PLC0415
    from iop_engine.render import answer_text  # noqa: PLC0415

    loaded = jobs_from_files(files, _library(rules_dir), until, evaluator)
    if len(loaded) == 1 and workers is None:
        job = loaded[0].get()
        answer = _answer(job, not in_process)
        if as_json:
            _emit_json(answer.to_dict())
        else:
            click.echo(answer_text(answer, job.agreement, lang))
        return
    jobs = [o.value for o in loaded if o.value is not None]
    with _progress(len(jobs)) as advance:
        answered = iter(replay_many(jobs, workers, advance))
    outcomes: list[Outcome[Answer]] = [next(answered) if o.ok else Outcome(error=o.error) for o in loaded]
    if as_json:
        _emit_json(
            [
                {"file": str(path), "answer": o.value.to_dict()}
                if o.value
                else {"file": str(path), "error": str(o.error)}
                for path, o in zip(files, outcomes, strict=True)
            ]
        )
    else:
        for path, job_or_error, outcome in zip(files, loaded, outcomes, strict=True):
            body = (
                answer_text(outcome.value, job_or_error.value.agreement, lang)
                if outcome.value and job_or_error.value
                else _refusal(outcome.error)
            )
            click.echo(f"== {path}\n{body}\n")
    if not all(o.ok for o in outcomes):
        sys.exit(2)


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on a terminal (on stderr, so stdout stays the answers); nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label="replay", file=sys.stderr) as bar:
        yield lambda _job: bar.update(1)


@main.command("approvals")
@click.argument("agreement")
@click.option(
    "--affects",
    "affects",
    multiple=True,
    required=True,
    type=click.Choice(CHANGE_KINDS),
    help="What the change affects (repeat for several).",
)
@click.option("--substantial", is_flag=True, help="The change is väsentlig.")
@click.option("--party", default=None, help="Whose commitments the change concerns (party id).")
@rules_option
@lang_option
@json_option
def approvals_cmd(
    agreement: str,
    affects: tuple[str, ...],
    substantial: bool,
    party: str | None,
    rules_dir: Path | None,
    lang: Lang,
    as_json: bool,
) -> None:
    """Who must approve a change, in what order and form, and why (clauses quoted)."""
    from iop_engine.authority import Change, approvals  # noqa: PLC0415
    from iop_engine.render import approval_text  # noqa: PLC0415

    found = _agreement(rules_dir, agreement)
    answer = approvals(found, Change(affects, substantial, party))
    if as_json:
        _emit_json(answer.to_dict())
    else:
        click.echo(approval_text(answer, found, lang))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@lang_option
@json_option
def lint(paths: tuple[Path, ...], lang: Lang, as_json: bool) -> None:
    """Check rule files: format, citations against the documents, conflicts, unregulated values."""
    from iop_engine.lint import lint_paths  # noqa: PLC0415
    from iop_engine.render import lint_text  # noqa: PLC0415
    from iop_engine.rulefile import default_rules_dir  # noqa: PLC0415

    reports = lint_paths(paths or (default_rules_dir(),))
    if as_json:
        _emit_json([r.to_dict() for r in reports])
    else:
        click.echo(lint_text(reports, lang))
    if not reports or any(not r.ok for r in reports):
        sys.exit(1)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the rule-file format (for editors)."""
    from iop_engine.rulefile import rule_schema  # noqa: PLC0415

    _emit_json(rule_schema())


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@evaluator_option
def check(paths: tuple[Path, ...], evaluator: EvaluatorName) -> None:
    """Run the cases of scenario files, and of every *.yaml under a folder (recursively).

    Exit status 1 if a case fails, 2 if a file is refused (the others still run)."""
    from iop_engine.scenarios import describe_failure, load_scenarios, run_case, scenario_files  # noqa: PLC0415

    failed = passed = refused = 0
    for path in scenario_files(paths):
        try:
            scenarios = load_scenarios(path)
        except IopError as error:
            refused += 1
            click.echo(f"iop: {error}\n", err=True)
            continue
        for case in scenarios.cases:
            problems, answer = run_case(scenarios, case, evaluator)
            if problems:
                failed += 1
                click.echo(describe_failure(scenarios, case, problems, answer) + "\n")
            else:
                passed += 1
    click.echo(
        f"{passed} passed, {failed} failed"
        + (f", {refused} file{'s' * (refused > 1)} refused" if refused else "")
    )
    if refused:
        sys.exit(2)
    if failed:
        sys.exit(1)


main.add_command(serve)
