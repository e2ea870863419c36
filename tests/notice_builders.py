"""The notice builders of tests/fixtures/import/make_fixtures.py (to_text, to_html, to_docx, to_xlsx,
to_pdf of a list of items …), loaded once for the import tests (the fixtures folder is not a package)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def _load() -> Any:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


make = _load()


def tab_text(items: list[tuple[str, Any]]) -> bytes:
    """The items as text copied from a table: a task's cells joined by tabs, a heading on its own line."""
    return ("\n".join("\t".join(v) if isinstance(v, list) else v for _, v in items) + "\n").encode()


# A notice of `items` in each format a clerk receives (file name -> writer), PDF apart (it is slower).
WRITERS = {
    "n.txt": lambda items: make.to_text(items).encode(),
    "tab.txt": tab_text,
    "n.html": make.to_html,
    "n.docx": make.to_docx,
    "n.xlsx": make.to_xlsx,
}
