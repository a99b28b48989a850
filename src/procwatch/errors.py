"""The one exception hierarchy; the CLI turns each into `Error: ...` and an exit code."""

from __future__ import annotations

import re
from enum import IntEnum, StrEnum


class ExitCode(IntEnum):
    """Process exit codes, documented in README."""

    OK = 0
    ERROR = 1
    USAGE = 2
    NOT_FOUND = 3
    DATABASE = 4
    INVALID_INPUT = 5
    OUTPUT = 6
    # `changes --exit-code`: something changed (as `git diff --exit-code` says 1).
    CHANGED = 7


class Remedy(StrEnum):
    """What fixes an error, in the library's terms; the CLI says which command does it."""

    UPGRADE_SCHEMA = "upgrade the schema"
    CREATE_SCHEMA = "create the schema"


# How a message names a setting the caller can give (an import option, a query bound):
# `kind`, `skip_invalid`, in the library's own terms; the CLI spells each as its flag.
SETTING = re.compile(r"`([a-z_]+)`")


class ProcwatchError(Exception):
    """An error the user can cause and fix; its message is shown as one line."""

    exit_code = ExitCode.ERROR

    def __init__(self, message: str, *, remedy: Remedy | None = None) -> None:
        super().__init__(message)
        self.remedy = remedy


class NotFoundError(ProcwatchError):
    """A vendor, country or other record named by the user does not exist."""

    exit_code = ExitCode.NOT_FOUND


class DatabaseError(ProcwatchError):
    """The database cannot be opened, is not procwatch's, or is at the wrong schema revision."""

    exit_code = ExitCode.DATABASE


class InvalidInputError(ProcwatchError):
    """An input file or value is malformed; nothing of it was stored."""

    exit_code = ExitCode.INVALID_INPUT


class InvalidValueError(ProcwatchError):
    """A value given for a query (a code, a date, a range) is not one procwatch can use."""

    # The same exit as a value the command line itself refuses (a bad --format).
    exit_code = ExitCode.USAGE


class OutputError(ProcwatchError):
    """An output file cannot be written."""

    exit_code = ExitCode.OUTPUT


class SpoolError(ProcwatchError):
    """The temporary folder an import works in is full or cannot be written."""
