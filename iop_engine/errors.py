"""Every error iop-engine raises on purpose, under one base class.

    IopError
    ├── RuleFileError        a rule file is unreadable, malformed or inconsistent
    ├── EventError           an event in a stream is malformed, unknown or out of order
    ├── UnknownAgreement     no rule file declares the requested agreement id (also a KeyError)
    └── EngineError          the inference core failed or refused work
        └── EngineCrashed    the inference core's process died (a native crash)

Each message names where the problem is (file and line, or event position and field), what was
expected, and what to do about it. Nothing is half-applied when one is raised.
"""

from __future__ import annotations

from typing import Any


class IopError(Exception):
    """Base of every deliberate iop-engine error."""


class RuleFileError(IopError):
    """Raised when a rule file cannot be used; fix the file at the place named. `sv` is the
    problem and the fix in Swedish, for reports in Swedish (`iop lint`), where given."""

    def __init__(
        self,
        path: str,
        line: int | None,
        where: str,
        problem: str,
        fix: str,
        sv: tuple[str, str] | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.where = where
        self.problem = problem
        self.fix = fix
        self.sv = sv
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        """The message in Swedish (`sv`, where given) or English."""
        problem, fix = self.sv if lang == "sv" and self.sv else (self.problem, self.fix)
        location = f"{self.path}:{self.line}" if self.line else self.path
        at = f" at {self.where}" if self.where else ""
        return f"{location}{at}: {problem}. {fix}"

    def __reduce__(
        self,
    ) -> tuple[type[RuleFileError], tuple[str, int | None, str, str, str, tuple[str, str] | None]]:
        # Errors travel from the isolated child process back to the caller by pickling.
        return type(self), (self.path, self.line, self.where, self.problem, self.fix, self.sv)


class EventError(IopError):
    """Raised when an event cannot be replayed; no event of the stream has been applied. Read from
    a file, `located` adds the file and the line of the event's field. `reason` names the kind of
    problem (missing, invalid, date, order, …) and `value` what was given, so that a page can say
    it in its reader's language (`web.views.form_error`)."""

    def __init__(
        self,
        position: int,
        field: str | None,
        problem: str,
        fix: str,
        path: str | None = None,
        line: int | None = None,
        *,
        reason: str = "",
        value: object = None,
    ) -> None:
        self.position = position
        self.field = field
        self.problem = problem
        self.fix = fix
        self.path = path
        self.line = line
        self.reason = reason
        self.value = value
        where = f"event #{position}" + (f", field '{field}'" if field else "")
        location = (f"{path}:{line}: " if line else f"{path}: ") if path else ""
        super().__init__(f"{location}{where}: {problem}. {fix}")

    def located(self, path: str, line: int | None) -> EventError:
        """The same error, naming the file (and line) the event was read from."""
        return self._with(self.position, self.field, path, line)

    def moved(self, *, position: int | None = None, field: str | None = None) -> EventError:
        """The same error at another position or field (of a batch, of a replacement)."""
        return self._with(
            self.position if position is None else position,
            self.field if field is None else field,
            self.path,
            self.line,
        )

    def _with(self, position: int, field: str | None, path: str | None, line: int | None) -> EventError:
        return EventError(
            position, field, self.problem, self.fix, path, line, reason=self.reason, value=self.value
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only parts do not survive the default pickling of an exception (engine processes).
        state = (self.position, self.field, self.problem, self.fix, self.path, self.line)
        return _event_error, (*state, self.reason, self.value)


def _event_error(
    position: int,
    field: str | None,
    problem: str,
    fix: str,
    path: str | None,
    line: int | None,
    reason: str,
    value: object,
) -> EventError:
    return EventError(position, field, problem, fix, path, line, reason=reason, value=value)


class UnknownAgreement(IopError, KeyError):
    """Raised when an agreement id is not declared by any loaded rule file (also by indexing the
    mapping `load_library` returns); the message lists the known ids."""

    # A KeyError so that a library stays a proper mapping, but with the message as written:
    # KeyError's own str() would quote it.
    __str__ = IopError.__str__


class EngineError(IopError):
    """Raised when the inference core refuses or fails; the replay produced no answer."""


class EngineCrashed(EngineError):
    """Raised when the isolated process running the inference core died without an answer;
    `output` is what the process wrote before it died (its crash dump), for the report."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output

    def __reduce__(self) -> tuple[type[EngineCrashed], tuple[str, str]]:
        return type(self), (str(self), self.output)
