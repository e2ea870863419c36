"""Python's cyclic garbage collector around one run of the gwgk script (not around the library, nor in tests).

A run of gwgk builds tens of thousands of long-lived objects in its first 40 ms (modules, classes, Typer's
command) and then exits. The collector, left alone, walks them again and again while they are being made
(every 700 allocations; the oldest generation each time it grew by a quarter) and once more, whole, when the
interpreter shuts down: about 15 ms of a 75 ms `gwgk list`, with nothing to free. So:

- `starting`: the collector is off while the script imports and Typer builds the command;
- `running`: when the command starts, what exists is frozen (gc.freeze: kept out of every later collection)
  and the collector is back on, except for the one-shot reads below: they only build records and text that
  hold no reference cycles, and exit (the records of a 10,000-task table are walked ten times over
  otherwise: about 10 ms of `warn`). Mercurial's `util.nogc` does the same around building big containers.
- at exit (an `atexit` function, which runs before the interpreter's own last collections): what exists is
  frozen again, so the shutdown's collections walk nothing.

Only the console script calls `starting` (gwgk_cli.entry.script): `entry.main` called in a process that goes on
(a test) leaves the collector as it is. (It did not at first: a test calling `main` for a read left the
collector off for the rest of the test session, and the test run ran out of file descriptors.)

A run of the menu (several commands in one process) gets the collector back when the menu starts, as any
other command that is not a one-shot read. Nothing here is needed for correctness: objects are freed by their
reference counts, and gwgk closes its files itself (a `with` block or an explicit close, never left to the
collector; the index's SQLite connection when the command is done: cli.base.GwgkGroup.invoke, Env.close — found
in review, the exit's freeze had left it open and its write-ahead log behind).
"""

from __future__ import annotations

import gc

# Commands that read the plan and the journal, print (or write one file atomically) and exit.
ONE_SHOT_READS = frozenset({"list", "show", "log", "units", "sections", "info", "warn", "check", "report",
                            "bulletin", "export"})

_starting: list[bool] = [False]


def starting() -> None:
    """The script starts, in a process that ends with it: no collection until `running`; at exit, none."""
    import atexit

    gc.disable()
    _starting[0] = True
    atexit.register(gc.freeze)


def running(command: str | None) -> None:
    """The command starts (a no-op unless `starting` came before and this is the first command)."""
    if not _starting[0]:
        return
    _starting[0] = False
    gc.freeze()
    if command not in ONE_SHOT_READS:
        gc.enable()
