"""Two versions of one 填报表 (the same 表号, different bytes): a corrected copy sent again, or the older
draft found in a mail folder after the correction.

The later version is the one whose latest 填报日期 is later; with the same 填报日期, the one saved later
(the workbook's own "modified" time, which Excel, WPS and LibreOffice set when they save), and against a
version already in the journal, one saved after that version was imported (a correction asked for
after the import). A version that is not evidently the later one is refused as a whole when it would record
anything (it may be the older draft: recording it would set the task back), unless `gwgk sheet in
--force` (one that records nothing, a copy saved again, is only named in the preview); a later version is
imported with a notice naming the earlier one, and records only what differs from it (merge.propose).
Two versions given in one call: the later one is read, the others refused (unless --force).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from gwgk_cli.journal_entry import Entry
from gwgk_cli.sheet_source import parse_source
from gwgk_cli.sheets.reader import ReturnedSheet


def latest_filled(sheet: ReturnedSheet, today: dt.date) -> dt.date | None:
    """The latest 填报日期 of the sheet's filled rows (a row without one: the day it is recorded as)."""
    if sheet.period is None:
        return None
    default = min(today, sheet.period.end)
    days = [row.filled_on or default for row in sheet.rows if not row.empty]
    return max(days, default=None)


def _saved_text(sheet: ReturnedSheet) -> str:
    return f"，保存于 {sheet.saved:%Y-%m-%d %H:%M} UTC" if sheet.saved is not None else ""


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.timezone.utc) if moment.tzinfo is None else moment


def same_sheet_in_call(sheets: Sequence[ReturnedSheet], today: dt.date, *, force: bool) -> None:
    """Files of one call carrying one 表号 in different versions: the later one is kept (a notice names the
    others); the others are refused (fail) unless `force`, then all are read (in the order given)."""
    groups: dict[str, list[ReturnedSheet]] = {}
    for sheet in sheets:
        if not sheet.fatal and sheet.sheet_id:
            groups.setdefault(sheet.sheet_id, []).append(sheet)
    for sheet_id, group in groups.items():
        seen: dict[str, ReturnedSheet] = {}
        for s in group:  # the same bytes again (a copy, or the file given twice): said so in the preview
            if s.sha256 in seen:
                s.same_as = seen[s.sha256].name
            seen.setdefault(s.sha256, s)
        if len(seen) < 2:
            continue

        def key(s: ReturnedSheet) -> tuple[dt.date, dt.datetime]:
            return (latest_filled(s, today) or dt.date.min, _utc(s.saved) if s.saved else
                    dt.datetime.min.replace(tzinfo=dt.timezone.utc))

        newest = max(group, key=key)
        others = [s for s in group if s is not newest and s.sha256 != newest.sha256]
        tied = [s for s in others if key(s) == key(newest)]
        if tied and not force:  # the same 填报日期, saved in the same second: which is the later cannot be told
            for s in [newest, *others]:
                s.fail(f"与 {'、'.join(o.name for o in group if o is not s)} 是同一张填报表（表号 {sheet_id}）的不同版本，"
                       "填报日期和保存时间相同，无法判断哪一份较新，未导入（只导入其中一份，或确认都登记请加 --force）")
            continue
        names = "、".join(f"{s.name}（填报日期 {latest_filled(s, today)}{_saved_text(s)}）" for s in others)
        if force:
            newest.notices.append(f"注意：表号 {sheet_id} 的另一版本 {names}也在本次导入中；已按 --force 依次都登记")
            continue
        newest.notices.append(f"注意：表号 {sheet_id} 的另一版本 {names}也在本次导入中；以此文件（较新）为准")
        for s in others:
            s.fail(f"与 {newest.name}（填报日期 {latest_filled(newest, today)}{_saved_text(newest)}）是同一张填报表"
                   f"（表号 {sheet_id}）的两个版本，此文件（填报日期 {latest_filled(s, today)}{_saved_text(s)}）"
                   "较旧，未导入（确认两份都登记请加 --force）")


def against_journal(sheet: ReturnedSheet, entries: Iterable[Entry], today: dt.date, *, force: bool
                    ) -> tuple[str, str]:
    """Another version of this sheet already in the journal: (a notice for the preview, the problem that
    refuses this file when it is not evidently the later one and would record anything: "" with --force).
    ("", "") when there is none."""
    from gwgk_cli.state import in_force

    sha = sheet.sha256[:16]
    earlier: dict[str, list[Entry]] = {}
    for e in in_force(entries):
        fields = parse_source(e.source)
        if fields is not None and fields["sheet"] == sheet.sheet_id and fields["sha256"] != sha:
            earlier.setdefault(fields["sha256"], []).append(e)
    if not earlier:
        return "", ""
    mine = latest_filled(sheet, today)
    refused: list[str] = []
    described: list[str] = []
    for lines in earlier.values():
        fields = parse_source(lines[0].source) or {}
        their = max(e.date for e in lines)
        imported = min((e.at for e in lines if e.at), default="")
        when = f"，{imported[:16].replace('T', ' ')} 导入" if imported else ""
        what = f"{fields.get('file', '')}（填报日期 {their}{when}）"
        described.append(what)
        later = mine is not None and mine > their
        saved_after = (mine == their and sheet.saved is not None and imported != ""
                       and _utc(sheet.saved) > dt.datetime.fromisoformat(imported))
        if not (later or saved_after):
            refused.append(what)
    if refused and not force:
        return (f"注意：表号 {sheet.sheet_id} 此前已从另一版本 {'、'.join(described)}导入；此文件看不出比它新",
                f"表号 {sheet.sheet_id} 此前已从另一版本 {'、'.join(refused)}导入；此文件填报日期 {mine}"
                f"{_saved_text(sheet)}，看不出比它新（旧版本？），未导入（确认以此文件为准请加 --force）")
    how = "已按 --force 导入" if refused else "此文件是较新的版本"
    return f"注意：表号 {sheet.sheet_id} 此前已从另一版本 {'、'.join(described)}导入；{how}，只登记与已登记内容不同之处", ""
