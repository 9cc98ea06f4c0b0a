"""Templates as data: what one region's (or one system's) 绩效目标表 holds and how it prints.

A template says, for one shape of the table:

* ``kind``: a project table (``project``) or a department's 部门整体 table (``department``);
* ``framework``: the indicator framework its tables are checked against (a name, or a local
  variant written in the template);
* ``fields``: which fields of the registry (:mod:`perfdsl.standards.fields`) its tables hold,
  level by level; a source may write these and nothing else (besides free ``栏目`` fields);
* ``labels``: what the table prints for a field (项目单位 for 实施单位); a label is also a
  spelling the source may use for the field;
* ``page``: how it prints: the header grid's shape, the indicator table's columns, headings,
  lines above the tables, fonts.

The built-in templates are TOML files in ``builtin/``; the first, ``tianjin``, is the default.
A user template starts from one of them (``base``) and says only what differs: relabel fields,
add or drop fields and columns, change the framework or the page.  User templates live in
``perfdsl.toml`` (``[templates.<name>]``), in ``<name>.template.toml`` files beside the sources
(found the way perfdsl.toml is, nearest first), or in the source's own header, under
``模板:``.  A mistake in a template is a diagnostic with a position, like one in a source.
"""

from perfdsl.standards.templates.build import GRIDS, build_template, resolve_field
from perfdsl.standards.templates.catalog import (
    Catalog,
    builtin,
    catalog,
    for_document,
    for_project,
    get,
    template_files,
)
from perfdsl.standards.templates.inline import inline
from perfdsl.standards.templates.model import (
    BUILTIN_DIR,
    BUILTIN_ORDER,
    DEFAULT,
    LEVELS,
    Column,
    HeaderSpec,
    Page,
    Template,
    TemplateError,
)

__all__ = [
    "BUILTIN_DIR",
    "BUILTIN_ORDER",
    "DEFAULT",
    "GRIDS",
    "LEVELS",
    "Catalog",
    "Column",
    "HeaderSpec",
    "Page",
    "Template",
    "TemplateError",
    "build_template",
    "builtin",
    "catalog",
    "for_document",
    "for_project",
    "get",
    "inline",
    "resolve_field",
    "template_files",
]
