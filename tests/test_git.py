"""perfdsl inside git, in real repositories made in tmp_path: ``perfdsl diff REV [REV] -- FILE``,
``perfdsl diff`` as a difftool, the ``perfdsl textconv`` driver on built .docx files, and the
``.gitattributes.example`` at the top of the repository.

git runs with no system or global configuration (``GIT_CONFIG_NOSYSTEM``, ``HOME`` in
tmp_path), and perfdsl is called as ``sys.executable -m perfdsl`` everywhere, git config
included, so nothing depends on the machine's git setup or on PATH.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "examples" / "beichen-court-2024.pdsl").read_text(encoding="utf-8")
UNIT = "天津市北辰区人民法院"
NAME = "2024/215101-北辰区法院.pdsl"
PERFDSL = [sys.executable, "-m", "perfdsl"]
PERFDSL_SHELL = " ".join(shlex.quote(part) for part in PERFDSL)

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


class Repo:
    """A git repository in a temporary directory, and the commands to drive it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        home = path.parent / "home"
        home.mkdir(exist_ok=True)
        self.env = {
            **os.environ,
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
            "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
            "SOURCE_DATE_EPOCH": "1704067200",
            "LC_ALL": "C.UTF-8",
        }
        self.env.pop("GIT_DIR", None)
        self.env.pop("GIT_WORK_TREE", None)
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q")
        self.git("config", "user.name", "财务科")
        self.git("config", "user.email", "finance@example.org")
        self.git("config", "core.quotepath", "false")

    def run(
        self, *args: str, cwd: Path | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            list(args),
            cwd=cwd or self.path,
            env=self.env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )
        if check:
            assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("git", *args, check=check)

    def perfdsl(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        result = self.run(*PERFDSL, *args, cwd=cwd, check=False)
        assert "Traceback" not in result.stderr, result.stderr
        return result

    def write(self, name: str, text: str) -> Path:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self, message: str, *paths: str) -> None:
        self.git("add", *(paths or ("-A",)))
        self.git("commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """A repository with the seed committed, then a commit raising one budget by 4.00万元."""
    repo = Repo(tmp_path / "office")
    repo.write(NAME, SEED)
    repo.commit("2024 年初稿")
    repo.write(NAME, raise_budget(SEED))
    repo.commit("办案业务费 +4 万元")
    return repo


def raise_budget(text: str) -> str:
    return text.replace(
        "预算数: 146.00\n    财政资金: 146.00", "预算数: 150.00\n    财政资金: 150.00"
    )


BUDGET_LINES = [
    f"± {UNIT} › 办案业务费 › 预算数: 146.00 → 150.00 万元 (+4.00万元)",
    f"± {UNIT} › 办案业务费 › 预算数 › 财政资金: 146.00 → 150.00 万元 (+4.00万元)",
]


def change_lines(stdout: str) -> list[str]:
    return stdout.split("\n\n")[0].splitlines() if stdout else []


# --- perfdsl diff REV [REV] -- FILE ---------------------------------------------------------


def test_diff_between_two_revisions(repo: Repo) -> None:
    result = repo.perfdsl("diff", "HEAD~1", "HEAD", "--", NAME)
    assert result.returncode == 0, result.stderr
    assert change_lines(result.stdout) == BUDGET_LINES
    assert repo.perfdsl("diff", "--exit-code", "HEAD~1", "HEAD", "--", NAME).returncode == 1
    assert repo.perfdsl("diff", "--exit-code", "HEAD", "HEAD", "--", NAME).returncode == 0
    reverse = repo.perfdsl("diff", "HEAD", "HEAD~1", "--", NAME)
    assert "150.00 → 146.00 万元 (-4.00万元)" in reverse.stdout


def test_diff_against_the_working_tree(repo: Repo) -> None:
    assert repo.perfdsl("diff", "--exit-code", "HEAD", "--", NAME).returncode == 0
    repo.write(NAME, raise_budget(SEED).replace("≥400次", "≥450次"))
    line = f"± {UNIT} › 办案业务费 › 产出指标 › 数量指标 › 陪审员参审次数 › 指标值: ≥400次 → ≥450次 (+50次)"
    result = repo.perfdsl("diff", "--exit-code", "HEAD", "--", NAME)
    assert result.returncode == 1
    assert change_lines(result.stdout) == [line]
    # No revision: HEAD against the working tree.
    assert change_lines(repo.perfdsl("diff", "--", NAME).stdout) == [line]
    # HEAD~1 against the working tree: both commits' worth of change.
    assert change_lines(repo.perfdsl("diff", "HEAD~1", "--", NAME).stdout) == [*BUDGET_LINES, line]


def test_diff_from_a_subdirectory_and_with_an_absolute_path(repo: Repo) -> None:
    inside = repo.perfdsl(
        "diff", "HEAD~1", "HEAD", "--", "215101-北辰区法院.pdsl", cwd=repo.path / "2024"
    )
    assert change_lines(inside.stdout) == BUDGET_LINES
    absolute = repo.perfdsl(
        "diff", "HEAD~1", "HEAD", "--", str(repo.path / NAME), cwd=repo.path.parent
    )
    assert change_lines(absolute.stdout) == BUDGET_LINES


def test_a_formatting_only_commit_is_no_change(repo: Repo) -> None:
    rewritten = raise_budget(SEED).replace(": ", "：").replace("# 天津市", "# 改了注释：天津市")
    repo.write(NAME, rewritten)
    repo.commit("只改了写法")
    assert repo.git("diff", "--quiet", "HEAD~1", "HEAD", check=False).returncode == 1
    result = repo.perfdsl("diff", "--exit-code", "HEAD~1", "HEAD", "--", NAME)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_markdown_and_json_from_revisions(repo: Repo) -> None:
    markdown = repo.perfdsl("diff", "--format", "markdown", "HEAD~1", "HEAD", "--", NAME)
    assert f"`HEAD~1:{NAME}` → `HEAD:{NAME}`：共 2 处改动（修改 2）" in markdown.stdout
    assert "| ± | 预算数 | 146.00万元 | 150.00万元 | +4.00万元 |" in markdown.stdout
    as_json = repo.perfdsl("diff", "--format", "json", "HEAD~1", "HEAD", "--", NAME)
    assert '"old": "HEAD~1:2024/215101-北辰区法院.pdsl"' in as_json.stdout


def test_file_added_in_a_later_revision_shows_everything_added(repo: Repo) -> None:
    repo.write("2024/新单位.pdsl", SEED)
    repo.commit("新单位")
    result = repo.perfdsl("diff", "HEAD~1", "HEAD", "--", "2024/新单位.pdsl")
    assert result.returncode == 0
    assert "HEAD~1 中没有 2024/新单位.pdsl，按空文件比较" in result.stderr
    assert f"+ {UNIT} › 办案业务费: 新增项目，预算数 146.00万元" in result.stdout
    assert "共 13 处改动（新增 13）" in result.stdout  # 单位, 年度, 金额单位, 指标体系 + 9 projects


def test_errors_are_one_clear_line_and_exit_2(repo: Repo, tmp_path: Path) -> None:
    bad = repo.perfdsl("diff", "no-such-rev", "--", NAME)
    assert bad.returncode == 2
    assert bad.stderr.strip() == "perfdsl diff: git 仓库里没有版本 no-such-rev"
    assert bad.stdout == ""
    english = repo.perfdsl("diff", "--lang", "en", "HEAD~9", "HEAD", "--", NAME)
    assert english.returncode == 2 and "unknown revision HEAD~9" in english.stderr
    nowhere = repo.perfdsl("diff", "HEAD", "--", "nowhere.pdsl")
    assert nowhere.returncode == 2 and "都不存在" in nowhere.stderr
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.pdsl").write_text(SEED, encoding="utf-8")
    not_a_repo = repo.perfdsl("diff", "HEAD", "--", "a.pdsl", cwd=outside)
    assert not_a_repo.returncode == 2
    assert "a.pdsl 不在 git 仓库里" in not_a_repo.stderr
    three = repo.perfdsl("diff", "HEAD~1", "HEAD", "HEAD", "--", NAME)
    assert three.returncode == 2 and "用法" in three.stderr


def test_a_revision_that_does_not_parse_shows_its_diagnostics(repo: Repo) -> None:
    repo.write(NAME, raise_budget(SEED).replace("陪审员参审次数: ≥400次", "陪审员参审次数 ≥400次"))
    repo.commit("写错了")
    result = repo.perfdsl("diff", "--exit-code", "HEAD~1", "HEAD", "--", NAME)
    assert result.returncode == 2
    assert "error[PD1001]" in result.stderr
    assert f"--> HEAD:{NAME}:16:7" in result.stderr
    assert result.stdout == ""


# --- perfdsl diff REV [REV] [PATH...]: a whole change --------------------------------------------


def test_without_dashes_a_file_after_a_revision_is_a_path(repo: Repo) -> None:
    assert change_lines(repo.perfdsl("diff", "HEAD~1", "HEAD", NAME).stdout) == BUDGET_LINES
    repo.write(NAME, SEED)
    assert change_lines(repo.perfdsl("diff", "HEAD~1", NAME).stdout) == []
    # A file that is gone is no path on disk: git's rule, said with the way out.
    gone = repo.perfdsl("diff", "HEAD~1", "2024/gone.pdsl")
    assert gone.returncode == 2
    assert "2024/gone.pdsl 既不是版本也不是文件" in gone.stderr
    assert "perfdsl diff 版本 -- 2024/gone.pdsl" in gone.stderr


def a_year_later(repo: Repo) -> None:
    """2024's file moved to 2025 and edited, a unit in 元 added, one changed only in form."""
    repo.write("2024/格式.pdsl", SEED)
    repo.commit("格式")
    (repo.path / "2025").mkdir()
    repo.git("mv", NAME, NAME.replace("2024", "2025"))
    repo.write(NAME.replace("2024", "2025"), SEED.replace("≥400次", "≥450次"))
    in_yuan = SEED.replace("金额单位: 万元", "金额单位: 元")
    small = in_yuan.split("\n\n项目 办案业务费-2023中央")[0] + "\n"
    repo.write("2025/新单位.pdsl", small.replace("146.00", "20000"))
    repo.write("2024/格式.pdsl", SEED.replace(": ", "："))
    repo.commit("2025 年")


def test_a_commit_lists_every_changed_file_with_exact_money(repo: Repo) -> None:
    a_year_later(repo)
    result = repo.perfdsl("diff", "--exit-code", "HEAD~1", "HEAD")
    assert result.returncode == 1, result.stderr
    heads = [line for line in result.stdout.splitlines() if line and line[0] not in "+-±~⇄⇅"]
    moved = f"{NAME} → {NAME.replace('2024', '2025')}"
    assert heads == [
        "2024/格式.pdsl（修改）：只改了写法，内容无改动",
        f"{moved}（改名）：共 3 处改动（修改 3）；预算 1282.82 → 1278.82 万元 (-4.00万元)",
        "2025/新单位.pdsl（新增）：共 5 处改动（新增 5）；预算 20000元",
        "共 2 个文件有改动（新增 1，改名 1），另有 1 个文件内容无改动；"
        "预算合计 1282.82 → 1280.82 万元 (-2.00万元)",
    ]


def test_a_folder_limits_the_change_and_json_adds_it_up(repo: Repo) -> None:
    a_year_later(repo)
    only = repo.perfdsl("diff", "HEAD~1", "HEAD", "--", "2024")
    assert "2024/格式.pdsl（修改）" in only.stdout and "新单位" not in only.stdout
    data = json.loads(repo.perfdsl("diff", "--format", "json", "HEAD~1", "HEAD").stdout)
    assert [(f["status"], f["new"]) for f in data["files"]] == [
        ("modified", "HEAD:2024/格式.pdsl"),
        ("renamed", "HEAD:2025/215101-北辰区法院.pdsl"),
        ("added", "HEAD:2025/新单位.pdsl"),
    ]
    assert data["summary"]["budget"] == {
        "unit": "万元",
        "old": "1282.82",
        "new": "1280.82",
        "delta": "-2.00",
    }


def test_the_working_tree_includes_new_and_deleted_files(repo: Repo) -> None:
    # Not yet added to git: this year's copy of the unit (paired with the deleted file by
    # its name without the year), and a draft.
    (repo.path / NAME).unlink()
    repo.write(NAME.replace("2024", "2025"), SEED)
    repo.write("2025/草稿.pdsl", SEED)
    result = repo.perfdsl("diff")
    assert result.returncode == 0, result.stderr
    heads = [line for line in result.stdout.splitlines() if line and line[0] not in "+-±~⇄⇅"]
    assert heads == [
        f"{NAME} → {NAME.replace('2024', '2025')}（改名）：共 2 处改动（修改 2）；"
        "预算 1282.82 → 1278.82 万元 (-4.00万元)",
        "2025/草稿.pdsl（新增）：共 13 处改动（新增 13）；预算 1278.82万元",
        "共 2 个文件有改动（新增 1，改名 1）；预算合计 1282.82 → 2557.64 万元 (+1274.82万元)",
    ]


# --- perfdsl diff as a git difftool -----------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["court.pdsl", "2024/北辰 法院 (第2版) 'v2' $x;y.pdsl", "-dash.pdsl"],
    ids=["plain", "odd", "dash"],
)
def test_difftool_with_odd_file_names(tmp_path: Path, name: str) -> None:
    repo = Repo(tmp_path / "office")
    repo.git("config", "difftool.perfdsl.cmd", f'{PERFDSL_SHELL} diff "$LOCAL" "$REMOTE"')
    repo.write(name, SEED)
    repo.commit("one", "--", name)
    repo.write(name, raise_budget(SEED))
    repo.commit("two", "--", name)
    result = repo.git("difftool", "--no-prompt", "--tool=perfdsl", "HEAD~1", "HEAD", "--", name)
    assert change_lines(result.stdout) == BUDGET_LINES, result.stderr
    # Uncommitted edits: git passes the working-tree file itself as $REMOTE.
    repo.write(name, raise_budget(SEED).replace("≥400次", "≥450次"))
    result = repo.git("difftool", "--no-prompt", "--tool=perfdsl", "--", name)
    assert "≥400次 → ≥450次 (+50次)" in result.stdout, result.stderr


def test_difftool_on_a_new_file_compares_with_nothing(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "office")
    repo.git("config", "difftool.perfdsl.cmd", f'{PERFDSL_SHELL} diff "$LOCAL" "$REMOTE"')
    repo.write("README", "office\n")
    repo.commit("start")
    repo.write("new.pdsl", SEED)
    repo.commit("add", "new.pdsl")
    result = repo.git(
        "difftool", "--no-prompt", "--tool=perfdsl", "HEAD~1", "HEAD", "--", "new.pdsl"
    )
    assert f"+ {UNIT} › 办案业务费: 新增项目，预算数 146.00万元" in result.stdout, result.stderr


# --- .gitattributes, textconv for .docx, hunk headers for .pdsl --------------------------------


def use_example_attributes(repo: Repo) -> None:
    shutil.copy(ROOT / ".gitattributes.example", repo.path / ".gitattributes")
    repo.git("config", "diff.docx.textconv", f"{PERFDSL_SHELL} textconv")
    repo.git("config", "diff.perfdsl.xfuncname", "^(项目 .*|project .*)$")


def test_git_diff_of_built_docx_shows_table_rows(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "office")
    use_example_attributes(repo)
    repo.write(NAME, SEED)
    built = repo.perfdsl("build", NAME, "-o", "out", "--to", "docx")
    assert built.returncode == 0, built.stderr
    repo.commit("2024 年初稿")
    repo.write(NAME, SEED.replace("≥400次", "≥500次"))
    assert repo.perfdsl("build", NAME, "-o", "out", "--to", "docx").returncode == 0
    repo.commit("陪审员参审次数 ≥500次")
    docx = "out/215101-北辰区法院.docx"
    assert (repo.path / docx).is_file()
    plain = repo.git(
        "-c", "diff.docx.textconv=", "diff", "--no-textconv", "HEAD~1", "HEAD", "--", docx
    )
    assert "Binary files" in plain.stdout
    result = repo.git("diff", "HEAD~1", "HEAD", "--", docx)
    assert "Binary files" not in result.stdout
    changed = [
        line
        for line in result.stdout.splitlines()
        if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    row = "产出指标\t数量指标\t陪审员参审次数\t陪审员参审次数\t"
    assert changed == [f"-{row}≥400次", f"+{row}≥500次"]


def test_pdsl_hunks_are_labelled_with_their_project(repo: Repo) -> None:
    use_example_attributes(repo)
    repo.write(NAME, raise_budget(SEED).replace("维保到场人员人数: ≥1人", "维保到场人员人数: ≥2人"))
    repo.write(NAME, repo.path.joinpath(NAME).read_text("utf-8").replace("≥5000件", "≥6000件"))
    result = repo.git("diff", "--", NAME)
    hunks = [line for line in result.stdout.splitlines() if line.startswith("@@")]
    assert [h.split("@@ ", 2)[2] for h in hunks] == [
        "项目 办案业务费:",
        "项目 办案业务费-2023中央:",
    ], hunks


def test_gitattributes_example_names_the_drivers() -> None:
    text = (ROOT / ".gitattributes.example").read_text(encoding="utf-8")
    rules = [line.split() for line in text.splitlines() if line and not line.startswith("#")]
    assert ["*.docx", "diff=docx"] in rules
    assert ["*.pdsl", "diff=perfdsl"] in rules
    assert 'git config diff.docx.textconv "perfdsl textconv"' in text
    assert 'git config difftool.perfdsl.cmd \'perfdsl diff "$LOCAL" "$REMOTE"\'' in text
