"""Start-up stays light: a piped read command loads neither pydantic nor rich, nor the libraries only
documents, spreadsheets and imports need (the lazy-import rule, checked in a fresh process)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("pydantic", "rich", "docx", "openpyxl", "lxml", "pdfplumber", "python_calamine", "yaml_ext")


def test_piped_list_imports_no_heavy_library(table: Path) -> None:
    code = (
        "import sys\n"
        "from gwgk_cli.entry import main\n"
        "sys.argv = ['gwgk', 'list', '--unit', '政务公开指导办', '--status', 'todo', '--format', 'json']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        f"print(','.join(sorted(m for m in {HEAVY!r} if m in sys.modules)) or '-', file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("[")
    assert result.stderr.strip().splitlines()[-1] == "-"
