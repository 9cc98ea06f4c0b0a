"""The CI examples (docs/ci/) and the pre-commit hooks (.pre-commit-hooks.yaml), tested as far as
a machine without GitHub, GitLab or pre-commit allows:

* each file is valid YAML of the shape its system expects;
* every ``perfdsl SUB --option`` they run exists (``perfdsl SUB --help`` lists the option);
* their shell steps really run: in a git repository made in tmp_path, with ``perfdsl`` on
  PATH as a shim for ``sys.executable -m perfdsl``, the check, format, build and diff steps
  pass on good sources, fail on a broken one, and write the documents and the diff;
* the hooks' ``files`` pattern matches every example, and their entries run on one.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from perfdsl.cli import main

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / "docs" / "ci" / "github-actions.yml"
GITLAB = ROOT / "docs" / "ci" / "gitlab-ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
SEED = (ROOT / "examples" / "beichen-court-2024.pdsl").read_text(encoding="utf-8")
SOURCES = ("2024/215101-北辰区法院.pdsl", "2024/215102 北辰区检察院.pdsl")
INVOCATION = re.compile(r"\bperfdsl ([a-z]+)((?: +--?[a-z][a-z-]*(?: +[a-z]+\b)?)*)")

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def load(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def github_steps() -> list[dict]:  # type: ignore[type-arg]
    workflow = load(GITHUB)
    assert isinstance(workflow, dict)
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def gitlab_jobs() -> dict[str, dict]:  # type: ignore[type-arg]
    config = load(GITLAB)
    assert isinstance(config, dict)
    return {name: job for name, job in config.items() if isinstance(job, dict) and "script" in job}


def all_shell() -> list[str]:
    """Every shell snippet the three files run."""
    snippets = [step["run"] for step in github_steps() if "run" in step]
    config = load(GITLAB)
    assert isinstance(config, dict)
    snippets += config["default"]["before_script"]
    for job in gitlab_jobs().values():
        snippets += job["script"]
    hooks = load(HOOKS)
    assert isinstance(hooks, list)
    snippets += [hook["entry"] for hook in hooks]
    return snippets


# --- shape -------------------------------------------------------------------------------------


def test_github_workflow_shape() -> None:
    workflow = load(GITHUB)
    assert isinstance(workflow, dict)
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    triggers = workflow.get("on", workflow.get(True))
    assert set(triggers) == {"push", "pull_request"}
    steps = github_steps()
    assert all(("uses" in s) != ("run" in s) for s in steps)
    runs = " ".join(s["run"] for s in steps if "run" in s)
    assert "perfdsl check --format github" in runs
    assert "perfdsl fmt --check" in runs
    assert "perfdsl build" in runs and "perfdsl diff --format markdown" in runs
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "out/"


def test_gitlab_ci_shape() -> None:
    config = load(GITLAB)
    assert isinstance(config, dict)
    jobs = gitlab_jobs()
    assert set(jobs) == {"perfdsl-check", "perfdsl-diff", "perfdsl-build"}
    assert {job["stage"] for job in jobs.values()} <= set(config["stages"])
    assert jobs["perfdsl-build"]["artifacts"]["paths"] == ["out/"]
    assert jobs["perfdsl-diff"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert config["variables"]["GIT_DEPTH"] == "0"
    scripts = " ".join(" ".join(job["script"]) for job in jobs.values())
    assert "perfdsl fmt --check" in scripts and "perfdsl build" in scripts


def test_pre_commit_hooks() -> None:
    hooks = load(HOOKS)
    assert isinstance(hooks, list)
    assert [hook["id"] for hook in hooks] == ["perfdsl-fmt", "perfdsl-check"]
    entries = {hook["id"]: hook["entry"] for hook in hooks}
    assert entries == {"perfdsl-fmt": "perfdsl fmt", "perfdsl-check": "perfdsl check"}
    for hook in hooks:
        assert hook["language"] == "python"
        assert set(hook) <= {"id", "name", "description", "entry", "language", "files", "args"}
        pattern = re.compile(hook["files"])
        examples = sorted((ROOT / "examples").glob("*.pdsl"))
        assert examples
        for example in examples:
            assert pattern.search(example.relative_to(ROOT).as_posix()), example
        for other in ("README.md", "2024/a.pdsl.bak", "out/a.docx", "pdsl"):
            assert not pattern.search(other), other


# --- every command they run exists -------------------------------------------------------------


def invocations() -> list[tuple[str, list[str]]]:
    found = []
    for snippet in all_shell():
        for match in INVOCATION.finditer(snippet):
            options = re.findall(r"--?[a-z][a-z-]*", match[2])
            found.append((match[1], options))
    return found


def test_every_perfdsl_command_and_option_they_use_exists() -> None:
    used = invocations()
    assert {sub for sub, _ in used} == {"check", "fmt", "build", "diff"}
    runner = CliRunner()
    for sub, options in used:
        result = runner.invoke(main, [sub, "--help"])
        assert result.exit_code == 0, (sub, result.output)
        for option in options:
            assert re.search(rf"(^|[\s,]){re.escape(option)}\b", result.output), (sub, option)


def test_every_shell_snippet_is_valid_bash() -> None:
    for snippet in all_shell():
        result = subprocess.run(["bash", "-n", "-c", snippet], capture_output=True, text=True)
        assert result.returncode == 0, (snippet, result.stderr)


# --- and they work -------------------------------------------------------------------------------


class Office:
    """An office's repository with two units' sources, and ``perfdsl`` on PATH."""

    def __init__(self, tmp_path: Path) -> None:
        self.path = tmp_path / "office"
        self.path.mkdir()
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        shim = bin_dir / "perfdsl"
        shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m perfdsl "$@"\n')
        shim.chmod(0o755)
        home = tmp_path / "home"
        home.mkdir()
        self.env = {
            **os.environ,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": str(home),
            "GIT_CONFIG_NOSYSTEM": "1",
            "SOURCE_DATE_EPOCH": "1704067200",
        }
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "财务科")
        self.git("config", "user.email", "finance@example.org")
        for name in SOURCES:
            self.write(name, SEED)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", "2024")

    def write(self, name: str, text: str) -> None:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def git(self, *args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=self.path, env=self.env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def bash(self, script: str, **env: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            ["bash", "-e", "-c", script],
            cwd=self.path,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=300,
        )
        assert "Traceback" not in result.stderr, result.stderr
        return result


def github_step(name: str) -> str:
    return next(step["run"] for step in github_steps() if step.get("name") == name)


def raise_budget(text: str) -> str:
    return text.replace(
        "预算数: 146.00\n    财政资金: 146.00", "预算数: 150.00\n    财政资金: 150.00"
    )


@needs_git
def test_github_steps_run(tmp_path: Path) -> None:
    office = Office(tmp_path)
    check = office.bash(github_step("Check"))
    assert check.returncode == 0, check.stderr
    assert "::warning file=2024/215101-北辰区法院.pdsl," in check.stdout  # warnings, no errors
    assert "::error" not in check.stdout
    assert office.bash(github_step("Canonical form")).returncode == 0
    build = office.bash(github_step("Build the documents"))
    assert build.returncode == 0, build.stderr
    built = sorted(
        p.relative_to(office.path / "out").as_posix()
        for p in (office.path / "out").rglob("*")
        if p.is_file()
    )
    assert built == sorted(  # the year folders mirrored: out/2024/…
        f"{Path(n).with_suffix(suffix).as_posix()}"
        for n in SOURCES
        for suffix in (".docx", ".html", ".json")
    )

    # A pull request raising one budget: the diff goes to the summary and perfdsl-diff.md.
    office.git("update-ref", "refs/remotes/origin/main", "HEAD")
    office.write(SOURCES[1], raise_budget(SEED))
    office.git("commit", "-q", "-am", "+4 万元")
    summary = tmp_path / "summary.md"
    diff = office.bash(
        github_step("Semantic diff"), BASE="origin/main", GITHUB_STEP_SUMMARY=str(summary)
    )
    assert diff.returncode == 0, diff.stderr
    text = (office.path / "perfdsl-diff.md").read_text(encoding="utf-8")
    assert text == summary.read_text(encoding="utf-8")
    assert "| ± | 预算数 | 146.00万元 | 150.00万元 | +4.00万元 |" in text
    assert [line for line in text.splitlines() if line.startswith("### ")] == [
        "### 绩效目标表改动：天津市北辰区人民法院"  # only the changed file
    ]
    assert re.search(r"^`[0-9a-f]{7,12}:2024/215102 北辰区检察院.pdsl` → `HEAD:", text, re.M)


@needs_git
def test_github_check_and_fmt_fail_on_a_bad_source(tmp_path: Path) -> None:
    office = Office(tmp_path)
    office.write(SOURCES[1], SEED.replace("陪审员参审次数: ≥400次", "陪审员参审次数 ≥400次"))
    check = office.bash(github_step("Check"))
    assert check.returncode != 0
    assert "::error file=2024/215102 北辰区检察院.pdsl,line=16,col=7," in check.stdout
    office.write(SOURCES[1], SEED.replace("年度: 2024", "年度：2024"))
    assert office.bash(github_step("Canonical form")).returncode != 0


@needs_git
def test_gitlab_jobs_run(tmp_path: Path) -> None:
    office = Office(tmp_path)
    jobs = gitlab_jobs()
    check = office.bash("\n".join(jobs["perfdsl-check"]["script"]))
    assert check.returncode == 0, check.stderr
    assert "2024/215101-北辰区法院.pdsl:" in check.stdout and " [warning] " in check.stdout
    build = office.bash("\n".join(jobs["perfdsl-build"]["script"]))
    assert build.returncode == 0
    assert len([p for p in (office.path / "out" / "2024").iterdir() if p.is_file()]) == 6

    # A merge request: the target branch is fetched from origin.
    origin = tmp_path / "origin.git"
    office.git("init", "-q", "--bare", str(origin))
    office.git("remote", "add", "origin", str(origin))
    office.git("push", "-q", "origin", "main")
    office.git("checkout", "-q", "-b", "raise")
    office.write(SOURCES[0], raise_budget(SEED))
    office.git("commit", "-q", "-am", "+4 万元")
    diff = office.bash(
        "\n".join(jobs["perfdsl-diff"]["script"]),
        CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main",
        PERFDSL_BOT_TOKEN="",
    )
    assert diff.returncode == 0, diff.stderr
    assert "| ± | 预算数 | 146.00万元 | 150.00万元 | +4.00万元 |" in diff.stdout
    assert (office.path / "perfdsl-diff.md").read_text(encoding="utf-8") in diff.stdout


def test_pre_commit_entries_run_on_an_example(tmp_path: Path) -> None:
    """pre-commit runs ``entry`` with the staged files appended."""
    hooks = load(HOOKS)
    assert isinstance(hooks, list)
    source = tmp_path / "beichen-court-2024.pdsl"
    source.write_text(SEED, encoding="utf-8")
    for hook in hooks:
        argv = shlex.split(hook["entry"])
        assert argv[0] == "perfdsl"
        result = CliRunner().invoke(main, [*argv[1:], *hook.get("args", []), str(source)])
        assert result.exit_code == 0, (hook["id"], result.output)
    assert source.read_text(encoding="utf-8") == SEED  # already canonical: fmt changed nothing
