"""The CI examples (docs/ci/) and the pre-commit hooks (.pre-commit-hooks.yaml), tested as far as
a machine without GitHub, GitLab or pre-commit allows:

* each file is valid YAML of the shape its system expects;
* they install perfdsl from its repository at the release tag of pyproject.toml's version (it
  is not on PyPI), and pre-commit's ``rev`` names the same tag;
* every ``perfdsl SUB --option`` they run exists (``perfdsl SUB --help`` lists the option);
* their shell steps really run, on a fresh clone of an office's repository laid out in year
  folders (2024/X.pdsl and 2025/X.pdsl), with ``perfdsl`` on PATH as a shim for
  ``sys.executable -m perfdsl`` and stand-ins for ``gh`` and ``curl``: the check, format,
  build and diff steps pass on good sources, fail on a broken one and on a repository with no
  source, write out/2024/X.docx and out/2025/X.docx, and review a change in one diff;
* the install step, run as written, installs a working perfdsl into a fresh virtual
  environment from a clone of this repository (slow: a venv and a pip install, ~20 s);
* the hooks' ``files`` pattern matches every example, and their entries run on one.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from perfdsl.cli import main

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / "docs" / "ci" / "github-actions.yml"
GITLAB = ROOT / "docs" / "ci" / "gitlab-ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
GUIDE = ROOT / "docs" / "guide-zh.md"
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
TAG = f"v{VERSION}"
SEED = (ROOT / "examples" / "beichen-court-2024.pdsl").read_text(encoding="utf-8")
COURT = "215101-北辰区法院.pdsl"  # in both year folders
PROCURATORATE = "215102 北辰区检察院.pdsl"  # a space in the name
SOURCES = {
    f"2024/{COURT}": SEED,
    f"2024/{PROCURATORATE}": SEED,
    f"2025/{COURT}": SEED.replace("年度: 2024", "年度: 2025"),
}
INVOCATION = re.compile(r"\bperfdsl ([a-z]+)((?: +--?[a-z][a-z-]*(?: +[a-z]+\b)?)*)")
INSTALL = 'python -m pip install "$PERFDSL"'

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
needs_checkout = pytest.mark.skipif(
    not (ROOT / ".git").exists(), reason="not run from a git checkout of perfdsl"
)


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
    runs = [s["run"] for s in steps if "run" in s]
    assert "perfdsl check --format github ." in runs  # the whole repository, no file list
    assert "perfdsl fmt --check ." in runs
    assert "perfdsl build . -o out" in runs
    assert not any("xargs" in run or "ls-files" in run for run in runs)
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "out/"
    assert upload["with"]["if-no-files-found"] == "error"


def test_gitlab_ci_shape() -> None:
    config = load(GITLAB)
    assert isinstance(config, dict)
    jobs = gitlab_jobs()
    assert set(jobs) == {"perfdsl-check", "perfdsl-diff", "perfdsl-build"}
    assert {job["stage"] for job in jobs.values()} <= set(config["stages"])
    assert jobs["perfdsl-build"]["artifacts"]["paths"] == ["out/"]
    assert jobs["perfdsl-diff"]["artifacts"]["paths"] == ["perfdsl-diff.md"]
    assert jobs["perfdsl-diff"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert config["variables"]["GIT_DEPTH"] == "0"
    assert jobs["perfdsl-check"]["script"] == [
        "perfdsl check --format concise .",
        "perfdsl fmt --check .",
    ]
    assert jobs["perfdsl-build"]["script"] == ["perfdsl build . -o out"]


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


# --- installed from perfdsl's repository, at the release tag ------------------------------------


def perfdsl_requirements() -> dict[str, str]:
    """What the two CI examples give pip to install (their PERFDSL variable)."""
    workflow, config = load(GITHUB), load(GITLAB)
    assert isinstance(workflow, dict) and isinstance(config, dict)
    return {"github": workflow["env"]["PERFDSL"], "gitlab": config["variables"]["PERFDSL"]}


def test_they_install_perfdsl_from_its_repository_at_the_release_tag() -> None:
    """perfdsl is not on any package index: a bare ``perfdsl`` (or ``perfdsl==0.1.0``) would
    fail, or worse install someone else's package of that name."""
    for name, requirement in perfdsl_requirements().items():
        assert re.fullmatch(rf"perfdsl @ git\+https://\S+\.git@{re.escape(TAG)}", requirement), (
            name,
            requirement,
        )
    assert github_step("Install perfdsl") == INSTALL
    config = load(GITLAB)
    assert isinstance(config, dict)
    assert config["default"]["before_script"] == [INSTALL]
    installs = [s for s in all_shell() if "pip install" in s]
    assert installs == [INSTALL, INSTALL]  # nothing else installs perfdsl by name
    for path in (GITHUB, GITLAB):
        text = path.read_text(encoding="utf-8")
        assert "not published on PyPI" in text
        assert f"perfdsl-{VERSION}-py3-none-any.whl" in text  # the wheel kept in the repository


def test_pre_commit_rev_is_the_release_tag() -> None:
    """``rev:`` is a tag of perfdsl's repository, the one its CI examples install."""
    for path in (HOOKS, GUIDE):
        revs = re.findall(r"^[#\s]*rev: (\S+)$", path.read_text(encoding="utf-8"), re.M)
        assert revs == [TAG], (path, revs)
    assert "pre-commit autoupdate" in HOOKS.read_text(encoding="utf-8")
    assert "pre-commit autoupdate" in GUIDE.read_text(encoding="utf-8")


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

#: Stand-ins for the hosting platforms' clients: each records its arguments (and what it
#: reads on standard input) in $CALLS.
STAND_IN = '#!/bin/sh\nprintf "%s\\n" "$(basename "$0") $*" >> "$CALLS"\n'
CURL = STAND_IN + 'cat > "$CALLS.stdin"\n'


class Repo:
    """A git working tree, with the environment the steps run in."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env

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

    def built(self) -> list[str]:
        out = self.path / "out"
        return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


class Office(Repo):
    """An office's repository: the author's working tree (``path``), pushed to a bare
    ``origin``, which :meth:`ci` clones afresh as a CI runner does; ``perfdsl`` on PATH."""

    def __init__(self, tmp_path: Path, files: dict[str, str] = SOURCES) -> None:
        self.tmp = tmp_path
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        shim = self.bin / "perfdsl"
        shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m perfdsl "$@"\n')
        for name, text in (("gh", STAND_IN), ("curl", CURL)):
            (self.bin / name).write_text(text)
        for tool in self.bin.iterdir():
            tool.chmod(0o755)
        self.calls = tmp_path / "calls"
        home = tmp_path / "home"
        home.mkdir()
        env = {
            **os.environ,
            "PATH": f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}",
            "HOME": str(home),
            "GIT_CONFIG_NOSYSTEM": "1",
            "SOURCE_DATE_EPOCH": "1704067200",
            "CALLS": str(self.calls),
        }
        for name in ("GITHUB_STEP_SUMMARY", "PERFDSL"):
            env.pop(name, None)
        super().__init__(tmp_path / "office", env)
        self.path.mkdir()
        self.origin = tmp_path / "origin.git"
        self.git("init", "-q", "--bare", "-b", "main", str(self.origin))
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "财务科")
        self.git("config", "user.email", "finance@example.org")
        self.git("remote", "add", "origin", str(self.origin))
        for name, text in files.items():
            self.write(name, text)
        self.commit("2024 and 2025")
        self.runs = 0

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        self.git("push", "-q", "origin", "HEAD")

    def ci(self, branch: str = "main") -> Repo:
        """A fresh clone of ``branch``, the whole history (fetch-depth 0, GIT_DEPTH 0)."""
        self.runs += 1
        checkout = self.tmp / f"runner-{self.runs}"
        self.git("clone", "-q", "--branch", branch, str(self.origin), str(checkout))
        return Repo(checkout, self.env)

    def called(self) -> list[str]:
        return self.calls.read_text(encoding="utf-8").splitlines() if self.calls.exists() else []


def github_step(name: str) -> str:
    return next(step["run"] for step in github_steps() if step.get("name") == name)


def github_job(repo: Repo, *names: str, **env: str) -> None:
    for name in names:
        result = repo.bash(github_step(name), **env)
        assert result.returncode == 0, (name, result.stdout, result.stderr)


def raise_budget(text: str) -> str:
    return text.replace(
        "预算数: 146.00\n    财政资金: 146.00", "预算数: 150.00\n    财政资金: 150.00"
    )


def raise_target(text: str) -> str:
    return text.replace("陪审员参审次数: ≥400次", "陪审员参审次数: ≥450次")


def outputs(*names: str) -> list[str]:
    return sorted(
        Path(name).with_suffix(suffix).as_posix()
        for name in names
        for suffix in (".docx", ".html", ".json")
    )


def summary_rows(markdown: str) -> list[tuple[str, str]]:
    """The change's summary table: (file, status) per changed file."""
    return [(m[1], m[2]) for m in re.finditer(r"^\| `([^`]+)` \| (\S+) \|", markdown, re.M)]


PR_ENV = {"PR": "7", "GH_TOKEN": "token", "RUN": "https://github.example/office/actions/runs/1"}


@needs_git
def test_github_steps_run_on_a_fresh_clone(tmp_path: Path) -> None:
    office = Office(tmp_path)
    push = office.ci()
    check = push.bash(github_step("Check"))
    assert check.returncode == 0, check.stderr
    assert f"::warning file=2024/{COURT}," in check.stdout  # warnings, no errors
    assert f"::warning file=2025/{COURT}," in check.stdout
    assert f"::warning file=2024/{PROCURATORATE}," in check.stdout
    assert "::error" not in check.stdout
    github_job(push, "Canonical form", "Build the documents")
    assert push.built() == outputs(*SOURCES)  # the year folders mirrored
    assert {f"2024/{Path(COURT).stem}.docx", f"2025/{Path(COURT).stem}.docx"} <= set(push.built())

    # A pull request raising a budget in 2025 and a target in 2024: one diff reviews it all.
    office.git("switch", "-q", "-c", "raise")
    office.write(f"2025/{COURT}", raise_budget(SOURCES[f"2025/{COURT}"]))
    office.write(f"2024/{PROCURATORATE}", raise_target(SEED))
    office.commit("+4 万元，陪审员参审 450 次")
    pull = office.ci("raise")
    summary = tmp_path / "summary.md"
    github_job(pull, "Semantic diff", BASE="origin/main", GITHUB_STEP_SUMMARY=str(summary))
    text = (pull.path / "perfdsl-diff.md").read_text(encoding="utf-8")
    assert text == summary.read_text(encoding="utf-8")
    assert summary_rows(text) == [(f"2024/{PROCURATORATE}", "修改"), (f"2025/{COURT}", "修改")]
    assert "共 2 个文件有改动（修改 2）；预算合计 2557.64 → 2561.64 万元 (+4.00万元)" in text
    assert "| ± | 预算数 | 146.00万元 | 150.00万元 | +4.00万元 |" in text
    assert "| ± | 产出指标 › 数量指标 › 陪审员参审次数 › 指标值 | ≥400次 | ≥450次 | +50次 |" in text
    assert re.search(rf"^`[0-9a-f]{{7,12}}:2025/{COURT}` → `HEAD:2025/{COURT}`", text, re.M)
    assert f"2024/{COURT}" not in text  # unchanged

    github_job(pull, "Comment the diff on the pull request", **PR_ENV)
    assert office.called() == ["gh pr comment 7 --body-file perfdsl-diff.md"]
    # Too long for one comment (65536 characters): the comment points at the run's summary.
    (pull.path / "perfdsl-diff.md").write_text("| ± |\n" * 12000, encoding="utf-8")
    github_job(pull, "Comment the diff on the pull request", **PR_ENV)
    assert office.called()[1].startswith("gh pr comment 7 --body 绩效目标表的改动太长")
    assert office.called()[1].endswith(f"Summary：{PR_ENV['RUN']}")


@needs_git
def test_github_pull_request_that_changes_no_source(tmp_path: Path) -> None:
    office = Office(tmp_path)
    office.git("switch", "-q", "-c", "readme")
    office.write("README.md", "绩效目标表\n")
    office.commit("README")
    pull = office.ci("readme")
    summary = tmp_path / "summary.md"
    github_job(pull, "Semantic diff", BASE="origin/main", GITHUB_STEP_SUMMARY=str(summary))
    assert (pull.path / "perfdsl-diff.md").read_text(encoding="utf-8") == ""
    assert summary.read_text(encoding="utf-8") == ""
    github_job(pull, "Comment the diff on the pull request", **PR_ENV)
    assert office.called() == []  # no comment


@needs_git
def test_a_repository_without_sources_fails_rather_than_passes_having_checked_nothing(
    tmp_path: Path,
) -> None:
    office = Office(tmp_path, {"README.md": "绩效目标表\n", "perfdsl.toml": 'lang = "zh"\n'})
    runner = office.ci()
    jobs = gitlab_jobs()
    for script in (
        github_step("Check"),
        github_step("Canonical form"),
        github_step("Build the documents"),
        "\n".join(jobs["perfdsl-check"]["script"]),
        "\n".join(jobs["perfdsl-build"]["script"]),
    ):
        result = runner.bash(script)
        assert result.returncode == 2, (script, result.stdout, result.stderr)
        assert "目录 . 里没有 .pdsl 文件" in result.stderr


@needs_git
def test_github_check_and_fmt_fail_on_a_bad_source(tmp_path: Path) -> None:
    office = Office(tmp_path)
    office.write(
        f"2024/{PROCURATORATE}", SEED.replace("陪审员参审次数: ≥400次", "陪审员参审次数 ≥400次")
    )
    check = office.bash(github_step("Check"))
    assert check.returncode != 0
    assert f"::error file=2024/{PROCURATORATE},line=16,col=7," in check.stdout
    office.write(f"2024/{PROCURATORATE}", SEED)
    office.write(f"2025/{COURT}", SEED.replace("年度: 2024", "年度：2025"))
    assert office.bash(github_step("Check")).returncode == 0
    assert office.bash(github_step("Canonical form")).returncode != 0


@needs_git
def test_gitlab_jobs_run_on_a_fresh_clone(tmp_path: Path) -> None:
    office = Office(tmp_path)
    jobs = gitlab_jobs()
    pipeline = office.ci()
    check = pipeline.bash("\n".join(jobs["perfdsl-check"]["script"]))
    assert check.returncode == 0, check.stderr
    for name in SOURCES:
        assert f"{name}:" in check.stdout
    assert " [warning] " in check.stdout and " [error] " not in check.stdout
    build = pipeline.bash("\n".join(jobs["perfdsl-build"]["script"]))
    assert build.returncode == 0, build.stderr
    assert pipeline.built() == outputs(*SOURCES)

    # A merge request: the target branch is fetched from origin, the diff posted as a note.
    office.git("switch", "-q", "-c", "raise")
    office.write(f"2024/{COURT}", raise_budget(SEED))
    office.write(f"2025/{COURT}", raise_budget(SOURCES[f"2025/{COURT}"]))
    office.commit("+4 万元")
    merge_request = office.ci("raise")
    diff = merge_request.bash(
        "\n".join(jobs["perfdsl-diff"]["script"]),
        CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main",
        PERFDSL_BOT_TOKEN="glpat-token",
        CI_API_V4_URL="https://gitlab.example/api/v4",
        CI_PROJECT_ID="12",
        CI_MERGE_REQUEST_IID="3",
    )
    assert diff.returncode == 0, diff.stderr
    text = (merge_request.path / "perfdsl-diff.md").read_text(encoding="utf-8")
    assert text and text in diff.stdout
    assert summary_rows(text) == [(f"2024/{COURT}", "修改"), (f"2025/{COURT}", "修改")]
    assert "共 2 个文件有改动（修改 2）；预算合计 2557.64 → 2565.64 万元 (+8.00万元)" in text
    (call,) = office.called()
    assert call.startswith("curl ") and "PRIVATE-TOKEN: glpat-token" in call
    assert call.endswith(" https://gitlab.example/api/v4/projects/12/merge_requests/3/notes")
    posted = Path(f"{office.calls}.stdin").read_text(encoding="utf-8")
    assert yaml.safe_load(posted) == {"body": text}  # JSON is YAML


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


# --- the install step, for real ------------------------------------------------------------------


def index_unreachable(tmp_path: Path) -> str | None:
    """Why pip cannot fetch perfdsl's build backend here, or None when it can."""
    download = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--dest"]
    try:
        probe = subprocess.run(
            [*download, str(tmp_path), "hatchling"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired:
        return "pip download hatchling took over 60 s"
    if probe.returncode == 0:
        return None
    return (probe.stderr.strip().splitlines() or [f"pip download exited {probe.returncode}"])[-1]


@needs_git
@needs_checkout
@pytest.mark.slow
def test_the_install_step_installs_perfdsl_from_a_clone_of_its_repository(
    tmp_path: Path,
) -> None:
    """The install step, as written, into a fresh virtual environment: pip clones perfdsl's
    repository at the release tag, builds it and fetches its dependencies from the package
    index; then the workflow's steps run with that perfdsl (no shim) on a fresh clone.

    The repository is a clone of this one (committed work only), with the release tag added
    when it has not been made yet.  pip needs a package index for hatchling and the
    dependencies; without one the test is skipped, saying why.
    """
    reason = index_unreachable(tmp_path / "probe")
    if reason:
        pytest.skip(f"no package index reachable: {reason}")
    perfdsl = tmp_path / "perfdsl"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(perfdsl)], check=True)
    tags = subprocess.run(
        ["git", "-C", str(perfdsl), "tag", "--list", TAG], capture_output=True, text=True
    ).stdout
    if not tags.strip():
        subprocess.run(["git", "-C", str(perfdsl), "tag", TAG], check=True)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)

    office = Office(tmp_path)
    office.env["PATH"] = f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"  # no shim
    # The documented requirement, its host replaced by the clone.  (file://localhost: the pip
    # that Python 3.11's venv installs, 23.2, rejects git+file:/// URLs, which have no host.)
    requirement = perfdsl_requirements()["github"]
    assert requirement == perfdsl_requirements()["gitlab"]
    local = re.sub(r"git\+https://\S+(?=@v)", f"git+file://localhost{perfdsl}", requirement)
    assert local == f"perfdsl @ git+file://localhost{perfdsl}@{TAG}"
    runner = office.ci()
    install = runner.bash(github_step("Install perfdsl"), PERFDSL=local)
    assert install.returncode == 0, install.stdout + install.stderr
    assert shutil.which("perfdsl", path=office.env["PATH"]) == str(venv / "bin" / "perfdsl")
    version = runner.bash("perfdsl --version")
    assert version.stdout == f"perfdsl, version {VERSION}\n"
    github_job(runner, "Check", "Canonical form", "Build the documents")
    assert runner.built() == outputs(*SOURCES)
