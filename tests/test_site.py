"""``perfdsl site``: the public disclosure site of the repository's examples, and its failures.

The site of ``examples/`` is built once (in-process); the tests read it: every unit page at its
mirrored place and the same as ``build --to html``'s, links that resolve, totals equal to
:func:`perfdsl.totals.budget_total`, a search index with every project, byte-identical
rebuilds, nothing loaded from elsewhere.  Failures (a bad target, a write that fails, a path
naming nothing, a file with errors) are run against a previous site, which must survive.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

import pytest
from click.testing import CliRunner, Result

from perfdsl.cli import main
from perfdsl.pipeline import CheckOptions, check_file
from perfdsl.site import publish
from perfdsl.site.entries import by_source
from perfdsl.site.pages import with_back_link
from perfdsl.site.search import parse_search_js
from perfdsl.totals import budget_total
from perfdsl.values import format_decimal

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SOURCES = sorted(EXAMPLES.rglob("*.pdsl"))

GOOD = """\
单位: 100001 某市测试局
年度: 2024
金额单位: 万元

项目 办案业务费:
  预算数: 146.00
    财政资金: 146.00
  产出指标:
    数量指标:
      陪审员参审次数: ≥400次
    成本指标:
      全年电子档案服务费用: ≤80万元
  效益指标:
    可持续影响指标:
      保障水平: 稳定保障
  满意度指标:
    服务对象满意度指标:
      审判执行部门对业务保障满意度: ≥95%
"""
#: 预算数 ≠ the sum of its funding lines: a rule error on a file that reads.
BAD = GOOD.replace("100001 某市测试局", "100002 某市错误局").replace(
    "财政资金: 146.00", "财政资金: 140.00"
)


def load_file(path: Path):  # type: ignore[no-untyped-def]
    """A source read as every command reads it (its perfdsl.toml and templates)."""
    return check_file(str(path), CheckOptions()).loaded


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["site", *args])


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.links.append((tag, name, value))
            if name == "id" and value:
                self.ids.add(value)


def parsed(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "out"
    result = run(str(EXAMPLES), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_every_unit_page_is_at_its_mirrored_place(site: Path) -> None:
    for source in SOURCES:
        page = site / source.relative_to(EXAMPLES).with_suffix(".html")
        assert page.is_file(), page
    pages = {p.relative_to(site) for p in site.rglob("*.html")} - {Path("index.html")}
    assert len(pages) == len(SOURCES)


def test_a_unit_page_is_what_build_writes_with_a_link_back(site: Path, tmp_path: Path) -> None:
    built = tmp_path / "built"
    result = CliRunner().invoke(main, ["build", str(EXAMPLES), "-o", str(built), "--to", "html"])
    assert result.exit_code == 0, result.output
    for source in SOURCES:
        relative = PurePosixPath(source.relative_to(EXAMPLES).with_suffix(".html").as_posix())
        page = (site / relative).read_text(encoding="utf-8")
        build_html = (built / relative).read_text(encoding="utf-8")
        assert page == with_back_link(build_html, relative)
        assert page.count("返回各单位列表") == 1
        back = "../" * (len(relative.parts) - 1) + "index.html"
        assert f'href="{back}"' in page


def test_every_link_resolves_to_a_file_or_an_id(site: Path) -> None:
    pages = [
        site / "index.html",
        *(site / s.relative_to(EXAMPLES).with_suffix(".html") for s in SOURCES),
    ]
    checked = 0
    for page in pages:
        for _tag, _attr, value in parsed(page).links:
            url = urlsplit(value)
            assert not url.scheme and not url.netloc, value
            if url.path:
                target = page.parent / unquote(url.path)
                assert target.is_file(), (page, value)
                checked += 1
            if url.fragment and url.path.endswith(".html"):
                assert url.fragment in parsed(page.parent / unquote(url.path)).ids, value
            elif url.fragment:
                assert url.fragment in parsed(page).ids, (page, value)
    assert checked >= 2 * len(SOURCES)  # index → each page, each page → index


def test_index_totals_are_each_sources_budget_total_exactly(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-page="\d+">(.*?)</tr>', index)
    assert len(rows) == len(SOURCES)
    seen = set()
    for row in rows:
        href = re.search(r'<a href="([^"]+)">', row)
        assert href is not None
        relative = Path(unquote(href.group(1))).with_suffix(".pdsl")
        seen.add(relative.as_posix())
        document = load_file(EXAMPLES / relative).document
        assert document is not None
        cells = re.findall(r'<td class="num">([^<]*)</td>', row)
        projects, shown = cells[-2], cells[-1]
        assert int(projects) == len(document.projects)
        total = budget_total(document, "万元")
        if total is None:
            assert shown == "—"
        else:
            assert shown.replace(",", "") == format_decimal(total)
            assert Decimal(shown.replace(",", "")) == total
    assert seen == {s.relative_to(EXAMPLES).as_posix() for s in SOURCES}


def test_a_total_in_yuan_is_shown_exactly_in_wanyuan(tmp_path: Path) -> None:
    source = GOOD.replace("金额单位: 万元", "金额单位: 元").replace("146.00", "1234567.89")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.pdsl").write_text(source.replace("≤80万元", "≤80元"), encoding="utf-8")
    result = run(str(tmp_path / "src"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '<td class="num">123.456789</td>' in index  # 1,234,567.89 元, no float in between


def test_the_search_index_holds_every_unit_project_and_indicator(site: Path) -> None:
    data = parse_search_js((site / "search.js").read_bytes())
    pages = data["pages"]
    names = {(pages[p][0], name) for p, name, _anchor in data["projects"]}
    indicators = {name for _p, name in data["indicators"]}
    for source in SOURCES:
        document = load_file(source).document
        assert document is not None
        href = quote(source.relative_to(EXAMPLES).with_suffix(".html").as_posix())
        for project in document.projects:
            assert (href, project.name) in names
            for level1 in project.indicators:
                for level2 in level1.blocks:
                    assert {i.name for i in level2.indicators} <= indicators
    for p, _name, anchor in data["projects"]:
        assert anchor in parsed(site / unquote(str(pages[p][0]))).ids


def test_two_builds_are_byte_identical(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert run(str(EXAMPLES), "-o", str(again)).exit_code == 0
    assert files_of(again) == files_of(site)
    # and a rebuild over a previous site replaces it with the same bytes
    assert run(str(EXAMPLES), "-o", str(again)).exit_code == 0
    assert files_of(again) == files_of(site)


def test_the_site_does_not_depend_on_the_messages_language(site: Path, tmp_path: Path) -> None:
    result = run(str(EXAMPLES), "-o", str(tmp_path / "en"), "--lang", "en")
    assert result.exit_code == 0
    assert "published 11 of 11 source file(s)" in result.output
    assert files_of(tmp_path / "en") == files_of(site)


def test_nothing_is_loaded_from_elsewhere(site: Path) -> None:
    external = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
    for name, data in files_of(site).items():
        text = data.decode("utf-8")
        assert not external.search(text), name
        assert "<link" not in text, name
        assert "@import" not in text and "url(" not in text, name
    index = (site / "index.html").read_text(encoding="utf-8")
    scripts = re.findall(r"<script([^>]*)>", index)
    assert scripts == [' src="search.js"', ""]


def test_the_index_is_accessible_and_prints(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in index
    assert index.count("<table") == index.count("<caption>") > 0
    assert '<th scope="col">' in index and '<th scope="row">' in index
    assert "@media print" in index and "#search" in index.split("@media print")[1]
    # every chart: an image with a title and a description, and its numbers in a table
    charts = re.findall(r'<svg role="img" aria-labelledby="([^" ]+) ([^"]+)"', index)
    assert charts
    for title, desc in charts:
        assert f'<title id="{title}">' in index and f'<desc id="{desc}">' in index
    assert index.count('<details class="chart-data">') == len(charts)
    # the search box shows only when the script runs; the list is there without it
    assert '<form id="search" role="search" hidden>' in index
    assert '<label for="q">' in index


def test_the_fund_source_chart_adds_up_to_the_budget(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    figure = index.split('id="chart-y2024-sources"')[1].split("</figure>")[0]
    assert "财政资金" in figure and "其他资金" in figure
    total = re.search(r'<tfoot><tr><th scope="row">合计</th><td class="num">([^<]+)</td>', figure)
    expected = sum(
        budget_total(load_file(s).document, "万元") or Decimal(0)  # type: ignore[arg-type]
        for s in SOURCES
        if "2024" in s.name
    )
    assert total is not None and Decimal(total.group(1).replace(",", "")) == expected


def test_by_source_splits_top_level_lines_and_names_the_rest() -> None:
    text = GOOD.replace("金额单位: 万元", "金额单位: 元").replace(
        "  预算数: 146.00\n    财政资金: 146.00\n",
        "  预算数: 1500000\n    财政资金: 1000000\n      上级资金: 400000\n      本级资金: 600000\n"
        "    其他资金: 300000\n",
    )
    from perfdsl.load import load_text

    document = load_text(text.replace("≤80万元", "≤80元"), "x.pdsl").document
    assert document is not None
    assert by_source(document) == (
        ("fiscal", Decimal(100)),
        ("other", Decimal(30)),
        ("unstated", Decimal(20)),
    )


def test_source_text_is_escaped(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    sneaky = GOOD.replace("项目 办案业务费:", "项目 <img src=x onerror=alert(1)>&费:")
    (tmp_path / "src" / "a.pdsl").write_text(sneaky, encoding="utf-8")
    result = run(str(tmp_path / "src"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    for data in files_of(tmp_path / "out").values():
        assert b"<img" not in data
    data = parse_search_js((tmp_path / "out" / "search.js").read_bytes())
    assert data["projects"][0][1] == "<img src=x onerror=alert(1)>&费"


# --- failures ------------------------------------------------------------------------------------


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A site already published from one good file, and its bytes."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.pdsl").write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    assert run(str(src), "-o", str(out)).exit_code == 0
    return out, files_of(out)


def debris(parent: Path) -> list[str]:
    return [p.name for p in parent.iterdir() if ".perfdsl-" in p.name]


def test_a_file_with_errors_is_left_out_and_reported(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "good.pdsl").write_text(GOOD, encoding="utf-8")
    (src / "bad.pdsl").write_text(BAD, encoding="utf-8")
    out = tmp_path / "out"
    result = run(str(src), "-o", str(out))
    assert result.exit_code == 1
    assert "bad.pdsl：有 1 个错误，未发布" in result.output
    assert "已发布 1/2 个源文件" in result.output
    assert (out / "good.html").is_file() and not (out / "bad.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "某市测试局" in index and "某市错误局" not in index
    assert "某市错误局" not in (out / "search.js").read_text(encoding="utf-8")


def test_only_files_with_errors_publish_nothing(previous: tuple[Path, dict[str, bytes]]) -> None:
    out, before = previous
    bad = out.parent / "bad"
    bad.mkdir()
    (bad / "bad.pdsl").write_text(BAD, encoding="utf-8")
    result = run(str(bad), "-o", str(out))
    assert result.exit_code == 1
    assert "没有可以发布的文件，未写出网站" in result.output
    assert files_of(out) == before


def test_a_path_naming_nothing_is_exit_2_in_chinese(
    previous: tuple[Path, dict[str, bytes]],
) -> None:
    out, before = previous
    result = run(str(out.parent / "nowhere" / "*.pdsl"), "-o", str(out))
    assert result.exit_code == 2
    assert "错误：没有文件与" in result.output
    result = run(
        str(out.parent / "src" / "good.pdsl"), str(out.parent / "missing.pdsl"), "-o", str(out)
    )
    assert result.exit_code == 2
    assert "无法读取" in result.output and "未写出网站" in result.output
    assert "Traceback" not in result.output
    assert files_of(out) == before
    assert debris(out.parent) == []


def test_a_target_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "good.pdsl").write_text(GOOD, encoding="utf-8")
    target = tmp_path / "out"
    target.write_text("not a folder", encoding="utf-8")
    result = run(str(tmp_path / "src"), "-o", str(target))
    assert result.exit_code == 2
    assert "是文件" in result.output  # (click's own check, as for build)
    assert "Traceback" not in result.output
    assert target.read_text(encoding="utf-8") == "not a folder"


def test_a_folder_of_other_files_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "good.pdsl").write_text(GOOD, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("keep me", encoding="utf-8")
    result = run(str(tmp_path / "src"), "-o", str(home))
    assert result.exit_code == 2
    assert "不是 perfdsl site 生成的网站" in result.output
    assert files_of(home) == {"notes.txt": b"keep me"}


def test_a_write_that_fails_leaves_the_previous_site(
    previous: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = previous
    src = out.parent / "src"
    (src / "second.pdsl").write_text(GOOD.replace("100001", "100003"), encoding="utf-8")
    real = publish.Staging.write

    def failing(self: publish.Staging, relative: PurePosixPath, data: bytes) -> None:
        if relative.name == "index.html":  # every page written, the index fails
            raise OSError(28, "No space left on device", str(self.folder / relative))
        real(self, relative, data)

    monkeypatch.setattr(publish.Staging, "write", failing)
    result = run(str(src), "-o", str(out))
    assert result.exit_code == 2
    assert "No space left on device" in result.output and "原有的网站保持不变" in result.output
    assert files_of(out) == before
    assert debris(out.parent) == []


def test_a_swap_that_fails_puts_the_previous_site_back(
    previous: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, before = previous
    (out.parent / "src" / "second.pdsl").write_text(GOOD.replace("100001", "100003"), "utf-8")
    real = os.rename

    def rename(a: str | Path, b: str | Path) -> None:
        if str(a).endswith(".perfdsl-site"):  # the new site into place
            raise OSError(13, "Permission denied", str(b))
        real(a, b)

    monkeypatch.setattr(publish.os, "rename", rename)
    result = run(str(out.parent / "src"), "-o", str(out))
    assert result.exit_code == 2
    assert files_of(out) == before
    assert debris(out.parent) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_parent_leaves_the_previous_site(
    previous: tuple[Path, dict[str, bytes]],
) -> None:
    out, before = previous
    os.chmod(out.parent, 0o555)
    try:
        result = run(str(out.parent / "src"), "-o", str(out))
    finally:
        os.chmod(out.parent, 0o755)
    assert result.exit_code == 2
    assert "未写出任何文件" in result.output
    assert files_of(out) == before


def test_a_killed_swap_is_undone_by_the_next_run(previous: tuple[Path, dict[str, bytes]]) -> None:
    out, before = previous
    # killed between the two renames: the old site aside, the new one staged, no target
    os.rename(out, out.parent / ".out.abcd1234.perfdsl-old")
    (out.parent / ".out.efgh5678.perfdsl-site").mkdir()
    result = run(str(out.parent / "nowhere.pdsl"), "-o", str(out))
    assert result.exit_code == 2  # (nothing to publish; the recovery ran all the same)
    assert files_of(out) == before
    assert debris(out.parent) == []


def test_a_source_may_not_take_the_index_name(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "index.pdsl").write_text(GOOD, encoding="utf-8")
    result = run(str(tmp_path / "src"), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert "index.html" in result.output
    assert not (tmp_path / "out").exists()


def test_title_and_the_command_in_a_real_process(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "good.pdsl").write_text(GOOD, encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "perfdsl",
            "site",
            str(tmp_path / "src"),
            "-o",
            str(tmp_path / "out"),
            "--title",
            "某市2024年部门预算绩效目标公开",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<h1>某市2024年部门预算绩效目标公开</h1>" in index


# --- the search, run ----------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs headless Chromium")
def test_the_search_runs_in_a_browser(site: Path, tmp_path: Path) -> None:
    url = (site / "index.html").as_uri() + "#q=" + quote("办案业务费 2024")
    done = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=3000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(tmp_path)},
        timeout=120,
        check=False,
    )
    dom = done.stdout
    assert '<form id="search" role="search">' in dom, done.stderr[-2000:]
    status = re.search(r'<p id="search-status"[^>]*>([^<]*)</p>', dom)
    assert status is not None and status.group(1).startswith("找到 ")
    hits = re.findall(r'<li><span class="kind">(.*?)</span><a href="([^"]+)">(.*?)</a>', dom)
    assert ("项目", "beichen-court-2024.html#p1", "办案业务费") in hits
    shown = re.findall(r'<tr data-page="\d+">', dom)  # (a hidden row has hidden="")
    assert len(shown) == 1
