"""Where templates come from, and which one a document and each of its tables use.

Built-in templates are TOML files in ``standards/builtin/``; the user's are in ``perfdsl.toml``
(``[templates.<name>]``), in ``<name>.template.toml`` files found upwards from the source, and in
the source's own header.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import attrs

from perfdsl.ast import Span
from perfdsl.diagnostics import Diagnostic, Msg
from perfdsl.diagnostics import codes as C
from perfdsl.standards.templates.build import _every, _fail, _Where, build_template
from perfdsl.standards.templates.inline import inline
from perfdsl.standards.templates.model import (
    BUILTIN_DIR,
    BUILTIN_ORDER,
    DEFAULT,
    LEVELS,
    Template,
    TemplateError,
)
from perfdsl.suggest import suggest

# --- built-in templates ----------------------------------------------------------------------


@cache
def builtin() -> dict[str, Template]:
    """The built-in templates, by key, in :data:`BUILTIN_ORDER`: from the user cache when
    their files and perfdsl's code are the ones they were built from (building them is a
    noticeable part of a one-file check's start-up), else built and kept there."""
    from perfdsl import cache as user_cache

    texts = {
        key: (BUILTIN_DIR / f"{key}.toml").read_text(encoding="utf-8") for key in BUILTIN_ORDER
    }
    name = user_cache.key(text.encode("utf-8") for text in texts.values())
    kept = user_cache.get(name, "templates")
    if isinstance(kept, dict) and list(kept) == list(BUILTIN_ORDER):
        return kept
    found = _build_builtin(texts)
    user_cache.put(name, found, "templates")
    return found


def _build_builtin(texts: Mapping[str, str]) -> dict[str, Template]:
    found: dict[str, Template] = {}
    for key, text in texts.items():
        data = tomllib.loads(text)
        base = found.get(data.get("base", "")) if data.get("base") else None
        where = _Where(f"<builtin>/{key}.toml", text)
        template = build_template(data, where, base, key)
        found[key] = attrs.evolve(template, origin="builtin")
    return found


def _fold_name(name: str) -> str:
    """Compare template names regardless of case, spaces, '-', '_' and a trailing 版式/模板."""
    folded = name.strip().casefold()
    for ch in (" ", "\u3000", "-", "_"):
        folded = folded.replace(ch, "")
    for suffix in ("版式", "表样", "模板", "layout", "template"):
        if folded.endswith(suffix) and len(folded) > len(suffix):
            folded = folded[: -len(suffix)]
    return folded


# --- where user templates come from ------------------------------------------------------------


@attrs.frozen
class Catalog:
    """Every template a source can name: its own header's, template files, the configuration's,
    and the built-in ones (in that order of precedence)."""

    templates: Mapping[str, Template]
    default: str = DEFAULT
    #: Texts of the files templates came from, so their diagnostics can show the line.
    sources: Mapping[str, list[str]] = attrs.field(factory=dict)
    #: Mistakes in the user's templates (each such template is a stand-in that holds every
    #: field, so the tables naming it are read without a cascade of errors).
    problems: tuple[Diagnostic, ...] = ()

    def find(self, name: str) -> Template | None:
        wanted = _fold_name(name)
        for template in self.templates.values():
            if any(_fold_name(n) == wanted for n in template.names):
                return template
        return None

    def known(self) -> list[str]:
        return list(self.templates)

    def named(self, name: str | None, span: Span | None, path: str) -> Template:
        """The template ``name`` (None: the default); TemplateError (PD7001) if unknown."""
        if name is None or not name.strip():
            return self.templates[self.default]
        found = self.find(name)
        if found is not None:
            return found
        names = [t.key for t in self.templates.values()]
        spellings = [n for t in self.templates.values() for n in t.names]
        guess = suggest(name, spellings)
        listing = "、".join(names)
        raise TemplateError(
            C.UNKNOWN_TEMPLATE.at(
                span,
                Msg(f"没有名为 `{name}` 的模板", f"there is no template named `{name}`"),
                help=Msg(f"是不是想写 `{guess}`？", f"did you mean `{guess}`?")
                if guess
                else Msg(
                    f"可用的模板：{listing}；自定义模板写在 perfdsl.toml 的 [templates] 里，"
                    "或写成 <名称>.template.toml",
                    f"known templates: {', '.join(names)}; define your own under [templates] in "
                    "perfdsl.toml or in a <name>.template.toml file",
                ),
            ).in_file(path)
        )

    def with_template(self, template: Template) -> Catalog:
        return attrs.evolve(self, templates={template.key: template, **self.templates})


def template_files(start: Path) -> list[Path]:
    """``*.template.toml`` files from ``start``'s folder upwards, nearest folder first."""
    directory = start if start.is_dir() else start.parent
    found: list[Path] = []
    try:
        folders = (directory.resolve(), *directory.resolve().parents)
    except OSError:
        return found
    for folder in folders:
        try:
            found += sorted(folder.glob("*.template.toml"))
        except OSError:
            continue
    return found


def catalog(
    configured: Mapping[str, Mapping[str, Any]] | None = None,
    config_path: str = "perfdsl.toml",
    config_text: str = "",
    files: Iterable[Path] = (),
    default: str | None = None,
) -> Catalog:
    """Every template: files (nearest first) over the configuration's over the built-in ones.

    A template may start from any template defined before it in this order of loading:
    built-in ones, then the configuration's (in the order written), then the files (farthest
    first), so a file next to the sources can adapt the office's shared template.
    """
    templates: dict[str, Template] = dict(builtin())
    sources: dict[str, list[str]] = {}
    problems: list[Diagnostic] = []

    def add(name: str, data: object, where: _Where, keys: tuple[str, ...]) -> None:
        try:
            templates[name] = _derived(name, data, where, templates, keys)
        except TemplateError as exc:
            # Reported once; the tables that name it are read with a stand-in that holds
            # every field, so one mistake in a template is one diagnostic, not one per cell.
            problems.append(exc.diagnostic)
            templates[name] = _stand_in(name, data, templates)

    for name, data in (configured or {}).items():
        add(str(name), data, _Where(config_path, config_text), ("templates", str(name)))
    if config_text:
        sources[config_path] = config_text.split("\n")
    for path in reversed(list(files)):
        try:
            text = path.read_text(encoding="utf-8")
            data = tomllib.loads(text)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            problems.append(
                C.TEMPLATE_ERROR.at(
                    None,
                    Msg(f"模板文件无法读取：{exc}", f"the template file cannot be read: {exc}"),
                ).in_file(str(path))
            )
            continue
        name = str(data.get("name") or path.name[: -len(".template.toml")])
        add(name, data, _Where(str(path), text), ())
        sources[str(path)] = text.split("\n")
    # The user's templates come first: an office's "县级" wins over a built-in alias.
    ordered = {k: v for k, v in templates.items() if v.origin != "builtin"}
    ordered |= {k: v for k, v in templates.items() if v.origin == "builtin"}
    chosen = default or DEFAULT
    result = Catalog(ordered, DEFAULT, sources, tuple(problems))
    if default is not None:
        found = result.find(default)
        if found is None:
            raise TemplateError(
                C.UNKNOWN_TEMPLATE.at(
                    None,
                    Msg(
                        f"默认模板 `{default}` 不存在",
                        f"the default template `{default}` does not exist",
                    ),
                ).in_file(config_path)
            )
        chosen = found.key
    return attrs.evolve(result, default=chosen)


def _stand_in(name: str, data: object, known: Mapping[str, Template]) -> Template:
    """A broken template's place: its base (or the default) holding every field."""
    base_name = data.get("base", DEFAULT) if isinstance(data, dict) else DEFAULT
    base = Catalog(known).find(str(base_name)) or known[DEFAULT]
    every = {level: tuple(_every(level)) for level in LEVELS}
    aliases = data.get("aliases", []) if isinstance(data, dict) else []
    aliases = tuple(a for a in aliases if isinstance(a, str)) if isinstance(aliases, list) else ()
    return attrs.evolve(base, key=name, aliases=aliases, fields=every, origin="<broken>")


def _derived(
    name: str,
    data: object,
    where: _Where,
    known: Mapping[str, Template],
    keys: tuple[str, ...],
) -> Template:
    if not isinstance(data, dict):
        _fail(where, keys, f"模板 {name} 应当是表", f"template {name} must be a table")
    assert isinstance(data, dict)
    base_name = data.get("base", DEFAULT)
    if not isinstance(base_name, str):
        _fail(where, (*keys, "base"), "base 应当是模板名称", "base must be a template's name")
    base = Catalog(known).find(base_name)
    if base is None:
        guess = suggest(base_name, [n for t in known.values() for n in t.names])
        _fail(
            where,
            (*keys, "base"),
            f"base = {base_name!r} 不是已知的模板" + (f"；是不是想写 `{guess}`？" if guess else ""),
            f"base = {base_name!r} is not a known template"
            + (f"; did you mean `{guess}`?" if guess else ""),
        )
    assert base is not None
    inner = _Where(where.path, where.text, where.sections)
    return build_template(data, inner, base, name)


# --- which template a document and a table print in ----------------------------------------------


def for_document(
    document: object, catalog: Catalog | None = None, override: str | None = None
) -> Template:
    """The template a document's header names (adapted by its own lines), or ``override``.

    Called on a document that checked clean, so every name resolves; an unknown one falls back
    to the default rather than failing the build.
    """
    from perfdsl.ast import Document

    assert isinstance(document, Document)
    catalog = catalog or _builtin_catalog()
    named = override or (document.header.template.value if document.header.template else None)
    try:
        base = catalog.named(named, None, "<build>")
    except TemplateError:
        base = catalog.templates[catalog.default]
    if document.header.template_spec and override is None:
        try:
            return inline(base, document.header.template_spec, "<header>")
        except TemplateError:
            return base
    return base


def for_project(project: object, file_template: Template, catalog: object = None) -> Template:
    """The template one table prints in: its own ``模板:`` if it names one, else the file's."""
    from perfdsl.ast import Project

    assert isinstance(project, Project)
    own = project.fields.located("template")
    if own is None:
        return file_template
    found = (catalog if isinstance(catalog, Catalog) else _builtin_catalog()).find(own.value)
    return found or file_template


@cache
def _builtin_catalog() -> Catalog:
    return catalog()


def get(name: str | None = None) -> Template:
    """A built-in template by any of its names (None: the default); KeyError if unknown."""
    found = _builtin_catalog().find(name) if name else _builtin_catalog().templates[DEFAULT]
    if found is None:
        raise KeyError(name)
    return found
