"""Sample output in the README and docs comes from the real commands (like `cog --check`).

    python scripts/readme_samples.py --check [FILE…]   # exit 1 and a diff when a sample is stale
    python scripts/readme_samples.py --write [FILE…]   # regenerate them in place

Default files: README.md and docs/*.md. A sample is a fenced block right after a marker line:

    <!-- sample -->                       one shared sandbox per file, blocks run in order
    <!-- sample: tty today=2021-11-24 -->  options: tty (an 80-column terminal), cols=N,
                                            today=DATE (GWGK_TODAY), fresh (a new sandbox)
    <!-- sample-setup: gwgk start 14 -->   a command run in the sandbox, its output not shown

Inside the block, lines starting with `$ ` are commands, run with bash in the sandbox (a temporary
directory holding a copy of data/tasks_2021.yaml, so it is the "project" table; its own config and
cache directories; GWGK_USER=李明, GWGK_TODAY=2021-11-22 unless today= says otherwise). Everything
after a command up to the next one is replaced by what the command printed (stdout and stderr, as a
user sees them). Text after two spaces and a `#` on a command line is a comment, shown and not run.
Colour codes are dropped. Only the marked blocks are touched. Journal record ids (12 hex digits, random
by design) are not compared.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^\s*<!--\s*sample(?::\s*(?P<opts>[^>]*?))?\s*-->\s*$")
SETUP = re.compile(r"^\s*<!--\s*sample-setup:\s*(?P<cmd>.*?)\s*-->\s*$")
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>```+|~~~+)")
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")
COMMENT = re.compile(r"\s{2,}#.*$")
DEFAULT_TODAY = "2021-11-22"
TIMEOUT = 60


@dataclass
class Options:
    tty: bool = False
    cols: int = 80
    today: str = DEFAULT_TODAY
    fresh: bool = False

    @classmethod
    def parse(cls, text: str | None) -> Options:
        opts = cls()
        for word in (text or "").split():
            key, _, value = word.partition("=")
            if key == "tty":
                opts.tty = True
            elif key == "fresh":
                opts.fresh = True
            elif key == "cols" and value.isdigit():
                opts.cols = int(value)
            elif key == "today" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                opts.today = value
            else:
                raise ValueError(f"unknown sample option {word!r}")
        return opts


@dataclass
class Sandbox:
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="gwgk-sample-")))

    def __post_init__(self) -> None:
        (self.root / "data").mkdir()
        shutil.copy2(ROOT / "data" / "tasks_2021.yaml", self.root / "data" / "tasks_2021.yaml")
        for sub in ("config", "cache", "home"):
            (self.root / ".sandbox" / sub).mkdir(parents=True)

    def env(self, opts: Options) -> dict[str, str]:
        bindir = str(Path(sys.executable).parent)
        keep = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR")}
        return {
            **keep,
            "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
            "HOME": str(self.root / ".sandbox" / "home"),
            "XDG_CACHE_HOME": str(self.root / ".sandbox" / "cache"),
            "GWGK_CONFIG_DIR": str(self.root / ".sandbox" / "config"),
            "GWGK_USER": "李明",
            "GWGK_TODAY": opts.today,
            "NO_COLOR": "1",
            "TERM": "xterm-256color" if opts.tty else "dumb",
            "COLUMNS": str(opts.cols),
            "LINES": "50",
            "PYTHONIOENCODING": "utf-8",
        }

    def run(self, command: str, opts: Options) -> str:
        env = self.env(opts)
        if opts.tty:
            out = _run_in_pty(command, self.root, env, opts.cols)
        else:
            # stdout, then stderr (a footer or a message on stderr reads after the output, as on a terminal)
            done = subprocess.run(["bash", "-c", command], cwd=self.root, env=env, capture_output=True,
                                  stdin=subprocess.DEVNULL, timeout=TIMEOUT)
            out = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
        out = ANSI.sub("", out.replace("\r\n", "\n")).replace(str(self.root) + os.sep, "")
        return "\n".join(line.rstrip() for line in out.rstrip("\n").split("\n")) if out.strip() else ""

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _run_in_pty(command: str, cwd: Path, env: dict[str, str], cols: int) -> str:
    """The command on a pseudo-terminal `cols` wide (POSIX only: the samples are made on Linux)."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, cols, 0, 0))
    proc = subprocess.Popen(["bash", "-c", command], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=TIMEOUT)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def regenerate(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    sandbox: Sandbox | None = None
    i = 0
    try:
        while i < len(lines):
            line = lines[i]
            out.append(line)
            i += 1
            setup = SETUP.match(line)
            if setup:  # a command run in the sandbox, its output not shown (the state a tour starts from)
                if sandbox is None:
                    sandbox = Sandbox()
                sandbox.run(setup.group("cmd"), Options())
                continue
            m = MARKER.match(line)
            if not m:
                continue
            opts = Options.parse(m.group("opts"))
            if i >= len(lines) or not FENCE.match(lines[i]):
                raise ValueError(f"line {i}: a sample marker must be followed by a fenced block")
            fence = FENCE.match(lines[i])
            assert fence is not None
            indent, mark = fence.group("indent"), fence.group("fence")
            out.append(lines[i])
            i += 1
            body: list[str] = []
            while i < len(lines) and not lines[i].strip().startswith(mark):
                body.append(lines[i])
                i += 1
            if opts.fresh and sandbox is not None:
                sandbox.close()
                sandbox = None
            if sandbox is None:
                sandbox = Sandbox()
            for raw in body:
                stripped = raw[len(indent):] if raw.startswith(indent) else raw.lstrip()
                if not stripped.startswith("$ "):
                    continue
                out.append(raw)
                command = COMMENT.sub("", stripped[2:])
                result = sandbox.run(command, opts)
                out.extend(indent + r if r else "" for r in result.split("\n") if result)
            if i < len(lines):
                out.append(lines[i])  # the closing fence
                i += 1
    finally:
        if sandbox is not None:
            sandbox.close()
    return "\n".join(out)


RECORD_ID = re.compile(r"\b[0-9a-f]{12}\b")


def same(old: str, new: str) -> bool:
    """Equal but for journal record ids (random by design: each run records new ones)."""
    return RECORD_ID.sub("<id>", old) == RECORD_ID.sub("<id>", new)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check", action="store_true")
    mode.add_argument("--write", action="store_true")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args(argv)
    files = args.files or [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    stale = 0
    for path in files:
        old = path.read_text(encoding="utf-8")
        new = regenerate(old)
        if same(old, new):
            continue
        if args.write:
            path.write_text(new, encoding="utf-8", newline="\n")
            print(f"updated {path}")
        else:
            stale += 1
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                                       str(path), f"{path} (from the commands)"))
    if stale:
        print(f"\n{stale} file(s) with stale samples: python scripts/readme_samples.py --write", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
