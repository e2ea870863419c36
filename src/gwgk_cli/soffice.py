"""Where LibreOffice is: one finder for every conversion (an old notice at import, a .xls/.et 填报表 at sheet in).

GWGK_SOFFICE names the program when it is somewhere else; then `soffice`/`libreoffice` on PATH; on Windows the
usual install folders, 64-bit and 32-bit (ProgramW6432 for a 32-bit Python), and the folder LibreOffice's installer
writes to the registry (a D:\\Program Files install); on macOS the application bundle (found by a Windows review:
the two finders looked in different places, neither in the registry).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def find_soffice() -> str | None:
    """The LibreOffice program to run, or None when it is not installed (or not found)."""
    chosen = os.environ.get("GWGK_SOFFICE", "").strip()
    if chosen:
        return chosen if Path(chosen).is_file() else shutil.which(chosen)
    for name in ("soffice", "libreoffice"):
        if found := shutil.which(name):
            return found
    candidates: list[Path] = []
    if sys.platform == "win32":
        for var in ("ProgramW6432", "ProgramFiles", "ProgramFiles(x86)"):
            if base := os.environ.get(var):
                candidates.append(Path(base) / "LibreOffice" / "program" / "soffice.exe")
        candidates += [Path(folder) / "soffice.exe" for folder in _registry_folders()]
    elif sys.platform == "darwin":
        candidates.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
    return next((str(c) for c in candidates if c.is_file()), None)


def _registry_folders() -> list[str]:
    """The program folders LibreOffice's installer recorded (HKLM\\SOFTWARE\\LibreOffice\\UNO\\InstallPath)."""
    if sys.platform != "win32":
        return []
    import winreg

    out = []
    for view in (0, winreg.KEY_WOW64_32KEY, winreg.KEY_WOW64_64KEY):
        try:
            with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\LibreOffice\UNO\InstallPath", 0,
                                winreg.KEY_READ | view) as key:
                out.append(str(winreg.QueryValueEx(key, "")[0]))
        except OSError:
            continue
    return out
