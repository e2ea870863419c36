"""Domain errors: one base class, turned into a message and an exit code in one place (cli.main)."""

from __future__ import annotations

# Named exit codes.
EXIT_OK = 0
EXIT_PROBLEM = 1  # doctor found problems, check found red tasks
EXIT_USAGE = 2  # bad input: unknown unit/id, bad date, malformed file


class GwgkError(Exception):
    """Base of every error gwgk reports to the user as one line, without a traceback."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class TableError(GwgkError):
    """The task table cannot be read: missing file, malformed YAML, schema violation."""


class TableNotFound(TableError):
    pass


class JournalError(GwgkError):
    """The progress journal cannot be written."""


class UnknownUnit(GwgkError):
    pass


class UnknownTask(GwgkError):
    pass


class UnknownSection(GwgkError):
    pass


class BadValue(GwgkError):
    """A value given on the command line is invalid (date, percent, status, range...)."""


class OutputError(GwgkError):
    """An output file cannot or must not be written (exists without --force, in use, not a regular file)."""


class NoticeError(GwgkError):
    """A notice cannot be imported: not readable, wrong encoding, no task table found."""
