"""Running gwgk on a pseudo-terminal (POSIX only), as a clerk at a console would."""

from __future__ import annotations

from typing import Any


def read_pty(fd: int, until: Any = None, timeout: float = 60.0) -> bytes:
    """Everything a process on a pseudo-terminal writes until it exits; `until(out)` is asked after each
    read until it answers True (it may write to the terminal: a clerk answering a prompt). Nothing written
    for `timeout` seconds fails the test (the terminal is closed, so the process ends) instead of hanging
    the suite."""
    import os
    import select

    out = b""
    while True:
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            os.close(fd)
            raise AssertionError(f"nothing written for {timeout} s; so far:\n{out.decode('utf-8', 'replace')[-2000:]}")
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
