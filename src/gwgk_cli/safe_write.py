"""Atomic file writes: a temp file in the same directory, then replace (readers never see half a file).

An existing file keeps its permissions; a new one gets the usual ones (0666 less the umask), not the
0600 of the temp file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def write_text_atomic(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Text as given (no newline translation), encoded once."""
    write_bytes_atomic(path, text.encode(encoding))


def write_bytes_atomic(path: Path, data: bytes, *, make_parents: bool = True) -> None:
    """Replace `path` with `data` (temp file + fsync + replace). `make_parents` is for the tool's own
    directories (cache, data); output files named by the user use write_output, which never creates them."""
    path = path.expanduser()
    if make_parents:
        path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    tmp = _temp_copy(path, data)
    try:
        os.chmod(tmp, mode)
        when_free(lambda: os.replace(tmp, path))
    except BaseException:
        _discard(tmp)
        raise


# On Windows a file another program holds open (Excel or WPS showing the 台账, an antivirus scan, a sync
# client uploading it) cannot be replaced for that moment: PermissionError (sharing violation). Wait a
# little before giving up; elsewhere a PermissionError is the file system's answer and is final.
REPLACE_TRIES = 10 if os.name == "nt" else 1
REPLACE_WAIT = 0.1  # seconds between tries
FOLDER_TRIES = 50 if os.name == "nt" else 1  # renaming a folder: a sync client or a virus scanner holds any new
# file in it for a while, and Windows refuses to rename the folder meanwhile (5 s; found by a Windows review)


def when_free(action: Callable[[], T], tries: int | None = None) -> T:
    """`action()`, tried again (`tries` in all, else REPLACE_TRIES; REPLACE_WAIT apart) while it fails with a
    PermissionError: on Windows, another program holding the file for a moment."""
    for _ in range((REPLACE_TRIES if tries is None else tries) - 1):
        try:
            return action()
        except PermissionError:
            import time

            time.sleep(REPLACE_WAIT)
    return action()


def _discard(tmp: Path) -> None:
    """Remove a temp file that was not put in place, without hiding the error that stopped it: Windows
    refuses to delete a read-only file (the temp took a read-only target's mode), so it is made writable
    first."""
    try:
        os.chmod(tmp, 0o600)
        tmp.unlink(missing_ok=True)
    except OSError:
        pass


def write_new(path: Path, data: bytes) -> None:
    """Write a file that must not exist (FileExistsError if one does, also one created meanwhile): a temp
    file beside it, then a hard link, which never replaces a file, or, where links are not supported
    (FAT, some network shares), a rename after checking again. The file gets the mode a file created there
    would (0666 less the umask), not the temp file's 0600: a journal directory's file is read by every clerk
    of a shared folder. Callers that keep a file private make it so afterwards."""
    tmp = _temp_copy(path, data)
    try:
        if os.name != "nt":
            os.chmod(tmp, _mode_for(path))
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            if path.exists() or path.is_symlink():
                raise FileExistsError(str(path)) from None
            os.rename(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _temp_copy(path: Path, data: bytes) -> Path:
    """`data` in a new temp file (0600) in `path`'s directory, on disk (fsync) before it is put in place."""
    import tempfile  # only when something is written

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def check_output(path: Path, *, force: bool, in_use: tuple[Path, ...] = ()) -> Path:
    """_check_output; an OS error on the way (a name too long to look up) is one OutputError line."""
    from gwgk_cli.errors import OutputError

    try:
        return _check_output(path, force=force, in_use=in_use)
    except OSError as exc:
        raise OutputError(f"无法写入 {path}: {os_reason(exc, path)}") from None


def _check_output(path: Path, *, force: bool, in_use: tuple[Path, ...] = ()) -> Path:
    """Where an output command (`-o FILE`) may write; returns the path to replace.

    Refused, whatever `--force` says: a file in use (the task table or journal the command reads, also
    when it does not exist yet), anything that is not a regular file (a device, a FIFO, a directory), a
    symlink that does not lead to a regular file, a missing parent directory. An existing regular file
    is replaced only with `force`; a symlink to one is followed, so the link stays a link.
    """
    import stat

    from gwgk_cli.errors import OutputError

    path = path.expanduser()
    if not path.name:
        raise OutputError(f"输出路径 “{path}” 不是文件名")
    if why := unusable_name(path.name):
        raise OutputError(f"{path}: 文件名{why}，Windows 不能用（请另取文件名）")
    parent = path.parent
    if not parent.is_dir():
        from gwgk_cli.paths import beyond_max_path, long_path_advice

        if beyond_max_path(parent):  # there, but Windows cannot reach it by this path
            raise OutputError(f"无法写入 {path}: {long_path_advice(path)}")
        raise OutputError(f"{path}: 目录 {parent} 不存在（请先创建）")
    target = path
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except (OSError, RuntimeError):
            raise OutputError(f"{path}: 是指向不存在文件的符号链接，未写入") from None
    for used in in_use:
        if _same_file(target, used):
            raise OutputError(f"{path}: 是正在使用的{_role(used)}，不能覆盖（请另选输出文件名）")
        if used.is_dir() and _inside(target, used):  # a journal directory: every file in it is read as a journal
            raise OutputError(f"{path}: 在正在使用的{_role(used)}目录 {used} 中，不能写入（请另选位置）")
    try:
        st = target.stat()
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise OutputError(f"{path}: 无法访问：{os_reason(exc, path)}") from None
    if not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{path}: 不是普通文件（设备、管道或目录），未写入")
    opened = open_by(target)
    if opened is not None:  # even with --force: a colleague's unsaved work would be lost, or theirs overwrite ours
        owner, who = opened
        raise OutputError(f"{path}: {who or '有人'}正在用 Excel/WPS 打开此文件（{owner.name}），未写入；"
                          f"请对方关闭后重试，或另选文件名（若确无人打开，删除 {owner.name} 后重试）")
    if not force:
        raise OutputError(f"{path} 已存在，未覆盖（确认覆盖请加 --force）")
    return target


_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))})


def unusable_name(name: str) -> str:
    """Why Windows cannot create a file of this name (on every system: the file goes to a folder shared with
    Windows PCs), or "": a character it forbids (周报:11月.docx would write an NTFS stream; found by a Windows
    review), a trailing dot or space, a device name (NUL, COM1 …, with any extension)."""
    bad = sorted({c for c in name if c in '<>:"|?*' or ord(c) < 32})
    if bad:
        return "含有字符 " + " ".join(repr(c)[1:-1] if ord(c) < 32 else c for c in bad)
    if name.endswith((".", " ")):
        return "以点或空格结尾"
    if name.split(".")[0].strip().upper() in _RESERVED:
        return f"是设备名 {name.split('.')[0]}"
    return ""


def owner_files(path: Path) -> list[Path]:
    """The files Office programs put beside a document they have open: Excel's and WPS's `~$台账.xlsx` (for a
    long name the first two characters give way: `~$port2021.xlsx`), LibreOffice's `.~lock.台账.xlsx#`."""
    names = [f"~${path.name}", f".~lock.{path.name}#"]
    if len(path.stem) > 7:
        names.append(f"~${path.name[2:]}")
    return [path.with_name(n) for n in names]


def open_by(path: Path) -> tuple[Path, str] | None:
    """(the owner file, the user name written in it or "") when an Office program has `path` open; None if none."""
    for owner in owner_files(path):
        try:
            if not owner.is_file():
                continue
            with open(owner, "rb") as fh:
                data = fh.read(4096)
        except OSError:
            continue
        return owner, owner_name(owner.name, data)
    return None


def owner_name(name: str, data: bytes) -> str:
    """The user name in an owner file: Excel/WPS `~$`: a length byte and the name in the ANSI code page, and
    at offset 54 the length again (16 bits) and the name in UTF-16; LibreOffice: `,`-separated, name first."""
    from gwgk_cli.sanitize import clean_line

    text = ""
    if name.startswith(".~lock."):
        text = data.decode("utf-8", "replace").split(",")[0]
    elif data:
        if len(data) >= 56:
            count = int.from_bytes(data[54:56], "little")
            if 0 < count <= 54 and len(data) >= 56 + 2 * count:
                text = data[56:56 + 2 * count].decode("utf-16-le", "replace")
        if not text and 0 < data[0] < min(len(data), 54):
            raw = data[1:1 + data[0]]
            for encoding in ("utf-8", "gb18030"):
                try:
                    text = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
    text = clean_line(text.strip().strip("\x00").strip())
    return text if text and "\ufffd" not in text else ""


_OS_WORDS: dict[str, str] = {
    "EACCES": "没有权限（请检查文件的“只读”属性，或共享文件夹是否允许您写入）",
    "EPERM": "没有权限（请检查文件的“只读”属性，或共享文件夹是否允许您写入）",
    "EROFS": "所在磁盘或共享文件夹是只读的（请换到可写的位置，或请管理员开放写入权限）",
    "ENOSPC": "磁盘空间已满（请清理后重试）",
    "EDQUOT": "超出磁盘配额（请清理后重试）",
    "ENOENT": "文件或文件夹不存在",
    "EISDIR": "这是文件夹，不是文件",
    "ENOTDIR": "路径中有一部分不是文件夹",
    "EBUSY": "文件正被其他程序占用（请关闭后重试）",
    "ETXTBSY": "文件正被其他程序占用（请关闭后重试）",
    "EEXIST": "文件已存在",
    "EIO": "读写出错（磁盘或网络共享故障，请稍后重试）",
    "ESTALE": "网络共享的连接已失效（请重新打开共享文件夹后重试）",
    "ENAMETOOLONG": "文件名过长（请改用较短的名称）",
    "ETIMEDOUT": "网络共享无响应（请检查网络后重试）",
    "EHOSTDOWN": "网络共享无响应（请检查网络后重试）",
    "ENOTEMPTY": "文件夹不是空的",
}
_READ_REFUSED = "没有读取权限（请检查共享文件夹的访问权限，或请管理员开放）"
# Windows' own words for the same (its strerror for a sharing violation, a denied access).
_WINDOWS_WORDS = {
    "Access is denied": "EACCES",
    "The process cannot access the file because it is being used by another process": "EBUSY",
    "The network path was not found": "ENOENT",
    "There is not enough space on the disk": "ENOSPC",
}


def os_words(text: str) -> str:
    """`text` (a message) with the system's English reasons for a failed file operation (`Operation not
    permitted`, `Permission denied`, `No space left on device` …) in Chinese, saying what to do."""
    import errno

    for code, words in _OS_WORDS.items():
        number = getattr(errno, code, None)
        if number is None:
            continue
        english = os.strerror(number)
        if english and english in text:
            if code in ("EACCES", "EPERM") and "读取" in text and "写入" not in text:
                words = _READ_REFUSED
            text = text.replace(english, words)
    for english, code in _WINDOWS_WORDS.items():
        if english in text:
            read = code == "EACCES" and "读取" in text and "写入" not in text
            text = text.replace(english, _READ_REFUSED if read else _OS_WORDS[code])
    return text


def os_reason(exc: OSError, path: object) -> str:
    """Why an OS call on `path` failed, in Chinese (paths.os_reason, its English reason in Chinese words)."""
    from gwgk_cli.paths import os_reason as system_reason

    return os_words(system_reason(exc, path))


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return os.path.normcase(os.path.abspath(a.resolve())) == os.path.normcase(os.path.abspath(b.resolve()))
    except OSError:
        return False


def _inside(path: Path, directory: Path) -> bool:
    try:
        return os.path.normcase(os.path.abspath(path.resolve())).startswith(
            os.path.normcase(os.path.abspath(directory.resolve())) + os.sep)
    except OSError:
        return False


def _role(path: Path) -> str:
    if path.name.endswith(".lock"):
        return "写入锁文件"
    if ".remind-log" in path.name:
        return "催办发送记录"
    return "进展记录" if path.name.endswith((".jsonl", ".progress")) or path.is_dir() else "任务表"


def write_output(path: Path, data: bytes, *, force: bool, in_use: tuple[Path, ...] = ()) -> Path:
    """check_output, then an atomic replace; an OS failure is one OutputError line. Returns the path written."""
    from gwgk_cli.errors import OutputError

    target = check_output(path, force=force, in_use=in_use)
    existed = target.exists()
    try:
        write_bytes_atomic(target, data, make_parents=False)
    except PermissionError:
        if not existed:  # the folder refused a new file: there is no original to speak of
            raise OutputError(f"无法在文件夹 {path.parent} 中新建 {path.name}：没有写入权限"
                              "（请换一个文件夹，或检查共享文件夹的权限）") from None
        raise OutputError(f"无法写入 {path}: 没有权限（文件是否正被 Excel/WPS 等程序打开，或是只读文件？"
                          "请关闭或去掉“只读”属性后重试；原文件未改动）") from None
    except OSError as exc:
        kept = "；原文件未改动" if existed else ""
        raise OutputError(f"无法写入 {path}: {os_reason(exc, path)}{kept}") from None
    return target
