"""Project configuration: ``perfdsl.toml``, or ``[tool.perfdsl]`` in ``pyproject.toml``.

Found by walking up from the checked file's directory, like ruff and black do, so one
configuration at the top of an office's repository covers every unit's files.  Example::

    # perfdsl.toml
    framework = "天津2024"        # the default 指标体系 for files that do not name one
    strict = false                # true: warnings fail the check too
    lang = "zh"
    select = []                   # only these rules (codes, names, or code prefixes like "PD5")
    ignore = ["vague-wording"]    # never these rules
    template = "某县"             # the template of files that do not name one
    exclude = ["drafts/", "*.old.pdsl"]  # what `perfdsl check .` and the like leave out

    [frameworks."天津2024"]      # a local variant of a built-in framework
    base = "2015"
    required = ["产出指标", "效益指标", "满意度指标"]
    [frameworks."天津2024".categories]
    "效益指标" = ["经济效益指标", "社会效益指标", "环境效益指标", "可持续影响指标"]
    "满意度指标" = ["社会公众或服务对象满意度指标"]

    [templates."某县"]           # a user template (see perfdsl.standards.templates)
    base = "财政部2015"
    [templates."某县".labels]
    "实施单位" = "项目单位"

The user's documentation of all this is docs/guide-zh.md (section 3.1) and docs/language.md
(section 16).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import attrs

from perfdsl import limits
from perfdsl.configfile import find, read_text
from perfdsl.diagnostics import Msg
from perfdsl.language import from_locale
from perfdsl.standards import frameworks as F
from perfdsl.standards.templates import Catalog, catalog, template_files
from perfdsl.suggest import suggest

_KEYS = {
    "framework",
    "strict",
    "lang",
    "select",
    "ignore",
    "frameworks",
    "template",
    "templates",
    "exclude",
}


class ConfigError(Exception):
    def __init__(self, message: Msg) -> None:
        super().__init__(message.en)
        self.message = message


@attrs.frozen
class Config:
    path: Path | None = None
    framework: str | None = None
    frameworks: dict[str, F.Framework] = attrs.field(factory=dict)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False
    lang: str | None = None
    #: The template of files that do not name one (None: the built-in default).
    template: str | None = None
    #: ``[templates.<name>]`` tables as written (turned into templates by :meth:`catalog`).
    templates: dict[str, object] = attrs.field(factory=dict)
    #: What a folder on the command line leaves out (gitignore-style patterns, relative to
    #: the folder: ``build/``, ``*.draft.pdsl``, ``old/**``); see :mod:`perfdsl.workspace`.
    exclude: tuple[str, ...] = ()
    #: The file's text, so a mistake in a template can be shown at its line.
    text: str = attrs.field(default="", repr=False)

    def catalog(self, source: str) -> Catalog:
        """Every template a source at ``source`` can name (TemplateError for a broken one)."""
        start = Path.cwd() if source in ("-", "<stdin>", "<input>") else Path(source)
        files = tuple(template_files(start))
        return _catalog(self, files)

    def framework_named(self, name: str) -> F.Framework | None:
        name = F.ALIASES.get(name, name)
        return self.frameworks.get(name) or F.BUILTIN.get(name)

    def framework_names(self) -> list[str]:
        return [*F.BUILTIN, *self.frameworks]


def _error(path: Path, zh: str, en: str) -> ConfigError:
    return ConfigError(Msg(f"配置文件 {path}：{zh}", f"configuration {path}: {en}"))


def _strings(path: Path, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise _error(
        path,
        f"{key} 应当是字符串列表，而不是 {_shown(value, 'zh')}",
        f"{key} must be a list of strings, not {_shown(value, 'en')}",
    )


_KINDS = {
    bool: ("布尔值", "a boolean"),
    int: ("整数", "an integer"),
    float: ("小数", "a number"),
    str: ("字符串", "a string"),
    list: ("列表", "a list"),
    dict: ("表", "a table"),
}


def _shown(value: object, lang: str) -> str:
    """``'false'（字符串）`` / ``'false' (a string)``: what was written, and what TOML made of it."""
    zh, en = _KINDS.get(type(value), (type(value).__name__, type(value).__name__))
    return f"{value!r}（{zh}）" if lang == "zh" else f"{value!r} ({en})"


def _bool(path: Path, key: str, value: object) -> bool:
    """TOML's true/false only: ``strict = "false"`` is a string, and a truthy one."""
    if isinstance(value, bool):
        return value
    raise _error(
        path,
        f"{key} 应当是 true 或 false（不加引号），而不是 {_shown(value, 'zh')}",
        f"{key} must be true or false (without quotes), not {_shown(value, 'en')}",
    )


def _name(path: Path, key: str, value: object) -> str:
    """A name; a bare year (``framework = 2021``) is accepted as the name it spells."""
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    raise _error(
        path,
        f"{key} 应当是名称（字符串），而不是 {_shown(value, 'zh')}",
        f"{key} must be a name (a string), not {_shown(value, 'en')}",
    )


def _selectors(path: Path, key: str, value: object) -> tuple[str, ...]:
    """select/ignore: every entry must name a rule, or the setting would silently do nothing."""
    from perfdsl.check.selection import SelectorError, resolve

    names = _strings(path, key, value)
    for name in names:
        try:
            resolve(name)
        except SelectorError as exc:
            raise _error(path, f"{key}：{exc.message.zh}", f"{key}: {exc.message.en}") from None
    return names


def load(path: Path) -> Config:
    """Read a configuration file; any mistake in it is a ConfigError, never a traceback."""
    try:
        text = read_text(path)
        data = tomllib.loads(text)
    except limits.TooLarge as exc:
        limit = limits.describe(exc.limit)
        raise _error(
            path, f"超过 {limit} 的大小上限，未读取", f"is over the {limit} size limit; not read"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise _error(path, f"无法读取（{exc}）", f"cannot be read ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise _error(path, f"不是有效的 TOML（{exc}）", f"is not valid TOML ({exc})") from exc
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("perfdsl", {})
        if not isinstance(data, dict):
            raise _error(path, "[tool.perfdsl] 应当是表", "[tool.perfdsl] must be a table")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        known = ", ".join(sorted(_KEYS))
        guess = suggest(unknown[0], sorted(_KEYS))
        hint = (f"；是不是想写 {guess}？", f"; did you mean {guess}?") if guess else ("", "")
        raise _error(
            path,
            f"未知的配置项 {', '.join(unknown)}（可用：{known}）{hint[0]}",
            f"unknown keys {', '.join(unknown)} (known: {known}){hint[1]}",
        )
    frameworks = _frameworks(path, data.get("frameworks", {}))
    lang = data.get("lang")
    if lang is not None and lang not in ("zh", "en"):
        raise _error(
            path,
            f"lang 只能是 zh 或 en，而不是 {_shown(lang, 'zh')}",
            f"lang must be zh or en, not {_shown(lang, 'en')}",
        )
    config = Config(
        path=path,
        framework=_name(path, "framework", data["framework"]) if "framework" in data else None,
        frameworks=frameworks,
        select=_selectors(path, "select", data.get("select", [])),
        ignore=_selectors(path, "ignore", data.get("ignore", [])),
        exclude=_strings(path, "exclude", data.get("exclude", [])),
        strict=_bool(path, "strict", data.get("strict", False)),
        lang=lang,
        template=_name(path, "template", data["template"]) if "template" in data else None,
        templates=_table(path, "templates", data.get("templates", {})),
        text=text,
    )
    if config.framework is not None and config.framework_named(config.framework) is None:
        raise _error(
            path,
            f"framework = {config.framework!r} 不是已知的指标体系",
            f"framework = {config.framework!r} is not a known framework",
        )
    return config


def _table(path: Path, key: str, value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise _error(path, f"{key} 应当是表", f"{key} must be a table")
    return dict(value)


_CATALOGS: dict[tuple[str, str, tuple[tuple[Path, int, int], ...]], Catalog] = {}


def _stamp(path: Path) -> tuple[Path, int, int]:
    """A template file as the cache knows it: an edited file is read again (a library caller
    or a long test run may change one between two checks)."""
    try:
        stat = path.stat()
    except OSError:
        return path, -1, -1
    return path, stat.st_mtime_ns, stat.st_size


def _catalog(config: Config, files: tuple[Path, ...]) -> Catalog:
    """The catalog for one configuration and one set of template files, built once a run."""
    key = (str(config.path), config.text, tuple(_stamp(f) for f in files))
    found = _CATALOGS.get(key)
    if found is None:
        found = catalog(
            config.templates,  # type: ignore[arg-type]
            str(config.path or "perfdsl.toml"),
            config.text,
            files,
            config.template,
        )
        _CATALOGS[key] = found
    return found


def _frameworks(path: Path, table: object) -> dict[str, F.Framework]:
    """``[frameworks.X]``: local variants, each read by the one spec reader templates use too;
    a variant may name an earlier one as its base."""
    if not isinstance(table, dict):
        raise _error(path, "frameworks 应当是表", "frameworks must be a table")
    result: dict[str, F.Framework] = {}
    for name, spec in table.items():
        try:
            result[str(name)] = F.from_spec(
                str(name), spec, {**F.BUILTIN, **result}, default_base=F.DEFAULT
            )
        except F.SpecError as exc:
            raise _error(
                path, f"frameworks.{name}：{exc.message.zh}", f"frameworks.{name}: {exc.message.en}"
            ) from None
    return result


def lang_for(chosen: str | None, path: str | None = None) -> str:
    """The language of messages: the command line's, else ``lang`` of the configuration that
    applies to ``path`` (the working folder without one), else the locale's
    (:mod:`perfdsl.language`)."""
    if chosen:
        return chosen
    try:
        found = for_file(path if path and path != "-" else os.path.join(os.getcwd(), "x.pdsl"))
    except ConfigError:
        return from_locale()  # (the command reports the broken configuration itself)
    return found.lang or from_locale()


def for_file(path: str) -> Config:
    """The configuration that applies to a source file (defaults when there is none)."""
    found = find(Path.cwd() if path in ("-", "<stdin>", "<input>") else Path(path))
    return load(found) if found else Config()
