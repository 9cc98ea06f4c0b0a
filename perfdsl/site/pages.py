"""A unit's page: exactly what ``perfdsl build --to html`` writes, with a way back to the index.

The table is :func:`perfdsl.emit.html.render_html`'s, never a second renderer: the page is
wrapped, not forked.  A navigation line goes first in ``<body>`` and its style is appended to
the page's own style sheet (hidden in print, so the printed page is the built one).
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import PurePosixPath

from perfdsl.ast import Document
from perfdsl.standards.templates import Template

NAV_CSS = """.site-nav { font-size: .95rem; margin: 0 0 .5rem; }
.site-nav a { color: #0b4f9c; }
@media print { .site-nav { display: none; } }"""

_BODY = "<body>\n"
_STYLE_END = "\n</style>\n"


def index_href(page: PurePosixPath) -> str:
    """The index's address from ``page`` (``2024/X.html`` → ``../index.html``)."""
    return "../" * (len(page.parts) - 1) + "index.html"


#: The link's words: the same on every page (the index's title is only known once every
#: file has been read, and a page is written as soon as its file is).
BACK = "← 返回各单位列表"


def back_link(page: PurePosixPath) -> str:
    """The navigation line a unit's page starts with."""
    return (
        f'<nav class="site-nav" aria-label="网站导航"><a href="{escape(index_href(page))}" '
        f'rel="index">{BACK}</a></nav>\n'
    )


def with_back_link(html: str, page: PurePosixPath) -> str:
    """``html`` (a page :func:`perfdsl.emit.html.render_html` wrote) with the link back."""
    if html.count(_BODY) != 1 or _STYLE_END not in html:
        raise ValueError("not a page perfdsl.emit.html wrote")  # a defect: the emitter changed
    head, body = html.split(_BODY)
    head = head.replace(_STYLE_END, f"\n{NAV_CSS}{_STYLE_END}", 1)
    return f"{head}{_BODY}{back_link(page)}{body}"


def unit_page(
    document: Document,
    template: Template,
    timestamp: datetime,
    catalog: object,
    page: PurePosixPath,
) -> bytes:
    """The page of one file, UTF-8."""
    from perfdsl.emit.html import render_html

    html = render_html(document, template, timestamp, catalog)
    return with_back_link(html, page).encode("utf-8")
