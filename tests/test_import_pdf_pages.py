"""A big PDF's pages read in worker processes (importer/pdf.py): the same result as the serial reading.

GWGK_IMPORT_WORKERS chooses the number of processes (1: serial), so both paths run on the same files
and their results are compared whole: the table, every --explain line with its position, the warnings
and the YAML written by the real CLI.
"""

from __future__ import annotations

import concurrent.futures
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gwgk_cli.importer import ImportResult, NoticeError, import_notice
from gwgk_cli.importer import pdf as pdf_reader
from notice_builders import FIXTURES, make


@pytest.fixture(scope="module")
def big_pdf() -> bytes:
    """A generated notice of 300 tasks over several pages (sections, subsections, ids past 100)."""
    data: bytes = make.to_pdf(make.big_notice(300))
    return data


def whole(result: ImportResult) -> tuple[Any, ...]:
    return (
        result.table,
        [(e.lineno, e.text, e.became, e.where) for e in result.explain],
        [(w.lineno, w.message, w.where) for w in result.warnings],
        result.drafts,
        result.placeholders,
    )


def read(data: bytes, name: str, workers: int, monkeypatch: pytest.MonkeyPatch) -> ImportResult:
    monkeypatch.setenv("GWGK_IMPORT_WORKERS", str(workers))
    return import_notice(data, source_name=name)


def test_generated_notice_has_pages_enough(big_pdf: bytes) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(big_pdf)
    try:
        assert len(doc) >= 6
    finally:
        doc.close()


@pytest.mark.parametrize("workers", [2, 3, 5])
def test_parallel_equals_serial_on_a_generated_notice(
    big_pdf: bytes, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = read(big_pdf, "big.pdf", 1, monkeypatch)
    assert len(serial.table["tasks"]) == 300
    assert whole(read(big_pdf, "big.pdf", workers, monkeypatch)) == whole(serial)


@pytest.mark.parametrize("workers", [2, 3])
def test_parallel_equals_serial_on_the_split_row(workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The task continued over the page break and the repeated header: pages put back in order."""
    data = (FIXTURES / "split-row.pdf").read_bytes()
    serial = read(data, "split-row.pdf", 1, monkeypatch)
    parallel = read(data, "split-row.pdf", workers, monkeypatch)
    assert whole(parallel) == whole(serial)
    explain = {e.where: e.became for e in parallel.explain}
    assert explain["第 2 页表格第 2 行第 2 列"] == "任务 2 具体要求（接上一表格行）"


def test_the_pool_really_reads_the_pages(big_pdf: bytes) -> None:
    """The parallel path itself (not a silent fallback) returns the serial path's pages."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(big_pdf)
    try:
        serial = pdf_reader._read_pages(doc, 0, len(doc))
        parallel = pdf_reader._read_parallel(big_pdf, len(doc), 2)
    finally:
        doc.close()
    assert parallel is not None
    assert len(parallel) == len(serial) >= 6
    assert parallel == serial


def test_a_pool_that_cannot_start_falls_back_to_serial(
    big_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    class NoPool:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError("no processes here")

    serial = read(big_pdf, "big.pdf", 1, monkeypatch)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", NoPool)
    assert pdf_reader._read_parallel(big_pdf, 8, 2) is None
    assert whole(read(big_pdf, "big.pdf", 2, monkeypatch)) == whole(serial)


def test_workers_that_fail_fall_back_to_serial() -> None:
    """A document the workers cannot open: the pool's failure is None, not an exception."""
    assert pdf_reader._read_parallel(b"%PDF-1.4 not really", 4, 2) is None


def test_a_damaged_pdf_is_the_same_error_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    for workers in (1, 2):
        monkeypatch.setenv("GWGK_IMPORT_WORKERS", str(workers))
        with pytest.raises(NoticeError, match="无法读取 PDF 文件：文件已损坏或不是 PDF（其结构无法解析）"):
            import_notice(b"%PDF-1.4\n%%EOF", source_name="x.pdf")


@pytest.mark.parametrize(
    ("env", "pages", "expected"),
    [
        ("1", 500, 1),  # serial when asked
        ("2", 500, 2),
        ("4", 3, 3),  # never more workers than pages
        ("3", 1, 1),
    ],
)
def test_workers_asked_for(env: str, pages: int, expected: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GWGK_IMPORT_WORKERS", env)
    assert pdf_reader._workers(pages) == expected


@pytest.mark.parametrize("env", [None, "", "0", "many", "-2"])
def test_workers_by_default(env: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset or not a positive number: serial below 40 pages, else one per CPU (at most 8, 20 pages each)."""
    import os

    if env is None:
        monkeypatch.delenv("GWGK_IMPORT_WORKERS", raising=False)
    else:
        monkeypatch.setenv("GWGK_IMPORT_WORKERS", env)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    assert pdf_reader._workers(1) == 1
    assert pdf_reader._workers(39) == 1
    assert pdf_reader._workers(40) == min(cpus, 2)
    assert pdf_reader._workers(277) == min(cpus, 8, 13)
    assert pdf_reader._workers(5000) == min(cpus, 8)


@given(st.integers(min_value=1, max_value=5000), st.integers(min_value=1, max_value=64))
def test_ranges_cover_every_page_once_in_order(n_pages: int, parts: int) -> None:
    ranges = pdf_reader._ranges(n_pages, parts)
    assert ranges[0][0] == 0 and ranges[-1][1] == n_pages
    assert all(a < b for a, b in ranges)
    assert all(ranges[k][1] == ranges[k + 1][0] for k in range(len(ranges) - 1))
    assert len(ranges) == min(parts, n_pages)
    sizes = [b - a for a, b in ranges]
    assert max(sizes) - min(sizes) <= 1


def test_cli_writes_the_same_yaml_either_way(
    big_pdf: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gwgk: Any
) -> None:
    notice = tmp_path / "big.pdf"
    notice.write_bytes(big_pdf)
    written = {}
    for workers in (1, 2):
        monkeypatch.setenv("GWGK_IMPORT_WORKERS", str(workers))
        out = tmp_path / f"tasks-{workers}.yaml"
        result = gwgk("--today", "2026-12-01", "import", str(notice), "-o", str(out))
        assert result.exit_code == 0, result.output
        written[workers] = out.read_bytes()
    assert written[1] == written[2]
    assert b"id: 300" in written[1]
