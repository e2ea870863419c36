"""How long `gwgk import` takes for big notices in each format, and whether it grows linearly.

    python benchmarks/import_bench.py [ROWS ...] [--formats txt,html,docx,xlsx,pdf,pdf-cid]
                                                      # default rows: 1000 2500 5000 10000

For each size it writes one notice of that many tasks (with section and subsection rows; ids past
1000) as text, HTML, .docx, .xlsx and PDF (tests/fixtures/import/make_fixtures.py, which needs the
test extras), then times import_notice on the bytes (best of 2; the writing is not timed) and
prints seconds and microseconds per task, and the processor seconds of that run in brackets,
worker processes included (on a machine shared with other work, the wall-clock figure grows and the
processor figure much less). A PDF of 40 pages or more is read by worker processes, one per CPU
(importer/pdf.py); GWGK_IMPORT_WORKERS=1 in the environment measures the serial reading instead.
Linear means the per-task figure stays flat. A script, not a timed test: the figures depend on the
machine.

Two PDFs: ``pdf`` embeds its fonts (TrueType subsets, as Word and WPS save a PDF; needs the Debian
fonts named in make_fixtures.EMBED_FONTS, else it is skipped); ``pdf-cid`` only names the Adobe
CID font STSong-Light, which the reader must substitute with a system font. ``--pdfium`` adds a
line per PDF size with the time PDFium alone takes to load every page and its text layer (the
part of the import that is not gwgk's code).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("make_fixtures", ROOT / "tests" / "fixtures" / "import" / "make_fixtures.py")
assert spec is not None and spec.loader is not None
make = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make)

from gwgk_cli.importer import import_notice  # noqa: E402

WRITERS = {
    "txt": lambda items: make.to_text(items).encode("utf-8"),
    "html": make.to_html,
    "docx": make.to_docx,
    "xlsx": lambda items: make.to_xlsx(items, extra_sheet=False),
    "pdf": lambda items: make.to_pdf(items, embed=True),
    "pdf-cid": make.to_pdf,
}


def pdfium_only(data: bytes) -> float:
    """Processor seconds PDFium takes to load every page and its text layer, with nothing else done."""
    import pypdfium2 as pdfium

    start = time.process_time()
    doc = pdfium.PdfDocument(data)
    for i in range(len(doc)):
        page = doc[i]
        page.get_textpage().close()
        page.close()
    doc.close()
    return time.process_time() - start


def processor_seconds() -> float:
    """This process's processor seconds and those of its ended child processes (the PDF workers)."""
    t = os.times()
    return time.process_time() + t.children_user + t.children_system


def main(sizes: list[int], formats: list[str], *, pdfium: bool = False) -> None:
    if "pdf" in formats and not make.can_embed():
        print("pdf: skipped, the fonts to embed are not installed (make_fixtures.EMBED_FONTS)")
        formats = [f for f in formats if f != "pdf"]
    writers = {f: WRITERS[f] for f in formats}
    print(f"{'rows':>6} " + " ".join(f"{f:>24}" for f in writers))
    for n in sizes:
        items = make.big_notice(n)
        cells = []
        alone = []
        for fmt, write in writers.items():
            data = write(items)
            if pdfium and fmt.startswith("pdf"):
                alone.append(f"{fmt} {min(pdfium_only(data) for _ in range(2)):.2f}s")
            best, cpu = float("inf"), 0.0
            for _ in range(2):
                start, start_cpu = time.perf_counter(), processor_seconds()
                result = import_notice(data, source_name=f"big.{fmt}")
                if time.perf_counter() - start < best:
                    best, cpu = time.perf_counter() - start, processor_seconds() - start_cpu
            assert len(result.table["tasks"]) == n, (fmt, len(result.table["tasks"]))
            cells.append(f"{best:6.2f}s {best / n * 1e6:5.0f}µs ({cpu:5.2f}s)")
        print(f"{n:>6} " + " ".join(f"{c:>24}" for c in cells), flush=True)
        if alone:
            print(f"{'':>6} PDFium alone, processor seconds (load pages and text layers): " + ", ".join(alone), flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    formats = list(WRITERS)
    if "--formats" in args:
        k = args.index("--formats")
        formats = args[k + 1].split(",")
        del args[k : k + 2]
    pdfium = "--pdfium" in args
    args = [a for a in args if a != "--pdfium"]
    main([int(a) for a in args] or [1000, 2500, 5000, 10000], formats, pdfium=pdfium)
