"""``perfdsl site``: the public disclosure site of a department (部门预算公开).

One page per unit file (the page ``perfdsl build --to html`` writes, with a link back), and an
index of every unit and year with its budget, a search that works offline and charts drawn as
inline SVG.  The modules, each named for what it makes:

* :mod:`perfdsl.site.entries`: the small record kept of each published file (totals, counts,
  names to search), so a department of any size is read one file at a time;
* :mod:`perfdsl.site.pages`: a unit's page;
* :mod:`perfdsl.site.charts`: bar charts as SVG, each with its numbers as text;
* :mod:`perfdsl.site.search`: the prebuilt search index (``search.js``) and the script;
* :mod:`perfdsl.site.index`: ``index.html``;
* :mod:`perfdsl.site.publish`: build the whole site beside the target and swap it in.

Nothing here reads the clock or the locale: the same sources (and ``--title``) give the same
bytes.
"""
