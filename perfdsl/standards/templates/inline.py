"""A template adapted in the source's own header, under ``模板:`` (a file sent to a reviewer
carries its template with it)."""

from __future__ import annotations

import re
from typing import Any, Final

from perfdsl.ast import Section
from perfdsl.standards.templates.build import _Where, build_template
from perfdsl.standards.templates.model import Template

# --- a template in the source's own header -----------------------------------------------------

#: The header's adaptation is written with these keys (Chinese or English) under ``模板:``.
INLINE_KEYS: Final[dict[str, str]] = {
    "名称": "title",
    "表名": "title",
    "title": "title",
    "类型": "kind",
    "kind": "kind",
    "指标体系": "framework",
    "framework": "framework",
    "字段": "fields",
    "fields": "fields",
    "增加": "add",
    "add": "add",
    "删除": "drop",
    "drop": "drop",
    "标签": "labels",
    "labels": "labels",
    "版面": "page",
    "page": "page",
}
INLINE_LEVELS: Final[dict[str, str]] = {
    "文件头": "header",
    "项目": "project",
    "资金": "budget",
    "资金来源": "funding",
    "分类": "category",
    "指标": "indicator",
}


def inline(base: Template, sections: tuple[Section, ...], path: str) -> Template:
    """The template a header writes under ``模板: <base>``: the base, adapted."""
    data: dict[str, Any] = {}
    index: dict[str, Section] = {}
    for section in sections:
        key = INLINE_KEYS.get(section.key.casefold(), section.key)
        index[key] = section
        if key in ("fields", "add", "drop", "labels", "page", "framework") and section.children:
            table: dict[str, Any] = {}
            required: list[str] | None = None
            scores: list[dict[str, Any]] = []
            for child in section.children:
                name = child.key
                if key in ("fields", "add", "drop"):
                    name = INLINE_LEVELS.get(name, name)
                index[f"{key}.{name}"] = child
                if key == "framework" and name in _REQUIRED_KEYS:
                    required = list(_split(child.value))
                elif key == "framework" and name in _SCORE_KEYS:
                    scores[:] = [_scores(child, index)]
                elif key == "framework":
                    table[name] = _split(child.value)
                elif child.children:
                    table[name] = {c.key: _listed(c.key, c.value) for c in child.children}
                    for c in child.children:  # page.header's mistakes are ("header", key)
                        index[f"{key}.{name}.{c.key}"] = index[f"{name}.{c.key}"] = c
                    index.setdefault(name, child)
                elif key in ("fields", "add", "drop") or (key == "page" and name in _LIST_KEYS):
                    table[name] = list(_split(child.value))
                elif key == "page":
                    table[name] = _listed(name, child.value)
                else:
                    table[name] = _scalar(child.value)
            if key == "framework":
                spec: dict[str, Any] = {"base": section.value or "2015", "categories": table}
                if required is not None:
                    spec["required"] = required
                if scores:
                    spec["scores"] = scores[0]
                data[key] = spec
            else:
                data[key] = table
        else:
            data[key] = _scalar(section.value)
    where = _Where(path, sections=index)
    return build_template(data, where, base, f"{base.key}（本文件）")


#: The keys under ``版面:`` that hold a list of fields (``columns: level1、level2、name``).
_LIST_KEYS: Final = ("columns", "optional", "always", "main_funding", "sheet_columns")

#: Under ``指标体系:`` in a header adaptation, the line that lists the required 一级.
_REQUIRED_KEYS: Final = ("必需", "必备", "必须有", "required")


#: Under ``指标体系:``, the scores (``[framework.scores]`` of a template file): the total,
#: 预算执行率's score, and any other line a 一级's share (``产出指标: 50`` or ``40-50``).
_SCORE_KEYS: Final = ("分值", "scores")
_SCORE_LINES: Final = {"合计": "total", "总分": "total", "total": "total"} | {
    "预算执行率": "execution",
    "execution": "execution",
}


def _scores(section: Section, index: dict[str, Section]) -> dict[str, Any]:
    scores: dict[str, Any] = {}
    level1: dict[str, Any] = {}
    for line in section.children:
        key = _SCORE_LINES.get(line.key.casefold())
        text = line.value or ""
        if key == "total":
            scores["total"] = list(_split(text))
        elif key == "execution":
            scores["execution"] = False if text in ("无", "none") else text
        else:
            level1[line.key] = text
            index[f"framework.scores.level1.{line.key}"] = line
            continue
        index[f"framework.scores.{key}"] = line
    index["framework.scores"] = section
    if level1:
        scores["level1"] = level1
    return scores


#: Lists of lines or rows under ``版面:`` that one line may leave empty (``above:`` with
#: nothing after it: no line above the tables; ``header: rows:``: no header table).
_LINE_LISTS: Final = ("above", "below", "rows")


def _listed(key: str, text: str | None) -> object:
    if key in _LINE_LISTS and not text:
        return []
    return _scalar(text)


def _split(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    for sep in ("，", "、", "；", ";"):
        text = text.replace(sep, ",")
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _scalar(text: str | None) -> object:
    if text is None:
        return ""
    if text.casefold() in ("true", "是", "开"):
        return True
    if text.casefold() in ("false", "否", "关"):
        return False
    if re.fullmatch(r"\d+", text):  # 版面: 表头: 列数 6, columns = 6 in TOML
        return int(text)
    if re.fullmatch(r"\d+\.\d+", text):
        return float(text)
    return text
