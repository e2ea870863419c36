"""Storage: the progress journal, an append-only JSON Lines file beside the task table.

One change per line, UTF-8, human-readable (`ensure_ascii=False`):

    {"id":"9f1c2b7a0d3e","at":"2021-11-22T09:30:00+08:00","date":"2021-11-22","by":"张三","task":4,"op":"status","from":"todo","to":"doing","note":"已启动"}

`op` is `status` (from/to), `note` (note, percent), `undo` (undoes: the id of the entry it reverts), or
one of the 督办 steps: `accept` (签收: unit), `extend` (延期: due, note, approved_by) and `review`
(审核: result `pass` = 销号 or `return` = 退回, note).
What the entries make of each task as of a date (the replay) is the model's: gwgk_cli.state.

The file is never rewritten. A command that records something reads the journal, decides and appends
under one lock (`transact`), so concurrent commands behave as if run one after another; the append is
one write of whole lines, and a failed write (a full disk) is truncated back, leaving the file exactly
as it was. Only a regular file that is empty or already a journal is appended to, and only a regular
file of at most MAX_JOURNAL_BYTES is read (a FIFO or a device is refused at once).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from gwgk_cli.errors import JournalError
from gwgk_cli.journal_entry import Entry, JournalWarning, instant, line_ref, repeated_ids, unique, warning_at
from gwgk_cli.model import MAX_NUMBER, Status
from gwgk_cli.state import in_force

OPS = ("status", "note", "undo", "accept", "extend", "review")
REVIEW_RESULTS = ("pass", "return")
MAX_JOURNAL_BYTES = 64 * 1024 * 1024  # about 200,000 entries; docs/schema.md
SUMMARY_AFTER = 3  # more warnings than this become one summary line
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates: no terminal, file or document takes them


def new_id() -> str:
    import secrets

    return secrets.token_hex(6)


def now_iso() -> str:
    return dt.datetime.now().astimezone().replace(microsecond=0).isoformat()


def _text(data: Mapping[str, Any], key: str, *, required: bool = False, null_ok: bool = True) -> str:
    """A text field: a JSON string without NUL or lone surrogates (null or absent is empty when allowed)."""
    if key not in data:
        if required:
            raise ValueError(f"缺少字段 {key!r}")
        return ""
    value = data[key]
    if value is None and null_ok and not required:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key} 应为文本，实际是 {_short(value)}")
    if _BAD_TEXT.search(value):
        raise ValueError(f"{key} 含有 NUL 或不成对的代理字符（\\ud800 之类）")
    return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def parse_date_strict(text: str) -> dt.date:
    """YYYY-MM-DD and nothing else (Python 3.11's fromisoformat also takes 20211122 and 2021-W46-7)."""
    if not _DATE.fullmatch(text):
        raise ValueError(f"日期应为 YYYY-MM-DD，实际是 {_short(text)}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:  # "month must be in 1..12": say it in Chinese
        raise ValueError(f"日期 {text} 不存在（月应为 1–12，日不超过当月天数）") from None


def _approver(name: str) -> str:
    """An approver nobody can see (spaces, U+200B …) is no approval, in a line written by hand or by an older gwgk
    too: every view tests `approved_by` (found in review)."""
    from gwgk_cli.sanitize import blank

    return "" if blank(name) else name


def parse_line(line: str, lineno: int = 0) -> Entry:
    """One journal line -> Entry; ValueError with a Chinese reason when the line is not valid."""
    import json  # here, not at the top: a cached run never parses the journal

    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"不是完整的 JSON 行（{exc.msg}，第 {exc.colno} 列）") from None
    except RecursionError:
        raise ValueError("嵌套过深，不是进展记录") from None
    if not isinstance(data, dict):
        raise ValueError("应为 JSON 对象")
    op = data.get("op")
    if "op" not in data:
        raise ValueError("缺少字段 'op'")
    if op not in OPS:
        raise ValueError(f"未知操作 {_short(op)}")
    task = data.get("task")
    if "task" not in data:
        raise ValueError("缺少字段 'task'")
    if isinstance(task, bool) or not isinstance(task, int):
        raise ValueError(f"task 应为整数，实际是 {_short(task)}")
    if abs(task) > MAX_NUMBER:
        raise ValueError(f"task 超出范围（最大 {MAX_NUMBER}），实际是 {_short(task)}")
    entry_id = _text(data, "id", required=True)
    if not entry_id.strip():
        raise ValueError("id 为空")
    date = parse_date_strict(_text(data, "date", required=True))
    by = _text(data, "by", null_ok=False)
    statuses = {}
    for key in ("from", "to"):
        word = _text(data, key)
        try:
            statuses[key] = Status(word) if word else None
        except ValueError:
            raise ValueError(f"{key} 不是有效的状态：{_short(word)}") from None
    if op == "status" and statuses["to"] is None:
        raise ValueError("状态变更缺少 to")
    undoes = _text(data, "undoes")
    if op == "undo" and not undoes:
        raise ValueError("撤销记录缺少 undoes")
    unit = _text(data, "unit")
    if op == "accept" and not unit.strip():
        raise ValueError("签收记录缺少 unit")
    due_text = _text(data, "due")
    due = parse_date_strict(due_text) if due_text else None
    if op == "extend" and due is None:
        raise ValueError("延期记录缺少 due")
    result = _text(data, "result")
    if op == "review" and result not in REVIEW_RESULTS:
        raise ValueError(f"审核记录的 result 应为 pass 或 return，实际是 {_short(result)}")
    percent = data.get("percent")
    if percent is not None and (isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100):
        raise ValueError(f"percent 应为 0–100 的整数，实际是 {_short(percent)}")
    return Entry(
        id=entry_id,
        at=_text(data, "at"),
        date=date,
        by=by,
        task=task,
        op=op,
        from_status=statuses["from"],
        to_status=statuses["to"],
        percent=percent,
        note=_text(data, "note"),
        evidence=_text(data, "evidence"),
        undoes=undoes,
        unit=unit,
        due=due,
        approved_by=_approver(_text(data, "approved_by")),
        result=result,
        source=_text(data, "source"),
        batch=_text(data, "batch"),
        lineno=lineno,
    )


def read_journal_bytes(path: Path) -> bytes:
    """The journal's bytes (b"" when it does not exist). JournalError when it is not a regular file or
    is larger than MAX_JOURNAL_BYTES: refused at once, never read into memory."""
    from gwgk_cli.reading import NotRegular, TooLarge, read_regular, size_text

    try:
        return read_regular(path, MAX_JOURNAL_BYTES)
    except FileNotFoundError:
        if path.is_symlink():
            raise JournalError(f"{path}: 是指向不存在文件的符号链接") from None
        from gwgk_cli.paths import beyond_max_path, long_path_advice

        if beyond_max_path(path):  # there, but Windows cannot reach it by this path: never an empty journal
            raise JournalError(f"{path}: 无法读取进展记录：{long_path_advice(path)}") from None
        return b""
    except NotRegular:
        raise JournalError(f"{path}: 进展记录不是普通文件（设备、管道或目录），不能读取") from None
    except TooLarge as exc:
        raise JournalError(f"{path}: 进展记录过大（{exc.size} 字节，上限 {size_text(exc.limit)}）") from None
    except OSError as exc:  # no permission, an I/O error: an error, never taken as an empty journal
        from gwgk_cli.paths import os_reason

        raise JournalError(f"{path}: 无法读取进展记录：{os_reason(exc, path)}") from None


def read_entries(path: Path) -> tuple[list[Entry], list[JournalWarning], bytes]:
    """Read the whole journal; return (entries, warnings, the bytes read). A missing journal is empty;
    one that cannot be read is a JournalError. A journal directory beside it (journal_dir) is read
    merged instead (no bytes then). A line repeating an earlier one (the same id, the same content) is
    one entry (journal_entry.unique)."""
    from gwgk_cli import journal_dir

    directory = journal_dir.directory_for(path)
    if directory is not None:
        return (*journal_dir.read_merged(directory), b"")
    data = read_journal_bytes(path)
    entries, warnings = parse_entries(data, str(path))
    return unique(entries), warnings, data


def parse_entries(data: bytes, path: str, first_lineno: int = 1) -> tuple[list[Entry], list[JournalWarning]]:
    """Parse journal bytes. A line that is not valid (a truncated last line after a crash, a hand edit
    gone wrong) is reported with its line number and skipped; every good line is kept."""
    entries: list[Entry] = []
    warnings: list[JournalWarning] = []
    if first_lineno == 1:
        refuse_utf16(data, path)
    if first_lineno == 1 and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # saved by an editor that adds a UTF-8 BOM (Notepad): not part of the first line
    lines = data.split(b"\n")
    for i, raw in enumerate(lines):
        lineno = first_lineno + i
        if not raw.strip():
            continue
        try:
            entry = parse_line(raw.decode("utf-8"), lineno)
        except UnicodeDecodeError:
            if i < len(lines) - 1:  # a complete line (the last one without its newline is one cut short)
                refuse_gbk(raw, path, lineno)
            warnings.append(JournalWarning(path, lineno, "不是 UTF-8 文本，已跳过此行"))
            continue
        except ValueError as exc:
            why = "最后一行不完整（可能写入时中断）" if i == len(lines) - 1 else "此行无效"
            warnings.append(JournalWarning(path, lineno, f"{why}：{exc}，已跳过"))
            continue
        entries.append(entry)
    return entries, warnings


def parse_task_lines(data: bytes, path: str, task_ids: Iterable[int]) -> list[Entry]:
    """The valid entries of the given tasks only, without parsing the other lines: a write decides on
    the tasks it touches, so a note at 50,000 lines costs a byte search, not 50,000 JSON parses. A
    valid entry has a literal "task" key, so a line without one for these ids cannot be one of theirs."""
    ids = sorted(set(task_ids))
    if not ids or not data:
        return []
    if data.startswith(b"\xef\xbb\xbf"):
        data = b"   " + data[3:]  # keep the offsets (and so the line numbers) as they are
    pattern = re.compile(rb'"task"\s*:\s*(?:' + b"|".join(str(i).encode() for i in ids) + rb")(?![0-9.eE])")
    entries: list[Entry] = []
    lineno, pos, seen = 1, 0, -1
    for match in pattern.finditer(data):
        start = data.rfind(b"\n", 0, match.start()) + 1
        if start <= seen:
            continue  # a second match on a line already taken
        lineno += data.count(b"\n", pos, start)
        pos = start
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        seen = start
        try:
            entry = parse_line(data[start:end].decode("utf-8"), lineno)
        except UnicodeDecodeError:
            if end < len(data):  # a complete line
                refuse_gbk(data[start:end], path, lineno)
            continue
        except ValueError:
            continue
        if entry.task in ids:
            entries.append(entry)
    return entries


def refuse_gbk(raw: bytes, path: str, lineno: int) -> None:
    """A JournalError when a complete journal line that is not UTF-8 reads as GBK/GB18030: the file was
    saved again as "ANSI" (Notepad, some WPS versions). Its lines are not skipped one by one (every line
    with Chinese text would be lost to a warning) nor read under a guessed encoding, and nothing is
    appended to it (a file half GBK, half UTF-8): the user saves it as UTF-8 again."""
    from gwgk_cli.reading import looks_gbk

    if looks_gbk(raw):
        raise JournalError(
            f"{path}:{lineno}: 进展记录不是 UTF-8 编码，看起来被另存为 GBK/GB18030（“ANSI”，例如用记事本编辑后保存）；"
            "为免丢失记录，未读取也未写入，文件未改动。请用记事本打开它，“文件—另存为”，编码选“UTF-8”后保存，再运行 gwgk doctor 检查")


def refuse_utf16(data: bytes, path: str) -> None:
    """A JournalError for a journal saved again as UTF-16 (Notepad's “Unicode”): not one line of it is UTF-8, and
    skipped line by line it would read as nothing recorded while every view went on (found by a Windows review)."""
    from gwgk_cli.reading import looks_utf16

    if looks_utf16(data):
        raise JournalError(
            f"{path}:1: 进展记录不是 UTF-8 编码，看起来被另存为 UTF-16（记事本的“Unicode”）；为免丢失记录，未读取也未写入，"
            "文件未改动。请用记事本打开它，“文件—另存为”，编码选“UTF-8”后保存，再运行 gwgk doctor 检查")


GBK_CHECK_BYTES = 64 * 1024  # the start and the end of a journal checked before appending to it


def check_encoding_at_ends(data: bytes, path: str) -> None:
    """Before appending: refuse_gbk for the complete lines in the first and the last GBK_CHECK_BYTES of the
    file. A file saved again as GBK is GBK throughout, and a write that reads only its task's lines (or none:
    a plain note) would not see it; two windows cost the same at any size (the whole of a 10 MB journal
    would add some 30 ms to every write). A GBK line in the middle alone is found by every read."""
    refuse_utf16(data, path)
    size = len(data)
    head_end = size if size <= 2 * GBK_CHECK_BYTES else data.find(b"\n", GBK_CHECK_BYTES) + 1 or size
    tail_start = head_end if head_end >= size else max(data.rfind(b"\n", 0, size - GBK_CHECK_BYTES) + 1, head_end)
    for start, end in ((0, head_end), (tail_start, size)):
        part = data[start:end]
        try:
            part.decode("utf-8")
            continue
        except UnicodeDecodeError:
            pass
        lineno = data.count(b"\n", 0, start) + 1
        lines = part.split(b"\n")
        for i, raw in enumerate(lines[:-1]):  # the last one has no newline (or is cut by the window)
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                refuse_gbk(raw, path, lineno + i)


def _first_valid_line(data: bytes, start: int = 0, end: int | None = None) -> bool:
    """Whether any line of data[start:end] is a valid entry (looked for from the top, a line at a time:
    the first line usually is, and the rest of a large journal is then never split or copied)."""
    end = len(data) if end is None else end
    if data.startswith(b"\xef\xbb\xbf", start):
        start += 3
    pos = start
    while pos < end:
        stop = data.find(b"\n", pos, end)
        stop = end if stop < 0 else stop
        raw = data[pos:stop]
        pos = stop + 1
        if raw.strip():
            try:
                parse_line(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                continue
            return True
    return False


def summarize(warnings: Sequence[JournalWarning]) -> list[JournalWarning]:
    """What a command prints about journal damage: a few warnings as they are, many as one line."""
    if len(warnings) <= SUMMARY_AFTER:
        return list(warnings)
    lined = [w for w in warnings if w.lineno > 0]
    first = min(lined, key=lambda w: w.lineno) if lined else warnings[0]
    return [JournalWarning(first.path, first.lineno,
                           f"{len(warnings)} 行损坏或无效，首个在第 {first.lineno} 行（{first.message}）；"
                           "gwgk doctor 列出全部")]


# --------------------------------------------------------------------------- writing


def _lock_path(path: Path) -> Path:
    """The lock beside the journal itself (symlinks resolved), so two links to one journal share it."""
    real = Path(os.path.realpath(path))
    return real.with_name(real.name + ".lock")


def _looks_like_journal(data: bytes, entries: Sequence[Entry]) -> bool:
    """Empty, or holding at least one valid entry, or a single line cut short while being written. (The
    usual journal answers at its first line: nothing here copies or splits the whole file.)"""
    if entries:
        return True
    body = data.removeprefix(b"\xef\xbb\xbf")
    if not body or body.isspace():
        return True
    # The body with white space stripped is body[start:end], found without copying the whole file.
    start = next(i for i, byte in enumerate(body) if byte not in _ASCII_SPACE)
    end = next(i for i in range(len(body), start, -1) if body[i - 1] not in _ASCII_SPACE)
    if _first_valid_line(body, start, end):
        return True
    return body.startswith(b'{"', start) and body.find(b"\n", start, end) < 0


_ASCII_SPACE = b" \t\n\r\x0b\x0c"  # what bytes.strip() takes off


appended: list[Path] = []  # every journal this process has appended to (a write's confirmation names it)


def transact(path: Path, decide: Callable[[list[Entry]], Sequence[Entry]], *,
             tasks: Iterable[int] | None = None) -> list[Entry]:
    """Read the journal, decide what to append, append it: all under the journal's lock, so concurrent
    commands behave as if run one after another. `decide` gets the valid entries as read under the lock
    (only those of `tasks`, when given: all a decision about those tasks depends on) and returns the
    entries to append (it may raise a GwgkError: nothing is written then). With a journal directory
    beside `path`, `decide` gets the merged view and the caller's own file is appended to (journal_dir)."""
    from filelock import FileLock, Timeout

    from gwgk_cli import journal_dir

    directory = journal_dir.directory_for(path)
    if directory is not None:
        written = journal_dir.transact(directory, decide, tasks=tasks)
        if written:
            appended.append(path)
        return written

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = _lock_path(path)
        check_lock_path(lock, path)
        with FileLock(str(lock), timeout=30):
            data = read_journal_bytes(path)
            if tasks is None:
                entries, _ = parse_entries(data, str(path))
            else:
                entries = parse_task_lines(data, str(path), tasks)
            entries = unique(entries)  # a line repeated as it is counts once, as every reader counts it
            check_encoding_at_ends(data, str(path))
            if not _looks_like_journal(data, entries):
                raise JournalError(f"{path}: 不是进展记录（没有一行有效的记录），未写入；请检查 --file 或该文件")
            new = list(decide(entries))
            for entry in new:
                check_writable(entry)
            if new:
                _append(path, new, data)
                appended.append(path)
                from gwgk_cli.journal_lost import keep_own

                keep_own(path, path, new)
            return new
    except Timeout:
        raise JournalError(f"{path}: 等待写入锁超时（另一个 gwgk 正在写入？）") from None
    except OSError as exc:
        from gwgk_cli.paths import os_reason

        raise JournalError(f"{path}: 无法写入进展记录：{os_reason(exc, path)}") from None


def check_lock_path(lock: Path, journal: Path) -> None:
    """On Windows, a lock file whose path is too long to create: a JournalError naming the journal at once
    (filelock would take the failure for a lock held elsewhere and wait out its timeout). Tried only for a
    path long enough to fail: with long paths enabled it works, and the lock is taken as usual."""
    from gwgk_cli.paths import MAX_DIR, long_path_advice, on_windows, too_long

    if not on_windows() or len(os.path.abspath(lock)) < MAX_DIR:
        return
    try:
        os.close(os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666))
    except OSError as exc:
        if too_long(exc, lock):
            raise JournalError(f"{journal}: 无法写入进展记录：{long_path_advice(journal)}") from None


# The longest text a field of one entry may hold, in characters: a note of several pages, while the journal
# stays readable (64 MiB) and every view fast; more is refused before anything is written.
MAX_FIELD_CHARS = {"note": 5000, "evidence": 1000, "source": 1000}
MAX_NAME_CHARS = 100  # by, unit, approved_by: a person's or a unit's name


def field_problem(name: str, value: str, label: str | None = None) -> str | None:
    """Why `value` cannot be written as the entry field `name` (a one-line Chinese reason starting with
    `label`, else the field's name), or None. The sheets call it on each cell too (`label` the column's
    header), so a cell is named before anything is previewed."""
    from gwgk_cli.sanitize import clean_line

    from_cell = label is not None
    label = label or _FIELD_NAMES[name]

    if _BAD_TEXT.search(value):
        shown = clean_line(value.encode("utf-8", "backslashreplace").decode("utf-8"))
        shown = shown if len(shown) <= 60 else shown[:59] + "…"
        return f"{label}含有 NUL 或无法识别的字符（可能是汉字被截断）：“{shown}”"
    limit = MAX_FIELD_CHARS.get(name, MAX_NAME_CHARS)
    if len(value) > limit:
        advice = ("；较长的材料请作为佐证材料（--evidence 文件路径）" if name == "note" and not from_cell
                  else "；较长的材料请作为佐证材料附上" if name == "note" else "")
        return f"{label}过长（{len(value)} 字，上限 {limit} 字）{advice}"
    return None


def check_writable(entry: Entry) -> None:
    """Never write a line the reader would refuse or that would swamp every view (a change accepted and then
    lost): text holding NUL or a lone surrogate (a CJK character cut in half on the way in), or longer than
    MAX_FIELD_CHARS, is refused before anything is written."""
    from gwgk_cli.errors import BadValue
    from gwgk_cli.sanitize import blank

    if blank(entry.by):  # who made a change is the one thing every line must say (found in review: --by "   ")
        raise BadValue("登记人不能为空（--by 写姓名，或 gwgk config set user.name 姓名），未登记")
    for name in ("by", "note", "evidence", "unit", "approved_by", "source"):
        problem = field_problem(name, getattr(entry, name))
        if problem:
            raise BadValue(f"{problem}，未登记")


_FIELD_NAMES = {"by": "登记人", "note": "说明", "evidence": "佐证材料", "unit": "单位", "approved_by": "批准人",
                "source": "来源"}


def append_entries(path: Path, entries: Iterable[Entry]) -> None:
    """Append whole lines under the lock: one write, flushed and synced before the lock is released."""
    entries = list(entries)
    if entries:
        transact(path, lambda _: entries)


def _write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is written (a write may be short)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _append(path: Path, entries: Sequence[Entry], data: bytes) -> None:
    """Append to a regular file only; on any failure (a full disk) cut the file back to its old size."""
    import stat

    payload = "".join(e.to_json() + "\n" for e in entries).encode("utf-8")
    if data and not data.endswith(b"\n"):
        # A crash left a partial last line: start ours on a fresh line so both stay separate.
        payload = b"\n" + payload
    if len(data) + len(payload) > MAX_JOURNAL_BYTES:  # the reader would refuse the whole journal after it
        from gwgk_cli.reading import size_text

        raise JournalError(f"{path}: 写入后进展记录将超过上限 {size_text(MAX_JOURNAL_BYTES)}，未写入；"
                           "请用 gwgk journal split 分成每台电脑一个文件，或将往年记录另存后新建")
    if path.is_symlink() and not path.exists():
        raise JournalError(f"{path}: 是指向不存在文件的符号链接，未写入")
    existed = path.exists()
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    from gwgk_cli.safe_write import when_free  # a sync client or antivirus holding the file: wait a moment

    fd = when_free(lambda: os.open(path, flags, 0o666))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise JournalError(f"{path}: 进展记录不是普通文件（设备、管道或目录），未写入")
        size = st.st_size
        try:
            _write_all(fd, payload)
            os.fsync(fd)
        except OSError as exc:
            try:
                os.ftruncate(fd, size)
                os.fsync(fd)
            except OSError:
                pass
            if not existed and size == 0:
                path.unlink(missing_ok=True)
            raise JournalError(f"{path}: 无法写入进展记录：{exc.strerror or exc}；记录未改动") from None
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- reading back


def find_entry(entries: Sequence[Entry], ref: str) -> Entry:
    """The entry named by its id or an unambiguous prefix of at least 4 characters (gwgk log shows ids)."""
    from gwgk_cli.errors import BadValue

    ref = ref.strip().lower()
    if len(ref) < 4:
        raise BadValue(f"记录编号 “{ref}” 太短（至少 4 位，gwgk log 显示编号）")
    exact = [e for e in entries if e.id.lower() == ref]
    found = exact or [e for e in entries if e.id.lower().startswith(ref)]
    if not found:
        raise BadValue(f"没有编号为 {ref} 的记录（gwgk log 显示编号）")
    if len({e.id for e in found}) > 1:
        which = "、".join(e.id for e in found[:5])
        raise BadValue(f"记录编号 {ref} 不唯一，可能是：{which}；请多写几位")
    return found[0]


def audit(entries: Sequence[Entry], task_ids: Iterable[int] | None, today: dt.date, path: str
          ) -> list[JournalWarning]:
    """What `gwgk doctor` reports beyond unreadable lines: entries dated after the reference date (not
    in force), entry ids repeated with different contents (both places; both in force), undo entries
    that revert nothing (naming no entry, an undo, or another task's entry: state.undone_keys) or several
    entries (a repeated id: every entry of it in the undo's task is undone), unknown tasks (when the
    table's ids are known), and backdated status changes a later-dated one overrides (never in force).
    Copies (the same id and content) are journal_dir.doctor_lines' to report."""
    out: list[JournalWarning] = []
    valid = set(task_ids) if task_ids is not None else None
    by_id: dict[str, Entry] = {}
    for e in entries:  # a line repeated as it is was taken once (unique): these differ
        if e.id in by_id:
            out.append(warning_at(path, e, f"记录编号 {e.id} 与{line_ref(by_id[e.id])}重复，内容不同：两条都计入；"
                                           "编号应唯一，请核对后改正其中一条的编号（撤销时无法区分它们）"))
        else:
            by_id[e.id] = e
    repeated = repeated_ids(entries) if len(by_id) < len(entries) else {}
    for e in entries:
        if e.date > today:
            out.append(warning_at(path, e, f"日期 {e.date} 晚于参照日期 {today}，尚未生效"))
        if e.at and instant(e.at) is None:  # kept (nothing lost); a directory's merge puts it first
            out.append(warning_at(path, e, f"记录时间 at 不是有效的时间：{_short(e.at)}（应如 2021-11-22T09:30:00+08:00）；"
                                           "此行仍计入，多台电脑合并时排在最前，请改正"))
        if valid is not None and e.task not in valid:
            out.append(warning_at(path, e, f"任务 {e.task} 不在任务表中，此行已忽略"))
        if e.op == "undo":  # one rule (state.undone_keys): it reverts the non-undo lines of its task with the id
            named = repeated.get(e.undoes) or ([by_id[e.undoes]] if e.undoes in by_id else [])
            hits = [t for t in named if t.task == e.task and t.op != "undo"]
            target = hits[0] if hits else named[0] if named else None
            if target is None:
                out.append(warning_at(path, e, f"撤销的记录 {e.undoes} 不存在"))
            elif not hits and target.op == "undo":
                out.append(warning_at(path, e, f"撤销的记录 {e.undoes} 本身是撤销记录，撤销不能撤销，此撤销不生效"
                                               "（gwgk 拒绝撤销撤销记录；如需恢复，请重新登记该变更）"))
            elif not hits:
                if valid is None or e.task in valid:  # else: named once above, as a line of an unknown task
                    out.append(warning_at(path, e, f"撤销行写的任务 {e.task} 与所撤销的记录 {e.undoes}（{line_ref(target)}，"
                                                   f"任务 {target.task}）不同，此撤销不生效；撤销行的 task 应为 {target.task}"))
            elif target.date > e.date:
                out.append(warning_at(path, e, f"撤销的记录 {e.undoes} 日期 {target.date} 晚于撤销本身"))
            if len(named) > 1 and hits:
                places = "、".join(line_ref(x) for x in named)
                which = ("都被此撤销" if len(hits) == len(named) else
                         f"此撤销只撤销其中任务 {e.task} 的（{'、'.join(line_ref(x) for x in hits)}）")
                out.append(warning_at(path, e, f"撤销的记录编号 {e.undoes} 有 {len(named)} 条内容不同的记录"
                                               f"（{places}），{which}"))
    out += _overridden(entries, path)
    return sorted(out, key=lambda w: (w.path, w.lineno))


def _overridden(entries: Sequence[Entry], path: str) -> list[JournalWarning]:
    """Status changes recorded after a later-dated status change of the same task (backdated, as gwgk
    now refuses): accepted once, never in force after that later change."""
    out: list[JournalWarning] = []
    latest: dict[int, Entry] = {}  # per task, the latest-dated status change recorded so far
    for e in in_force(entries):
        if e.op != "status" or e.to_status is None:
            continue
        before = latest.get(e.task)
        if before is not None and before.date > e.date and before.to_status is not None:
            out.append(warning_at(path, e, (
                f"任务 {e.task} 的“{e.to_status.label}”（{e.date}）补记在{line_ref(before)} {before.date} 的"
                f"“{before.to_status.label}”之后，被它覆盖而未生效；请 gwgk undo {e.id} 后以 --date {before.date} "
                "或更晚重新登记")))
        if before is None or e.date >= before.date:
            latest[e.task] = e
    return out
