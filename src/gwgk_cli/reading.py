"""Reading a file a user named (the task table, the journal): only a regular file, and only up to a
size cap, so a FIFO, a device such as /dev/zero or a runaway file is refused at once instead of
hanging or filling the memory. Symlinks are followed; what they lead to must be a regular file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

MIB = 1024 * 1024


class NotRegular(OSError):
    """The path leads to something that is not a regular file (FIFO, device, directory, socket)."""


class TooLarge(OSError):
    """The file is larger than the cap for its kind."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"{size} > {limit}")
        self.size = size
        self.limit = limit


def not_utf8(data: bytes, start: int) -> str:
    """"LINE: why", for a file that must be UTF-8 (the table, the config) and is not from byte `start` on,
    and how to fix it. One saved as GBK/GB18030 ("ANSI": old Notepad, some WPS versions) is not read under a
    guessed encoding: a wrong guess would change unit names and titles without a word."""
    line = data.count(b"\n", 0, start) + 1
    if looks_utf16(data):
        return f"{line}: 不是 UTF-8 编码的文本，是 UTF-16（记事本的“Unicode”）编码：请用记事本另存为 UTF-8 编码后再试"
    if looks_gbk(data):
        return f"{line}: 不是 UTF-8 编码的文本，看起来是 GBK/GB18030（“ANSI”）编码：请用记事本或 WPS 另存为 UTF-8 编码后再试"
    return f"{line}: 不是有效的 UTF-8 文本（第 {start + 1} 字节起：字符损坏或被截断）"


def looks_utf16(data: bytes) -> bool:
    """Whether bytes are text saved as UTF-16 (Notepad's “Unicode” / “UTF-16 LE”, some exports): its byte-order
    mark, or a NUL in every other byte of the start (found by a Windows review: such a journal read as empty)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = data[:512]
    return len(head) >= 8 and head.count(0) * 3 >= len(head)


def looks_gbk(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 are text saved as GBK/GB18030 ("ANSI"): little valid UTF-8 beyond
    ASCII in them (not UTF-8 text with a damaged character) and they read as GB18030."""
    as_utf8 = data.decode("utf-8", errors="replace")
    broken = as_utf8.count("\ufffd")
    if not broken or sum(not ch.isascii() for ch in as_utf8) - broken > broken:
        return False
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def is_regular(path: Path) -> bool:
    """True when `path` (after symlinks) is a regular file; False for anything else, missing included."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. FileNotFoundError when missing, NotRegular
    for a FIFO/device/directory, TooLarge beyond the cap; any other OSError as it comes."""
    st = path.stat()  # follows symlinks; FileNotFoundError for a missing file or a dangling link
    if not stat.S_ISREG(st.st_mode):
        raise NotRegular(f"{path}: not a regular file")
    if st.st_size > limit:
        raise TooLarge(st.st_size, limit)
    # O_NONBLOCK: should the path have been swapped for a FIFO since the stat, opening it does not
    # wait for a writer; the fstat below then refuses it.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(f"{path}: not a regular file")
        # Asked for its size and one byte more, not for the cap: a read of the cap allocates it whole first (2 ms
        # of every write at a 7.6 MB journal, against 0.6 ms). A file grown meanwhile is read on, still cut at the cap.
        want = min(st.st_size, limit) + 1
        data = fh.read(want)
        if len(data) == want:
            data += fh.read(limit + 1 - want)
    if len(data) > limit:
        raise TooLarge(len(data), limit)
    return data


def size_text(limit: int) -> str:
    return f"{limit // MIB} MiB" if limit >= MIB else f"{limit} 字节"


def read_named_file(path: Path, limit: int, what: str) -> bytes:
    """A file the user named on the command line (a notes file, a returned sheet): its bytes, or one
    BadValue line saying what is wrong with it (missing, not a regular file, too large, unreadable)."""
    from gwgk_cli.errors import BadValue

    try:
        return read_regular(path, limit)
    except FileNotFoundError:
        from gwgk_cli.paths import beyond_max_path, long_path_advice

        if beyond_max_path(path):  # there, but too long a path for Windows
            raise BadValue(f"无法读取{what} {path}: {long_path_advice(path)}") from None
        raise BadValue(f"找不到{what} {path}") from None
    except NotRegular:
        raise BadValue(f"{what} {path} 不是普通文件（设备、管道或目录），未读取") from None
    except TooLarge as exc:
        raise BadValue(f"{what} {path} 过大（{exc.size} 字节，上限 {size_text(limit)}）") from None
    except OSError as exc:
        raise BadValue(f"无法读取{what} {path}: {exc.strerror or exc}") from None


MAX_UNZIPPED = 256 * MIB  # bytes a .docx or .xlsx may unpack to, all its parts together


def unzipped_size(data: bytes) -> int | None:
    """What a zip-based document (.docx, .xlsx) declares its parts unpack to, all together; None when it is
    not a readable archive. A few megabytes can hold gigabytes of XML (a "zip bomb"): callers refuse more
    than MAX_UNZIPPED before any parser sees it (reading a part never yields more than its declared size)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
