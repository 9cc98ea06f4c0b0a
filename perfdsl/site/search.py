"""The offline search: a small prebuilt index (``search.js``) and the script that reads it.

No server and no external script: ``search.js`` sets one global, the list of pages with
their units, projects and indicators' names, and the script inline in ``index.html`` filters
the index's rows and lists the hits as the reader types.  ``index.html#q=办案`` opens with a
search done, so a search can be shared as a link.

Without JavaScript the search box stays hidden (``hidden``) and the full list is there.  The
script puts text into the page only through ``textContent``: a name from a source is never
read as HTML.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from perfdsl.site.entries import Entry

GLOBAL = "PERFDSL_SEARCH"
PREFIX = f"/* perfdsl site: the search index (generated, do not edit) */\nwindow.{GLOBAL} = "


def search_data(entries: Sequence[Entry]) -> dict[str, list[list[object]]]:
    """``pages``: [href, unit, code, year]; ``projects``: [page, name, anchor];
    ``indicators``: [project, name] (an indicator once per table it is in)."""
    pages: list[list[object]] = []
    projects: list[list[object]] = []
    indicators: list[list[object]] = []
    for page, entry in enumerate(entries):
        pages.append([entry.href, entry.unit_name, entry.unit_code or "", entry.year or ""])
        for project in entry.projects:
            projects.append([page, project.name, project.anchor])
            number = len(projects) - 1
            indicators += [[number, name] for name in project.indicators]
    return {"pages": pages, "projects": projects, "indicators": indicators}


def search_js(entries: Sequence[Entry]) -> bytes:
    """``search.js``: the index as one JavaScript assignment (a ``<script src>`` loads it
    from a file:// folder too, where a fetch of JSON would be refused)."""
    text = json.dumps(search_data(entries), ensure_ascii=False, separators=(",", ":"))
    # (JSON allows U+2028/U+2029 in strings; older JavaScript engines do not.  No "<" either,
    # so the index could be put inline in a page without a name closing its <script>.)
    for raw, escaped in (("\u2028", "\\u2028"), ("\u2029", "\\u2029"), ("<", "\\u003c")):
        text = text.replace(raw, escaped)
    return f"{PREFIX}{text};\n".encode()


def parse_search_js(data: bytes) -> dict[str, list[list[object]]]:
    """The index ``search.js`` holds (for tests and tools)."""
    text = data.decode("utf-8")
    if not text.startswith(PREFIX) or not text.endswith(";\n"):
        raise ValueError("not a search.js perfdsl site wrote")
    return json.loads(text[len(PREFIX) : -2])  # type: ignore[no-any-return]


#: The search, inline in index.html.  Plain ES5, no library.
SCRIPT = r"""
(function () {
  "use strict";
  var data = window.PERFDSL_SEARCH;
  var box = document.getElementById("search");
  if (!data || !box) { return; }
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("hits");
  var rows = document.querySelectorAll("tr[data-page]");
  var groups = document.querySelectorAll("section.year");
  var LIMIT = 100;
  var KINDS = ["单位", "项目", "指标"];
  function norm(s) { return (s.normalize ? s.normalize("NFKC") : s).toLowerCase(); }
  function year(p) { return p[3] ? p[3] + "年度" : ""; }
  var entries = [];
  data.pages.forEach(function (p, i) {
    entries.push({ k: 0, t: p[1] + " " + p[2], shown: p[1], p: i, a: "", where: [p[2], year(p)] });
  });
  data.projects.forEach(function (q) {
    var p = data.pages[q[0]];
    entries.push({ k: 1, t: q[1], shown: q[1], p: q[0], a: q[2], where: [p[1], year(p)] });
  });
  data.indicators.forEach(function (d) {
    var q = data.projects[d[0]], p = data.pages[q[0]];
    entries.push({ k: 2, t: d[1], shown: d[1], p: q[0], a: q[2], where: [q[1], p[1], year(p)] });
  });
  entries.forEach(function (e) { e.own = norm(e.t); e.all = e.own + " " + norm(e.where.join(" ")); });
  function hit(e, terms) {
    var own = false;
    for (var i = 0; i < terms.length; i++) {
      if (e.own.indexOf(terms[i]) >= 0) { own = true; }
      else if (e.all.indexOf(terms[i]) < 0) { return false; }
    }
    return own;
  }
  function item(e) {
    var li = document.createElement("li");
    var kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = KINDS[e.k];
    var a = document.createElement("a");
    a.href = data.pages[e.p][0] + (e.a ? "#" + e.a : "");
    a.textContent = e.shown;
    var where = document.createElement("span");
    where.className = "where";
    where.textContent = e.where.filter(function (s) { return s; }).join(" · ");
    li.appendChild(kind);
    li.appendChild(a);
    li.appendChild(where);
    return li;
  }
  function run() {
    var text = input.value;
    var terms = norm(text).split(/\s+/).filter(function (s) { return s; });
    list.textContent = "";
    try { history.replaceState(null, "", text ? "#q=" + encodeURIComponent(text) : "#"); }
    catch (err) { /* a file:// page may refuse: the search still works */ }
    var shown = {}, found = [];
    if (terms.length) {
      entries.forEach(function (e) { if (hit(e, terms)) { found.push(e); shown[e.p] = true; } });
    }
    Array.prototype.forEach.call(rows, function (r) {
      r.hidden = terms.length > 0 && !shown[r.getAttribute("data-page")];
    });
    Array.prototype.forEach.call(groups, function (g) {
      g.hidden = terms.length > 0 && !g.querySelector("tr[data-page]:not([hidden])");
    });
    if (!terms.length) { status.textContent = ""; return; }
    found.slice(0, LIMIT).forEach(function (e) { list.appendChild(item(e)); });
    status.textContent = found.length
      ? "找到 " + found.length + " 条" + (found.length > LIMIT ? "，列出前 " + LIMIT + " 条" : "")
      : "没有找到“" + text.trim() + "”";
  }
  box.hidden = false;
  input.addEventListener("input", run);
  box.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
  var start = /^#q=(.*)$/.exec(location.hash);
  if (start) {
    try { input.value = decodeURIComponent(start[1]); } catch (err) { input.value = ""; }
    run();
  }
}());
""".strip()
