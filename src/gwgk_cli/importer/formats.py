"""Which reader reads a notice: by its first bytes, then by its file name's extension."""

from __future__ import annotations

from pathlib import PurePath

from gwgk_cli.errors import NoticeError
from gwgk_cli.importer.decode import decode_notice
from gwgk_cli.importer.model import Source

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc .xls .wps .et (the old Office files)
PDF_MAGIC = b"%PDF-"


# A password-protected .docx/.xlsx is an OLE compound file holding the streams EncryptionInfo and
# EncryptedPackage (their names in the directory, UTF-16LE).
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
_WORD_EXT = (".docx", ".docm", ".doc", ".wps", ".wpsx", ".dotx")
_EXCEL_EXT = (".xlsx", ".xlsm", ".xls", ".et", ".etx", ".xltx")


def _password_advice(ext: str) -> str:
    if ext in _WORD_EXT:
        app, save = "Word 或 WPS 文字", ".docx"
    elif ext in _EXCEL_EXT:
        app, save = "Excel 或 WPS 表格", ".xlsx"
    else:
        app, save = "Word、Excel 或 WPS", ".docx 或 .xlsx"
    return f"文件设置了打开密码（已加密），无法读取：请用 {app} 打开（输入密码），去掉密码后另存为 {save} 再导入"


def kind_of(data: bytes, source_name: str) -> str:
    """text, html, docx, xlsx, xls, pdf or office (an old binary Office file to convert)."""
    ext = PurePath(source_name).suffix.lower()
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(ZIP_MAGIC):
        if b"word/" in data[:65536] or ext in (".docx", ".docm", ".wpsx"):
            return "docx"
        if b"xl/" in data[:65536] or ext in (".xlsx", ".xlsm", ".etx"):
            return "xlsx"
        if ext in (".odt", ".ods"):
            return "office"
        raise NoticeError(f"无法识别的压缩文件格式（{source_name}）：请另存为 .docx 或 .xlsx 后再导入")
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED in data:
            raise NoticeError(_password_advice(ext))
        return "xls" if ext in (".xls", ".et", ".xlt") else "office"
    if ext in (".htm", ".html", ".shtml", ".xhtml", ".mht"):
        return "html"
    return "text"


def read_any(data: bytes, source_name: str) -> Source:
    kind = kind_of(data, source_name)
    if kind == "office":
        from gwgk_cli.importer.office import convert

        data, source_name = convert(data, source_name)
        kind = kind_of(data, source_name)
    if kind == "pdf":
        from gwgk_cli.importer.pdf import read_pdf

        return read_pdf(data)
    if kind == "docx":
        from gwgk_cli.importer.docx import read_docx

        return read_docx(data)
    if kind in ("xlsx", "xls"):
        from gwgk_cli.importer.xlsx import read_workbook

        try:
            return read_workbook(data)
        except NoticeError:
            if kind == "xlsx":
                raise
        from gwgk_cli.importer.office import convert  # a WPS .et calamine cannot read

        data, source_name = convert(data, source_name)
        return read_workbook(data)
    from gwgk_cli.importer.html import looks_like_html, read_html

    if kind == "html":
        return read_html(data)
    text = decode_notice(data, html=b"<meta" in data[:8192].lower())
    if looks_like_html(text):
        return read_html(data, text)
    from gwgk_cli.importer.text import read_text

    return read_text(text)
