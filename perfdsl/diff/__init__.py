"""A semantic diff of two versions of a document: what a reviewer needs to approve.

:mod:`perfdsl.diff.model` compares ASTs and returns :class:`~perfdsl.diff.model.Change`
records; :mod:`perfdsl.diff.render` prints them as text, Markdown or JSON;
:mod:`perfdsl.diff.gitrev` reads a version of a file from a git revision.
"""

from perfdsl.diff.model import Change, Delta, Kind, ProjectKey, diff_documents

__all__ = ["Change", "Delta", "Kind", "ProjectKey", "diff_documents"]
