"""Older formats (.xls, WPS's .et, .ods) to .xlsx through LibreOffice, when it is installed."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from gwgk_cli.errors import BadValue

TIMEOUT_SECONDS = 180


def find_soffice() -> str | None:
    from gwgk_cli.soffice import find_soffice as find

    return find()


def convert(soffice: str, source: Path, outdir: Path, fmt: str = "xlsx") -> Path:
    """Run `soffice --headless --convert-to FMT` with a private profile (so it neither waits for nor
    disturbs a LibreOffice the user has open); the converted file's path."""
    profile = Path(tempfile.mkdtemp(prefix="gwgk-lo-"))
    try:
        result = subprocess.run(
            [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", fmt, "--outdir", str(outdir), str(source)],
            capture_output=True, timeout=TIMEOUT_SECONDS, check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BadValue(f"{source.name}: LibreOffice 转换失败（{exc}）") from None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    target = outdir / (source.stem + "." + fmt)
    if result.returncode != 0 or not target.is_file():
        raise BadValue(f"{source.name}: LibreOffice 无法转换此文件（请在 Excel 或 WPS 中另存为 .xlsx 后再导入）")
    return target


def to_xlsx(source: Path) -> bytes:
    """The .xlsx bytes of an .xls/.et/.ods file; BadValue with what to do when LibreOffice is absent."""
    soffice = find_soffice()
    if soffice is None:
        raise BadValue(f"{source.name}: {source.suffix} 文件需要 LibreOffice 转换，但未找到 soffice；"
                       "请在 Excel 或 WPS 中“另存为” .xlsx 后再导入")
    with tempfile.TemporaryDirectory(prefix="gwgk-sheet-") as tmp:
        return convert(soffice, source, Path(tmp)).read_bytes()
