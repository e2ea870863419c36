"""Domain errors: every one gwgk reports is defined here, under the one base GwgkError.

A command raises one of them with a one-line Chinese message naming what is wrong and where (file:line,
sheet cell, option); the CLI turns it into `错误：…` on stderr and the error's exit code in one place
(cli/base.py, GwgkGroup.invoke), without a traceback. Errors that never reach the user (a channel that
fails to send, an unusable index file) stay private to their module and are caught there.
"""

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


class TableUnreadable(TableError):
    """The table cannot be read at all: not a regular file, too large, not UTF-8, no permission."""


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


class ConfigError(GwgkError):
    """The config file cannot be read or holds a value gwgk does not know."""


class NoticeError(GwgkError):
    """A notice cannot be imported: not readable, wrong encoding, no task table found.

    ``seen``: what the import made of the notice up to the refusal (an ImportResult without tasks), when it
    got as far as reading it; `gwgk import --explain` prints it.
    """

    seen: object = None
