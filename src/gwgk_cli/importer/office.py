"""Old binary Office/WPS files (.doc, .wps, .et, .xls from WPS, .odt …) converted through LibreOffice.

``soffice --headless --convert-to docx|xlsx`` in a temporary directory, when LibreOffice is
installed; otherwise a clear message tells the clerk to save the file as .docx or .xlsx.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path, PurePath

from gwgk_cli.errors import NoticeError

_SHEETS = (".xls", ".et", ".ods", ".ett", ".xlt")
_TIMEOUT = 120


def soffice() -> str | None:
    from gwgk_cli.soffice import find_soffice

    return find_soffice()


def convert(data: bytes, source_name: str) -> tuple[bytes, str]:
    """(the converted file's bytes, its name) for an old Office/WPS file."""
    ext = PurePath(source_name).suffix.lower() or ".doc"
    target = "xlsx" if ext in _SHEETS else "docx"
    program = soffice()
    if program is None:
        raise NoticeError(
            f"{source_name} 是旧版 Office/WPS 文件（{ext}），本机没有安装 LibreOffice，无法转换："
            f"请用 WPS 或 Office 打开后另存为 .{target} 再导入"
        )
    with tempfile.TemporaryDirectory(prefix="gwgk-import-") as tmp:
        src = Path(tmp) / f"notice{ext}"
        src.write_bytes(data)
        profile = Path(tmp) / "profile"
        cmd = [
            program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
            "--convert-to", target, "--outdir", str(Path(tmp) / "out"), str(src),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=_TIMEOUT, check=False, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise NoticeError(f"LibreOffice 转换 {source_name} 失败（{type(exc).__name__}）：请另存为 .{target} 再导入") from None
        out = Path(tmp) / "out" / f"notice.{target}"
        if not out.is_file():
            raise NoticeError(f"LibreOffice 无法转换 {source_name}（文件已损坏或不是 Office/WPS 文件）：请另存为 .{target} 再导入")
        return out.read_bytes(), f"{PurePath(source_name).stem}.{target}"
