"""The JSON emitter: the golden seed, the schema, exact money, spans that point at the source.

The golden file is what ``perfdsl build --to json`` writes for the seed example, compared byte
for byte.  Regenerate after a deliberate change with
``PERFDSL_UPDATE_GOLDEN=1 pytest tests/test_emit_json.py`` and review the diff like code; a
change a consumer could notice also needs ``SCHEMA_VERSION`` and docs/perfdsl.schema.json.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from conftest import check_golden

from perfdsl.emit.json import SCHEMA_VERSION, render_json, to_data
from perfdsl.load import load_file, load_text

ROOT = Path(__file__).resolve().parents[1]
SEED_EXAMPLE = ROOT / "examples" / "beichen-court-2024.pdsl"
SCHEMA_PATH = ROOT / "docs" / "perfdsl.schema.json"
GOLDEN = ROOT / "tests" / "golden" / "beichen-court-2024.json"
GOOD_CASES = sorted((ROOT / "tests" / "cases" / "good").glob("*.pdsl"))

#: Every kind of value and money unit in one source (a 元 file, so 万元 values convert).
KINDS = """\
单位: 215101 天津市北辰区人民法院
年度: 2024
金额单位: 元

项目 各种取值:
  实施期: 2024年1月-2026年12月
  预算数: 1.5万元
    财政资金: 15000.00
  产出指标:
    数量指标:
      区间: 90%-100%
      金额区间: 50-80万元
      误差: ±3%以内
      简写万: ≤62万
      亿元: ≤0.0001亿元
      千元: 3千元
      费率: 10元/亩
      以上: 95%以上
      全角: ＞＝９５％
    时效指标:
      期间: 2023.07-2024.01
      截止: 6月底前
      完成日: 2024年6月30日前
      全年: 2024年
  效益指标:
    社会效益指标:
      定性: 持续保障
"""


def _no_floats(text: str) -> object:
    def refuse(number: str) -> object:
        raise AssertionError(f"a float in the JSON: {number}")

    return json.loads(text, parse_float=refuse)


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def seed_json() -> str:
    loaded = load_file(SEED_EXAMPLE)
    assert loaded.document is not None
    return render_json(loaded.document, "examples/beichen-court-2024.pdsl")


def kinds_data() -> dict:
    loaded = load_text(KINDS, "kinds.pdsl")
    assert loaded.ok, loaded.diagnostics
    return _no_floats(render_json(loaded.document, "kinds.pdsl"))  # type: ignore[return-value]


def indicators(data: dict) -> dict[str, dict]:
    return {
        ind["name"]: ind
        for project in data["projects"]
        for l1 in project["level1"]
        for l2 in l1["level2"]
        for ind in l2["indicators"]
    }


# --- golden and schema -----------------------------------------------------------------------


def test_seed_matches_golden() -> None:
    check_golden(GOLDEN, seed_json())


@pytest.mark.parametrize(
    "path", [SEED_EXAMPLE, *GOOD_CASES], ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_every_good_source_validates(path: Path, validator) -> None:
    loaded = load_file(path)
    assert loaded.document is not None
    data = _no_floats(render_json(loaded.document, str(path)))
    validator.validate(data)


def test_every_value_kind_validates(validator) -> None:
    data = kinds_data()
    validator.validate(data)
    kinds = {ind["value"]["kind"] for ind in indicators(data).values()}
    assert kinds == {"quantity", "range", "period", "deadline", "text"}


def test_schema_has_teeth(validator) -> None:
    """Validation would catch a float, a missing field, an unknown field and a wrong version."""
    good = _no_floats(seed_json())
    assert isinstance(good, dict)

    def broken(change) -> dict:
        data = json.loads(json.dumps(good))
        change(data)
        return data

    for data in (
        broken(lambda d: d["projects"][0]["budget"]["total"].update(number=146.0)),
        broken(lambda d: d["projects"][0]["budget"]["total"].update(number="1e3")),
        broken(lambda d: d["projects"][0]["budget"]["total"].pop("converted")),
        broken(lambda d: d["projects"][0].update(extra=1)),
        broken(lambda d: d.update(schema_version="0.9")),
        broken(
            lambda d: d["projects"][0]["level1"][0]["level2"][0]["indicators"][0]["value"].update(
                kind="period"
            )
        ),
    ):
        assert not validator.is_valid(data)


# --- format ------------------------------------------------------------------------------------


def test_text_format() -> None:
    text = seed_json()
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert "天津市北辰区人民法院" in text  # ensure_ascii=False
    assert '\n  "header": {' in text  # two-space indent
    data = json.loads(text)
    assert json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n" == text
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["source_path"] == "examples/beichen-court-2024.pdsl"


def test_same_document_same_bytes() -> None:
    assert seed_json() == seed_json()


# --- money -------------------------------------------------------------------------------------


def test_money_keeps_scale_and_converts_exactly() -> None:
    data = _no_floats(seed_json())
    assert isinstance(data, dict)
    first = data["projects"][0]["budget"]
    assert first["total"]["number"] == "146.00"
    assert first["total"]["converted"] == {"number": "146.00", "unit": "万元"}
    assert first["funding"][0]["kind"] == "fiscal"
    assert first["funding"][0]["name"] == "财政资金"
    assert first["funding"][0]["amount"]["number"] == "146.00"

    rows = indicators(data)
    wages = rows["聘用制人员经费"]["value"]
    assert wages["text"] == "≤4137280元"
    assert (wages["operator"], wages["number"], wages["unit"]) == ("≤", "4137280", "元")
    assert wages["converted"] == {"number": "413.728", "unit": "万元"}
    assert Decimal(wages["converted"]["number"]) * 10_000 == Decimal(wages["number"])

    equipment = rows["业务装备更换费用"]["value"]  # ≤62万: 万 means 万元
    assert (equipment["number"], equipment["unit"]) == ("62", "万")
    assert equipment["converted"] == {"number": "62", "unit": "万元"}
    assert rows["陪审员参审次数"]["value"]["converted"] is None  # 次 is not money


def test_money_into_a_yuan_file() -> None:
    rows = indicators(kinds_data())
    assert rows["简写万"]["value"]["converted"] == {"number": "620000", "unit": "元"}
    assert rows["亿元"]["value"]["converted"] == {"number": "10000", "unit": "元"}
    assert rows["千元"]["value"]["converted"] == {"number": "3000", "unit": "元"}
    assert rows["费率"]["value"]["converted"] is None  # 元/亩 is a rate, not an amount
    spread = rows["金额区间"]["value"]
    assert spread["low"] == {
        "number": "50",
        "unit": "万元",
        "converted": {"number": "500000", "unit": "元"},
    }
    assert spread["high"]["converted"] == {"number": "800000", "unit": "元"}


def test_budget_with_its_own_unit() -> None:
    budget = kinds_data()["projects"][0]["budget"]
    assert budget["total"]["text"] == "1.5万元"
    assert (budget["total"]["number"], budget["total"]["unit"]) == ("1.5", "万元")
    assert budget["total"]["converted"] == {"number": "15000", "unit": "元"}
    assert budget["funding"][0]["amount"]["converted"] == {"number": "15000.00", "unit": "元"}


def test_huge_amounts_convert_exactly() -> None:
    source = KINDS.replace("≤0.0001亿元", "≤1234567890123456789012345678901.23亿元")
    loaded = load_text(source, "huge.pdsl")
    assert loaded.document is not None
    row = indicators(to_data(loaded.document, "huge.pdsl"))["亿元"]
    assert row["value"]["converted"]["number"] == "123456789012345678901234567890123000000"


# --- values ------------------------------------------------------------------------------------


def test_value_shapes() -> None:
    rows = {name: row["value"] for name, row in indicators(kinds_data()).items()}
    assert rows["误差"] | {"span": None} == {
        "kind": "quantity",
        "text": "±3%以内",
        "operator": "±",
        "number": "3",
        "unit": "%",
        "suffix": "以内",
        "converted": None,
        "span": None,
    }
    assert rows["全角"]["text"] == "≥95%" and rows["全角"]["operator"] == "≥"
    assert rows["以上"]["operator"] is None and rows["以上"]["suffix"] == "以上"
    assert (rows["区间"]["low"]["number"], rows["区间"]["high"]["number"]) == ("90", "100")
    assert (rows["期间"]["start"], rows["期间"]["end"]) == ("2023-07", "2024-01")
    assert (rows["全年"]["start"], rows["全年"]["end"]) == ("2024", "2024")
    assert rows["截止"]["date"] == "XXXX-06"
    assert rows["完成日"]["date"] == "2024-06-30"
    assert rows["定性"] | {"span": None} == {
        "kind": "text",
        "text": "持续保障",
        "operator": None,
        "number": None,
        "unit": None,
        "span": None,
    }


def test_seed_periods_and_deadlines() -> None:
    rows = indicators(_no_floats(seed_json()))  # type: ignore[arg-type]
    period = rows["档案数字化加工服务时间"]["value"]
    assert (period["kind"], period["start"], period["end"]) == ("period", "2024-01", "2024-12")
    deadline = rows["购买周期"]["value"]
    assert (deadline["kind"], deadline["date"], deadline["text"]) == (
        "deadline",
        "2024",
        "2024年底之前",
    )


OPTIONAL = """\
单位: 215101 天津市北辰区人民法院
年度: 2024
金额单位: 元
版式: 财政部

项目 智慧法院建设:
  主管部门: 215 天津市北辰区人民法院
  实施期: 2024年1月-2026年12月
  预算数: 4,137,280
    财政资金: 4137280
  中期目标:
    1. 三年内建成智慧法院平台
  产出指标:
    数量指标:
      上线系统数: ≥3个
        描述: ""
        中期值: ≥8个
        权重: 20
        依据: 历史标准
        方向: 正向
      平台建设费用: ≤4137280元
"""


def test_project_period_and_optional_fields() -> None:
    loaded = load_text(OPTIONAL, "optional.pdsl")
    assert loaded.ok and loaded.document is not None, loaded.diagnostics
    data = to_data(loaded.document, "optional.pdsl")
    assert data["header"]["template"] == "财政部"
    project = data["projects"][0]
    assert project["department"] == "215 天津市北辰区人民法院"
    period = project["period"]
    assert (period["kind"], period["text"], period["start"], period["end"]) == (
        "period",
        "2024年1月-2026年12月",
        "2024-01",
        "2026-12",
    )
    total = project["budget"]["total"]
    assert total["number"] == "4137280" and total["text"] == "4137280"  # no separators
    rows = indicators(data)
    systems = rows["上线系统数"]
    assert systems["description"] == ""  # a blank cell asked for, not "not written" (null)
    assert systems["midterm"]["text"] == "≥8个"
    assert systems["weight"] | {"span": None} == {"text": "20", "number": "20", "span": None}
    assert (systems["direction"], systems["basis"]) == ("正向", "历史标准")
    cost = rows["平台建设费用"]
    assert cost["description"] is None
    assert cost["weight"] is None
    assert cost["value"]["converted"] == {"number": "4137280", "unit": "元"}
    assert [g["text"] for g in project["midterm_goals"]] == ["三年内建成智慧法院平台"]


# --- spans -------------------------------------------------------------------------------------


def test_spans_point_at_the_source() -> None:
    """A tool can cut each value and name out of the source line with its span."""
    lines = SEED_EXAMPLE.read_text(encoding="utf-8").split("\n")
    data = _no_floats(seed_json())
    assert isinstance(data, dict)

    def cut(span: dict) -> str:
        assert span["line"] == span["end_line"]
        return lines[span["line"] - 1][span["column"] - 1 : span["end_column"] - 1]

    checked = 0
    for project in data["projects"]:
        assert cut(project["name_span"]) == project["name"]
        assert cut(project["budget"]["total"]["span"]) == project["budget"]["total"]["text"]
        for l1 in project["level1"]:
            assert cut(l1["span"]) == l1["name"]
            for l2 in l1["level2"]:
                assert cut(l2["span"]) == l2["name"]
                for ind in l2["indicators"]:
                    assert cut(ind["span"]) == ind["name"]
                    assert cut(ind["value"]["span"]) == ind["value"]["text"]
                    checked += 1
    assert checked == 73
    assert [ind["row"] for ind in indicators({"projects": data["projects"][:1]}).values()] == list(
        range(1, 10)
    )


def test_the_schema_file_is_generated_from_the_registry() -> None:
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from gen_schema import text

    assert (ROOT / "docs" / "perfdsl.schema.json").read_text(encoding="utf-8") == text(), (
        "run python scripts/gen_schema.py"
    )
