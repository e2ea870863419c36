"""Checks data/tasks_2021.yaml against the notice it was transcribed from.

The notice (data/source/huainan-2021-notice.txt) is a web scrape that lost some
characters; the table restores them and lists each one under `repairs:`. Undoing
the repairs must give back the scraped text exactly.

The scrape also folded the full-width punctuation of the requirements to ASCII: the
`field: punctuation` repair is undone first (，：；（） -> , : ; ( ) in requirements, which had
no full-width mark in the scrape), then the others.
"""

import datetime
import hashlib
import re
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).parent.parent / "data"
TABLE_PATH = DATA / "tasks_2021.yaml"

CN = "零一二三四五六七八九十"
INDENT = " \u00a0\u2003\u3000\t"

with open(TABLE_PATH, encoding="utf-8") as f:
    TABLE = yaml.safe_load(f)

SOURCE_PATH = TABLE_PATH.parent / TABLE["source"]["file"]
with open(SOURCE_PATH, encoding="utf-8") as f:
    NOTICE = f.read()

# Notice lines with leading indentation removed, blank lines dropped.
LINES = [ln.lstrip(INDENT) for ln in NOTICE.splitlines()]
LINES = [ln for ln in LINES if ln.strip(INDENT)]
NOTICE_STRIPPED = "\n".join(LINES)

TASKS = TABLE["tasks"]
SECTIONS = TABLE["sections"]
REPAIRS = TABLE.get("repairs") or []
TASK_IDS = [t["id"] for t in TASKS]


def _unit_names():
    names = {}
    for u in TABLE["units"]:
        names[u["name"]] = u["name"]
        for a in u.get("aliases") or []:
            names[a] = u["name"]
    return names


UNIT_NAMES = _unit_names()


def section_heading(sec):
    return CN[sec["no"]] + "、" + sec["title"]


def subsection_heading(sub):
    # The notice writes subsection numbers with ASCII parentheses: (一)
    return "(" + CN[sub["no"]] + ")" + sub["title"]


PUNCTUATION = [r for r in (TABLE.get("repairs") or []) if r["field"] == "punctuation"]
FOLD = str.maketrans({full: ascii_ for r in PUNCTUATION for ascii_, full in zip(r["scraped"], r["restored"], strict=True)})


def fold(text):
    """The punctuation repair undone: full-width marks back to the scrape's ASCII ones."""
    return text.translate(FOLD)


def undo(text, repairs):
    if any(r["field"] == "requirement" for r in repairs) or repairs is REQUIREMENT:
        text = fold(text)
    for r in repairs:
        assert r["restored"] in text, r
        text = text.replace(r["restored"], r["scraped"])
    return text


REQUIREMENT: list = []  # marker: a requirement text without repairs of its own (still folded)


def repairs_for(task_id=None, field=None):
    found = [r for r in REPAIRS if r["task"] == task_id and r["field"] == field]
    return found or (REQUIREMENT if field == "requirement" else [])


def split_units(cell):
    return [u.strip() for u in re.split(r"[、,,]", cell) if u.strip()]


def requirement_line_index(task):
    scraped = undo(task["requirement"], repairs_for(task["id"], "requirement"))
    hits = [i for i, ln in enumerate(LINES) if ln == scraped]
    assert len(hits) == 1, f"task {task['id']}: requirement line found {len(hits)} times"
    return hits[0]


# ---------------------------------------------------------------- structure


def test_top_level_keys():
    assert TABLE["schema_version"] == 1
    allowed = {"schema_version", "meta", "source", "settings", "units", "sections", "tasks", "repairs"}
    assert set(TABLE) <= allowed


def test_meta():
    meta = TABLE["meta"]
    assert meta["title"] == "淮南市人民政府办公室2021年政务公开重点工作任务分工"
    assert meta["notice_title"] == "关于印发淮南市人民政府办公室2021年政务公开重点工作任务分工的通知"
    assert meta["issuer"] == "淮南市人民政府办公室"
    assert meta["published"] == datetime.date(2021, 9, 10)
    assert meta["year"] == 2021
    assert LINES[0] == meta["notice_title"]
    assert meta["title"] in LINES
    assert "2021-09-10" in NOTICE and meta["issuer"] in NOTICE


def test_settings():
    assert TABLE["settings"] == {"warn_days": 30, "stale_days": 30}


def test_source_sha256():
    digest = hashlib.sha256(SOURCE_PATH.read_bytes()).hexdigest()
    assert digest == TABLE["source"]["sha256"]


def test_task_ids():
    assert len(TASKS) == 28
    assert TASK_IDS == list(range(1, 29))


def test_sections_and_subsections():
    assert [s["no"] for s in SECTIONS] == [1, 2, 3, 4, 5]
    assert [len(s["subsections"]) for s in SECTIONS] == [3, 4, 3, 3, 2]
    assert sum(len(s["subsections"]) for s in SECTIONS) == 15
    for s in SECTIONS:
        assert [sub["no"] for sub in s["subsections"]] == list(range(1, len(s["subsections"]) + 1))


@pytest.mark.parametrize("task", TASKS, ids=[f"task{i}" for i in TASK_IDS])
def test_task_section_exists(task):
    secs = {s["no"]: s for s in SECTIONS}
    assert task["section"] in secs
    assert task["subsection"] in {sub["no"] for sub in secs[task["section"]]["subsections"]}


def test_tasks_in_section_order():
    keys = [(t["section"], t["subsection"]) for t in TASKS]
    assert keys == sorted(keys)
    used = set(keys)
    every = {(s["no"], sub["no"]) for s in SECTIONS for sub in s["subsections"]}
    assert used == every  # every subsection has at least one task


@pytest.mark.parametrize("task", TASKS, ids=[f"task{i}" for i in TASK_IDS])
def test_task_keys_and_title(task):
    assert set(task) <= {"id", "section", "subsection", "title", "requirement", "units", "leads",
                         "deadline", "notice_progress"}
    assert "leads" not in task
    assert 6 <= len(task["title"]) <= 16, task["title"]


# ---------------------------------------------------------------- texts vs. notice


@pytest.mark.parametrize("task", TASKS, ids=[f"task{i}" for i in TASK_IDS])
def test_requirement_matches_notice(task):
    scraped = undo(task["requirement"], repairs_for(task["id"], "requirement"))
    assert scraped in NOTICE_STRIPPED
    assert scraped in LINES  # each requirement is one whole line of the notice
    assert task["requirement"] == task["requirement"].strip()


@pytest.mark.parametrize("task", TASKS, ids=[f"task{i}" for i in TASK_IDS])
def test_requirement_brackets_balanced(task):
    """After repair no quote, title mark or bracket is left unpaired."""
    text = task["requirement"]
    for left, right in ["“”", "《》", "〔〕", "()", "()"]:
        assert text.count(left) == text.count(right), (left, right)


@pytest.mark.parametrize("task", TASKS, ids=[f"task{i}" for i in TASK_IDS])
def test_id_units_deadline_match_notice(task):
    i = requirement_line_index(task)
    assert LINES[i - 1] == str(task["id"])  # the 序号 line before the requirement
    assert split_units(LINES[i + 1]) == task["units"]  # 责任单位 line
    assert LINES[i + 2] == task["deadline"]  # 时限要求 line


def test_section_headings_match_notice():
    for sec in SECTIONS:
        heading = undo(section_heading(sec), [r for r in repairs_for(None, "section")
                                              if r["restored"] in section_heading(sec)])
        assert heading in LINES, heading


def test_subsection_headings_match_notice():
    for sec in SECTIONS:
        for sub in sec["subsections"]:
            h = subsection_heading(sub)
            heading = undo(h, [r for r in repairs_for(None, "subsection") if r["restored"] in h])
            assert heading in LINES, heading


def test_headings_in_notice_order():
    """Walking the notice, headings and task numbers appear in table order
    (repeated headings after page breaks are skipped)."""
    expected = []
    for sec in SECTIONS:
        expected.append(("section", sec["no"]))
        for sub in sec["subsections"]:
            expected.append(("subsection", sec["no"], sub["no"]))
            for t in TASKS:
                if (t["section"], t["subsection"]) == (sec["no"], sub["no"]):
                    expected.append(("task", t["id"]))
    sec_lines, sub_lines = {}, {}
    for sec in SECTIONS:
        h = section_heading(sec)
        sec_lines[undo(h, [r for r in repairs_for(None, "section") if r["restored"] in h])] = sec["no"]
        for sub in sec["subsections"]:
            h = subsection_heading(sub)
            sub_lines[undo(h, [r for r in repairs_for(None, "subsection") if r["restored"] in h])] = (
                sec["no"], sub["no"])
    seen, cur_sec = [], None
    for ln in LINES:
        if ln in sec_lines:
            cur_sec = sec_lines[ln]
            item = ("section", cur_sec)
        elif ln in sub_lines and sub_lines[ln][0] == cur_sec:
            item = ("subsection",) + sub_lines[ln]
        elif ln.isdigit() and cur_sec is not None and int(ln) in TASK_IDS:
            item = ("task", int(ln))
        else:
            continue
        if item not in seen:
            seen.append(item)
    assert seen == expected


# ---------------------------------------------------------------- repairs


@pytest.mark.parametrize("rep", REPAIRS, ids=[f"{r['task']}-{r['field']}-{r['scraped']}" for r in REPAIRS])
def test_repair_is_consistent(rep):
    assert set(rep) <= {"task", "field", "scraped", "restored", "note"}
    assert rep["field"] in {"requirement", "section", "subsection", "meta", "punctuation"}
    assert rep["scraped"] != rep["restored"]
    if rep["field"] == "punctuation":
        assert rep["task"] is None
        assert len(rep["scraped"]) == len(rep["restored"])
        assert not any(c in NOTICE for c in rep["restored"])  # the scrape has no full-width mark at all
        return
    assert rep["scraped"] in NOTICE
    if rep["field"] == "requirement":
        task = next(t for t in TASKS if t["id"] == rep["task"])
        assert rep["restored"] in fold(task["requirement"])
        assert fold(task["requirement"]).count(rep["restored"]) == 1
    elif rep["field"] == "section":
        assert rep["task"] is None
        assert any(rep["restored"] == section_heading(s) for s in SECTIONS)
    elif rep["field"] == "subsection":
        assert rep["task"] is None
        assert any(rep["restored"] == subsection_heading(sub)
                   for s in SECTIONS for sub in s["subsections"])
    else:  # meta: header text outside the table body
        assert rep["task"] is None
        meta = TABLE["meta"]
        d = meta["published"]
        rendered = {"《" + meta["title"] + "》", f"{d.year}年{d.month}月{d.day}日"}
        assert any(r in rep["restored"] for r in rendered), rep["restored"]


def test_punctuation_restored():
    """No ASCII , ( ) left after a Chinese character in a requirement; the count in the note is true."""
    texts = [t["requirement"] for t in TASKS]
    assert not any(re.search(r"[\u4e00-\u9fff“”》][,;:(]", t) for t in texts)
    assert sum(t.count("，") for t in texts) == 92
    assert sum(t.count("（") for t in texts) == sum(t.count("）") for t in texts) == 4
    (rep,) = PUNCTUATION
    assert "92 个逗号" in rep["note"] and "4 对括号" in rep["note"] and "100 处" in rep["note"]


def test_known_repairs_listed():
    pairs = {(r["task"], r["field"], r["scraped"], r["restored"]) for r in REPAIRS}
    for task, field, scraped, restored in [
        (15, "requirement", "WordPDF", "Word、PDF"),
        (21, "requirement", "国办发〔202053号", "国办发〔2020〕53号"),
        (21, "requirement", "110119120122", "110、119、120、122"),
        (21, "requirement", "健全12345”热线", "健全“12345”热线"),
        (21, "requirement", "开12345”热线", "开展“12345”热线"),
        (None, "section", "、聚焦条例落实深化政务公开", "四、聚焦条例落实深化政务公开"),
        (None, "section", "、聚焦监督保障深化政务公开", "五、聚焦监督保障深化政务公开"),
        (None, "subsection", ")狠抓任务落实", "(二)狠抓任务落实"),
        (None, "meta", "2021910", "2021年9月10日"),
    ]:
        assert any(t == task and f == field and scraped in s and restored in r
                   for t, f, s, r in pairs), (task, field, scraped)


# ---------------------------------------------------------------- units and deadlines


@pytest.mark.parametrize("task", TASKS, ids=[f"task{i}" for i in TASK_IDS])
def test_units_registered(task):
    assert task["units"]
    for u in task["units"]:
        assert u in UNIT_NAMES, u


def test_unit_registry_unique():
    seen = []
    for u in TABLE["units"]:
        seen.append(u["name"])
        seen.extend(u.get("aliases") or [])
    assert len(seen) == len(set(seen))
    collective = {u["name"] for u in TABLE["units"] if u.get("collective")}
    assert collective == {"各相关科室"}


def test_website_tasks():
    website = {t["id"] for t in TASKS if any(UNIT_NAMES[u] == "政府网站" for u in t["units"])}
    assert website == {2, 3, 6, 10, 17, 18, 20}
    by_alias = {t["id"] for t in TASKS if "市政府网站" in t["units"]}
    assert by_alias == {17, 18}


def test_only_collective_tasks():
    only = {t["id"] for t in TASKS if t["units"] == ["各相关科室"]}
    assert only == {5, 7, 8, 9, 11, 12, 13, 22}


def test_deadlines():
    assert {t["deadline"] for t in TASKS} <= {"年底前", "持续推进"}
    ongoing = {t["id"] for t in TASKS if t["deadline"] == "持续推进"}
    assert ongoing == {5, 24, 25, 26, 27}
