"""``--help`` and click's own words (``Usage:``, ``No such option``, ``Missing argument``) in
the user's language (:mod:`perfdsl.language`).

perfdsl's help texts are written in both languages where they are defined (:class:`Help`,
a ``str`` that is the English text and carries the Chinese).  Click's messages come from
``gettext`` under click's own English message ids; for Chinese each click module's ``_``
and ``ngettext`` are pointed at :data:`CLICK_ZH` (an id it does not list stays English, so a
newer click degrades to English words, never to an error).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from perfdsl.output import display_width


class Help(str):
    """Help text in English (its value, what click sees by default) and Chinese (``zh``)."""

    zh: str

    def __new__(cls, zh: str, en: str) -> Help:
        text = super().__new__(cls, en)
        text.zh = zh
        return text

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else str(self)


CLICK_ZH: dict[str, str] = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Value must be an iterable.": "值必须是一组。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} 不是有效的真假值，可用：{states}"
    ),
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "deprecated": "已弃用",
    "Aborted!": "已中止！",
    "unknown error": "未知错误",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Do you want to continue?": "要继续吗？",
    "Repeat for confirmation": "再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入的值不一致。",
    "Error: invalid input": "错误：输入无效",
    "Press any key to continue...": "按任意键继续……",
    "Shell completion is not supported for Bash versions older than 4.4.": (
        "Bash 4.4 以前的版本不支持命令补全。"
    ),
    "Couldn't detect Bash version, shell completion is not supported.": (
        "无法识别 Bash 版本，不支持命令补全。"
    ),
}

#: ngettext's (singular, plural) ids → the one Chinese form (Chinese has no plural).
CLICK_ZH_PLURAL: dict[tuple[str, str], str] = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "是不是想写 {possibilities}？"
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "多出了参数（{args}）"
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "选项 {name!r} 需要 {nargs} 个值。"
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "{value!r} 不是可选的值（{choices}）。"
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "需要 {nargs} 个值，给了 {len} 个。"
    ),
}

_CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
    "click.termui",
    "click.utils",
    "click.shell_completion",
)


class _Blank(dict):  # type: ignore[type-arg]
    """A format mapping where a name the Chinese form uses but click did not pass is blank."""

    def __missing__(self, key: str) -> str:
        return ""


def _zh(message: str) -> str:
    return CLICK_ZH.get(message, message)


def _zh_plural(singular: str, plural: str, n: int) -> str:
    found = CLICK_ZH_PLURAL.get((singular, plural))
    if found is None:
        return singular if n == 1 else plural
    return _Formatter(found)


class _Formatter(str):
    """A Chinese form whose ``format`` tolerates the names only one of the English forms has
    (click formats the chosen form with that form's names)."""

    def format(self, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        return str.format_map(self, _Blank(kwargs))


def _speak(thing: object, attribute: str, lang: str) -> None:
    """Set ``thing.attribute`` to its text in ``lang``, keeping both texts for the next run
    (a process may run several commands, the tests many, in different languages)."""
    kept = f"_perfdsl_{attribute}"
    both = getattr(thing, kept, None)
    if both is None:
        both = getattr(thing, attribute, None)
        if not isinstance(both, Help):
            return
        setattr(thing, kept, both)
    setattr(thing, attribute, both.get(lang))


def _short(text: str) -> str:
    """A command's line in the list of commands: its first clause.  (click shortens at a
    space, and Chinese has none, so ``把所有单位的表导出为数据…`` came out as ``把...``.)"""
    first = text.strip().split("\n", 1)[0]
    for mark in ("。", "；"):
        first = first.split(mark, 1)[0]
    if display_width(first) <= 64:
        return first
    while display_width(first) > 62:
        first = first[:-1]
    return first + "…"


def _localise_commands(command: click.Command, lang: str) -> None:
    _speak(command, "help", lang)
    _speak(command, "short_help", lang)
    both = getattr(command, "_perfdsl_help", None)
    if isinstance(both, Help) and not isinstance(
        getattr(command, "_perfdsl_short_help", None), Help
    ):
        command.short_help = _short(both.zh) if lang == "zh" else None
    for param in command.params:
        _speak(param, "help", lang)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _localise_commands(sub, lang)


def localise(group: click.Command, lang: str) -> None:
    """Speak ``lang`` in ``group``'s help and in click's messages, for this process."""
    import gettext

    _localise_commands(group, lang)
    chinese = lang == "zh"
    for name in _CLICK_MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = _zh if chinese else gettext.gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _zh_plural if chinese else gettext.ngettext  # type: ignore[attr-defined]


def lang_of(args: list[str]) -> str | None:
    """The ``--lang`` the command line gives, before click has parsed it (for ``--help``)."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


class Option(click.Option):
    """An option whose help may be :class:`Help` (click would flatten it to its English)."""

    def __init__(self, *args: Any, help: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, help=help, **kwargs)
        if isinstance(help, Help):
            self.help = help


def option(*decls: str, **kwargs: Any) -> Callable[..., Any]:
    """``click.option`` for :class:`Option`."""
    return click.option(*decls, cls=Option, **kwargs)
