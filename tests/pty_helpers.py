"""Running gwgk on a pseudo-terminal (POSIX only), as a clerk at a console would."""

from __future__ import annotations

from typing import Any


def read_pty(fd: int, until: Any = None) -> bytes:
    """Everything a process on a pseudo-terminal writes until it exits; `until(out)` is asked after each
    read until it answers True (it may write to the terminal: a clerk answering a prompt)."""
    import os

    out = b""
    while True:
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the child has exited (EIO on Linux)
            break
        if not chunk:
            break
        out += chunk
        if until is not None and until(out):
            until = None
    return out
