"""gwgk import on the layouts other offices publish their 政务公开 task lists in, rebuilt from real notices
(the same columns, merges and numbering; shortened texts), each as a CMS page and, through LibreOffice,
as the .docx, .xlsx, .xls and PDF an office saves — table-driven: the tasks each must give (section,
subsection, requirement head, units lead first, leads, deadline) and the warnings that must come with them.

- 池州市信访局 2022 (a department): 工作任务 before 序号, one merged over two tasks; 责任科室; 长期坚持.
- 江门市土地储备中心: 一、 headings in the 工作任务 column merged over their tasks, 1. inside 具体要求,
  `办公室牵头，各科室配合`, no deadline column.
- 厦门市集美区 2021: 工作任务 | 工作要求 | 牵头单位 | 责任单位 (only the first leads), section rows, no 序号.
- 荆州市 2022: the header's 工作任务 merged over three columns (一、 | （一） | the task's number).
- 石泉县 2021: 序号 | 一级指标 | 二级指标 | 三级指标 | 责任单位 | 完成时限, ① in the text, notes under the
  table numbered 1. 2. (the note's items, no task).
- 工作任务 | 具体措施 | 牵头单位 | 配合单位 with 序号 and 工作任务 merged over two measures; headings as rows of
  two cells (一 | 加强政策解读) whose colspan the CMS dropped (two layouts met in several notices).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gwgk_cli.importer import ImportResult, import_notice


def _tr(*cells: str) -> str:
    return "<tr>" + "".join(c if c.startswith("<td") else f"<td><p>{c}</p></td>" for c in cells) + "</tr>"


def _page(title: str, published: str, rows: list[str], after: str = "") -> bytes:
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="nav">首页 &gt; 政务公开 &gt; 通知公告</div>
<div class="article"><h1>{title}</h1><div class="info">发布时间：{published} 来源：办公室</div>
<table border="1" cellspacing="0" style="border-collapse:collapse"><tbody>
{chr(10).join(rows)}
</tbody></table>
{after}
</div><div class="footer">版权所有 网站标识码3417000001</div></body></html>
""".encode()


def _span(n: int, text: str, how: str = "rowspan") -> str:
    return f'<td {how}="{n}"><p>{text}</p></td>'


LAYOUTS: dict[str, bytes] = {
    "chizhou": _page("池州市信访局2022年政务公开重点工作任务清单", "2022-04-12", [
        _tr("工作任务", "序号", "具体要求", "责任科室", "时限要求"),
        _tr("强化行政规范性文件集中规范公开", "1", "对行政规范性文件进行全面清理，并向社会公布目录。", "办公室", "年底前"),
        _tr("深化政策解读形式", "2", "积极做好政策解读工作，丰富解读形式。", "各科室", "持续推进"),
        _tr(_span(2, "做好主动公开基础工作"), "3", "严格规范政府信息公开专栏，及时发布法定主动公开内容。", "各科室", "持续推进"),
        _tr("4", "规范做好政府信息公开工作年度报告编制发布工作。", "办公室", "2022年1月底前"),
        _tr("规范办理依申请公开", "5", "依法依规办理政府信息公开申请，防范法律风险。", "各科室", "长期坚持"),
    ]),
    "jiangmen": _page("江门市土地储备中心2022年政务公开工作要点任务分工", "2022-04-12", [
        _tr("工作任务", "具体要求", "责任部门"),
        _tr("一、做好财政信息公开。", "1.积极推进本中心预算、决算及相关报表公开。", "财务科"),
        _tr(_span(3, "二、做好政府网站专栏信息公开。"), "2.及时更新网站频道的各类型概况信息。", "办公室"),
        _tr("3.及时反馈网民对调查征集信息的意见。", "各科室"),
        _tr("4.及时更新微信公众号信息。", "办公室牵头，各科室配合"),
    ]),
    "jimei": _page("2021年集美区政务公开工作主要任务分解表", "2021-06-29", [
        _tr("工作任务", "工作要求", "牵头单位", "责任单位"),
        _tr(_span(4, "一、紧扣“十四五”开好局起好步，进一步深化政务公开", "colspan")),
        _tr(_span(2, "（一）加强规划信息公开"), "1.做好“十四五”规划纲要及专项规划公开和解读。", "区发改局", "区直各有关部门"),
        _tr("2.及时公开规划实施进展情况。", "区发改局", "各镇街"),
        _tr(_span(4, "二、紧扣宏观政策落地见效，进一步深化政务公开", "colspan")),
        _tr("（一）做好惠企政策公开", "3.集中公开惠企政策，推动政策直达快享。", "区工信局、区商务局", "区财政局，各镇街"),
    ]),
    "jingzhou": _page("荆州市2022年政务公开任务分解责任清单", "2022-07-25", [
        _tr(_span(3, "工作任务", "colspan"), "具体要求", "责任单位", "时限要求"),
        _tr(_span(3, "一、以公开助力经济平稳健康发展。"), _span(2, "（一）加强涉及市场主体的信息公开。"), "1",
            "切实公开涉及市场主体政策文件的决策、解读、执行落实情况。", "市政府各有关部门，各县市区人民政府负责落实", "持续推进"),
        _tr("2", "开设行业帮扶政策公开专题。", "市政府各有关部门", "2022年6月底前"),
        _tr("（二）加强就业信息公开。", "3", "畅通政务服务热线受理和反馈机制。", "市发展改革委牵头，市住建局配合", "每季度"),
    ]),
    "shiquan": _page("石泉县2021年政务公开工作任务分解一览表", "2021-04-23", [
        _tr("序号", "一级指标", "二级指标", "三级指标", "责任单位", "完成时限"),
        _tr("1", _span(3, "重点领域信息公开"), _span(2, "财政信息"), "①公开本级政府预决算报告和报表。", "县财政局", "2021年6月底前"),
        _tr("2", "②公开部门预决算和“三公”经费。", "县级各部门", "长期坚持"),
        _tr("3", "重大建设项目", "③公开重大建设项目批准和实施信息。", "县发改局", "每季度"),
    ], after="<p>注：1.各单位每季度末报送落实情况。</p><p>2.本表由县政府办负责解释。</p>"),
    # 工作任务 | 具体措施 | 牵头单位 | 配合单位, the 序号 and 工作任务 merged over two measures (each its own
    # units and deadline: two tasks, the second numbered by the importer and said so, at its row).
    "measures": _page("某市2022年政务公开重点工作任务分工方案", "2022-04-12", [
        _tr("序号", "工作任务", "具体措施", "牵头单位", "配合单位", "完成时限"),
        _tr(_span(6, "一、深化重点领域信息公开", "colspan")),
        _tr(_span(2, "1"), _span(2, "推进财政信息公开"), "（1）公开本级预决算报告和报表。", "市财政局", "市直各部门", "2022年6月底前"),
        _tr("（2）公开政府债务限额和余额。", "市财政局", "", "每季度"),
        _tr("2", "加强政策解读", "同步发布政策解读材料。", "市政府办公室", "市直各部门、各县区政府", "长期坚持"),
        _tr(_span(6, "二、提升政务公开能力", "colspan")),
        _tr("3", "开展业务培训", "组织全市政务公开业务培训。", "市政务公开办", "", "2022年11月底前"),
    ]),
    # Headings as rows of two cells (一 | 加强政策解读), no colspan: the CMS dropped it.
    "splithead": _page("某区2022年政务公开重点工作任务清单", "2022-04-12", [
        _tr("序号", "重点任务", "责任单位", "完成时间"),
        _tr("一", "加强政策解读"),
        _tr("1", "做好政策解读。", "区政府办", "年底前"),
        _tr("2", "开展政策吹风。", "区政府办、区司法局", "2022年9月底前"),
        _tr("二", "回应社会关切"),
        _tr("3", "及时回应舆情。", "各街道", "持续推进"),
    ]),
}

# (id, section, subsection, requirement's head, units, leads, deadline) of each task.
EXPECTED: dict[str, list[tuple[Any, ...]]] = {
    "chizhou": [
        (1, 1, None, "对行政规范性文件", ["办公室"], None, "年底前"),
        (2, 2, None, "积极做好政策解读", ["各科室"], None, "持续推进"),
        (3, 3, None, "严格规范政府信息", ["各科室"], None, "持续推进"),
        (4, 3, None, "规范做好政府信息", ["办公室"], None, "2022年1月底前"),
        (5, 4, None, "依法依规办理政府", ["各科室"], None, "长期坚持"),
    ],
    "jiangmen": [
        (1, 1, None, "积极推进本中心预", ["财务科"], None, ""),
        (2, 2, None, "及时更新网站频道", ["办公室"], None, ""),
        (3, 2, None, "及时反馈网民对调", ["各科室"], None, ""),
        (4, 2, None, "及时更新微信公众", ["办公室", "各科室"], None, ""),
    ],
    "jimei": [
        (1, 1, 1, "做好“十四五”规", ["区发改局", "区直各有关部门"], None, ""),
        (2, 1, 1, "及时公开规划实施", ["区发改局", "各镇街"], None, ""),
        (3, 2, 1, "集中公开惠企政策", ["区工信局", "区商务局", "区财政局", "各镇街"], ["区工信局", "区商务局"], ""),
    ],
    "jingzhou": [
        (1, 1, 1, "切实公开涉及市场", ["市政府各有关部门", "各县市区人民政府"], None, "持续推进"),
        (2, 1, 1, "开设行业帮扶政策", ["市政府各有关部门"], None, "2022年6月底前"),
        (3, 1, 2, "畅通政务服务热线", ["市发展改革委", "市住建局"], None, "每季度"),
    ],
    "shiquan": [
        (1, 1, 1, "①公开本级政府预", ["县财政局"], None, "2021年6月底前"),
        (2, 1, 1, "②公开部门预决算", ["县级各部门"], None, "长期坚持"),
        (3, 1, 2, "③公开重大建设项", ["县发改局"], None, "每季度"),
    ],
    "measures": [
        (1, 1, 1, "（1）公开本级预", ["市财政局", "市直各部门"], None, "2022年6月底前"),
        (4, 1, 1, "（2）公开政府债", ["市财政局"], None, "每季度"),
        (2, 1, 2, "同步发布政策解读", ["市政府办公室", "市直各部门", "各县区政府"], None, "长期坚持"),
        (3, 2, 1, "组织全市政务公开", ["市政务公开办"], None, "2022年11月底前"),
    ],
    "splithead": [
        (1, 1, None, "做好政策解读。", ["区政府办"], None, "年底前"),
        (2, 1, None, "开展政策吹风。", ["区政府办", "区司法局"], None, "2022年9月底前"),
        (3, 2, None, "及时回应舆情。", ["各街道"], None, "持续推进"),
    ],
}
OUTLINES = {
    "chizhou": ["强化行政规范性文件集中规范公开", "深化政策解读形式", "做好主动公开基础工作", "规范办理依申请公开"],
    "jiangmen": ["做好财政信息公开", "做好政府网站专栏信息公开"],
    "jimei": ["紧扣“十四五”开好局起好步，进一步深化政务公开", "紧扣宏观政策落地见效，进一步深化政务公开"],
    "jingzhou": ["以公开助力经济平稳健康发展"],
    "shiquan": ["重点领域信息公开"],
    "measures": ["深化重点领域信息公开", "提升政务公开能力"],
    "splithead": ["加强政策解读", "回应社会关切"],
}
# What every format must also say (a part of each warning); and what none may.
MUST_WARN = {
    "jiangmen": ["任务 1 缺少时限要求"],
    "jimei": ["任务 3 缺少时限要求"],
    "shiquan": ["表格中的注释行，不是任务（已忽略）：注：1.各单位每季度末报送落实情况。"],
    "measures": ["序号 1 的单元格合并了几行：此行作为另一项任务，编为 4（通知中未用的序号），请核对"],
}
NEVER = ("超出表头的列", "不完整", "任务没有编号", "重复，改编为", "缺少具体要求", "缺少责任单位", "任务前没有部分标题")


def _rows(result: ImportResult) -> list[tuple[Any, ...]]:
    return [(t["id"], t["section"], t["subsection"], t["requirement"][:8], t["units"], t.get("leads"), t["deadline"])
            for t in result.table["tasks"]]


def _check(name: str, result: ImportResult) -> None:
    assert _rows(result) == EXPECTED[name]
    assert [s["title"] for s in result.table["sections"]] == OUTLINES[name]
    said = [str(w) for w in result.warnings]
    for part in MUST_WARN.get(name, []):
        assert any(part in w for w in said), (part, said)
    assert not [w for w in said if any(bad in w for bad in NEVER)]
    assert result.table["meta"]["year"] == int(result.table["meta"]["title"][result.table["meta"]["title"].index("20"):][:4])


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_a_layout_as_the_cms_publishes_it(name: str) -> None:
    _check(name, import_notice(LAYOUTS[name], source_name=f"{name}.html", imported=dt.date(2026, 12, 1)))


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every layout saved by LibreOffice as .docx, .xlsx, .xls and PDF (one soffice run a format)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    root = tmp_path_factory.mktemp("layouts")
    pages = []
    for name, data in LAYOUTS.items():
        (root / f"{name}.html").write_bytes(data)
        pages.append(str(root / f"{name}.html"))
    profile = (root / "profile").as_uri()
    for args in (["--convert-to", "docx:MS Word 2007 XML"], ["--convert-to", "pdf:writer_pdf_Export"],
                 ["--infilter=HTML (StarCalc)", "--convert-to", "xlsx"],
                 ["--infilter=HTML (StarCalc)", "--convert-to", "xls:MS Excel 97"]):
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", *args, "--outdir", str(root), *pages],
                       check=True, capture_output=True, timeout=300)
    return root


@pytest.mark.parametrize("ext", ["docx", "xlsx", "xls", "pdf"])
@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_a_layout_as_an_office_saves_it(converted: Path, name: str, ext: str) -> None:
    path = converted / f"{name}.{ext}"
    _check(name, import_notice(path.read_bytes(), source_name=path.name, imported=dt.date(2026, 12, 1)))


# The same tables copied from the page as text, as the stored copies of those pages show them: a row's
# cells joined by " | ", the cells a merged cell covered missing at the row's start and made up by empty
# cells at its end; the header's 工作任务 over three columns one cell (荆州). Before: the 江门 rows
# without their group cell put the task's text in the 工作任务 column (tasks whose requirement was
# 各科室), and the 荆州 rows put the subsection in 具体要求 and the number in 责任单位.
COPIES = {
    "jiangmen": "江门市土地储备中心2022年政务公开工作要点任务分工\n工作任务 | 具体要求 | 责任部门 |\n"
                "一、做好财政信息公开。 | 1.积极推进本中心预算、决算及相关报表公开。 | 财务科 |\n"
                "二、做好政府网站专栏信息公开。 | 2.及时更新网站频道的各类型概况信息。 | 办公室 |\n"
                "3.及时反馈网民对调查征集信息的意见。 | 各科室 | |\n"
                "4.及时更新微信公众号信息。 | 办公室牵头，各科室配合 | |\n",
    "jingzhou": "荆州市2022年政务公开任务分解责任清单\n工作任务 | 具体要求 | 责任单位 | 时限要求 | ||\n"
                "一、以公开助力经济平稳健康发展。 | （一）加强涉及市场主体的信息公开。 | 1 | "
                "切实公开涉及市场主体政策文件的决策、解读、执行落实情况。 | 市政府各有关部门，各县市区人民政府负责落实 | 持续推进 |\n"
                "2 | 开设行业帮扶政策公开专题。 | 市政府各有关部门 | 2022年6月底前 | ||\n"
                "（二）加强就业信息公开。 | 3 | 畅通政务服务热线受理和反馈机制。 | 市发展改革委牵头，市住建局配合 | 每季度 | |\n",
}


@pytest.mark.parametrize("name", sorted(COPIES))
def test_a_layout_copied_from_the_page_as_text(name: str) -> None:
    result = import_notice(COPIES[name].encode(), source_name=f"{name}.txt", imported=dt.date(2026, 12, 1))
    assert _rows(result) == EXPECTED[name]
    assert [s["title"] for s in result.table["sections"]] == OUTLINES[name]
    assert not [w for w in map(str, result.warnings) if any(bad in w for bad in NEVER)]


# Any such table: a section row (一、…), then groups (工作任务 merged over one to three tasks numbered 1. in
# 具体要求). The page (rowspan) and its copy as text (the group cell only on its first row, the others padded
# with an empty cell at their end) import to the same tasks, the ones the table holds.
_UNITS = ["县财政局", "县政府办", "各乡镇人民政府", "县发改委、县统计局"]
_DEADLINES = ["年底前", "2022年6月底前", "持续推进", "长期坚持", "每季度"]
_TEXTS = ["公开预算决算。", "做好政策解读。", "回应社会关切，做好舆情处置。", "更新公开目录", "开展业务培训。"]
_groups = st.lists(st.lists(st.tuples(st.sampled_from(_TEXTS), st.sampled_from(_UNITS), st.sampled_from(_DEADLINES)),
                            min_size=1, max_size=3), min_size=1, max_size=4)


@settings(max_examples=40, deadline=None)
@given(sections=st.lists(_groups, min_size=1, max_size=3))
def test_a_merged_table_and_its_copy_as_text_give_the_same_tasks(sections: list[list[list[tuple[str, str, str]]]]) -> None:
    html = [_tr("工作任务", "具体要求", "责任单位", "时限要求")]
    copy = ["示例县2022年政务公开重点工作任务分工", "工作任务 | 具体要求 | 责任单位 | 时限要求 |"]
    expected = []
    n = 0
    for s_no, groups in enumerate(sections, start=1):
        heading = "一二三"[s_no - 1] + "、第" + "一二三"[s_no - 1] + "部分"
        html.append(_tr(_span(4, heading, "colspan")))
        copy.append(f"{heading} |")
        for g_no, group in enumerate(groups, start=1):
            for k, (text, units, deadline) in enumerate(group):
                n += 1
                req = f"{n}.{text}"
                expected.append((n, s_no, req.split(".", 1)[1][:8], units.split("、"), deadline))
                if k == 0:
                    html.append(_tr(_span(len(group), f"工作任务{s_no}-{g_no}"), req, units, deadline))
                    copy.append(f"工作任务{s_no}-{g_no} | {req} | {units} | {deadline} |")
                else:
                    html.append(_tr(req, units, deadline))
                    copy.append(f"{req} | {units} | {deadline} | |")
    page = _page("示例县2022年政务公开重点工作任务分工", "2022-03-01", html)
    got = []
    for data, name in ((page, "n.html"), (("\n".join(copy) + "\n").encode(), "n.txt")):
        result = import_notice(data, source_name=name, imported=dt.date(2026, 12, 1))
        got.append([(t["id"], t["section"], t["requirement"][:8], t["units"], t["deadline"]) for t in result.table["tasks"]])
        assert not [w for w in map(str, result.warnings) if any(bad in w for bad in NEVER)]
    assert got[0] == got[1] == expected
