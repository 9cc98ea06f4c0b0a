"""What changed between two versions of a document, as a list of :class:`Change` records.

The comparison is of ASTs, never of text: spans and comments do not take part in AST
equality, and keywords are canonical after parsing, so re-indenting, re-ordering header keys,
switching between English and Chinese keywords or between half- and full-width forms changes
nothing here.  Every change is addressed by its place in the table (单位 › 项目 › 一级 › 二级 ›
三级), the way a reviewer reads the published document, in the spirit of dyff.

Matching, in order:

* projects by name and order of occurrence (a unit may publish two projects with the same
  name, as the seed does with 司法救助-2023中央); an unmatched pair that differs only in its
  name is a rename, and so is a leftover pair whose names are close (``2024年…`` and
  ``2025年…``, a word added), whose other changes are then shown under the new name;
* indicators by (一级, 二级, name) and order of occurrence; then an unmatched pair in the same
  place (一级, 二级, position within that 二级) with the same value is a rename; then an
  unmatched pair with the same name elsewhere is a move; whatever is left was added or removed.

Money is compared exactly: amounts are Decimals from the source text, converted between 元,
万元 and 亿元 without floats, and deltas are given in the new file's money unit.
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import attrs

from perfdsl import ast
from perfdsl.diff.match import pair_names
from perfdsl.standards import fields as R
from perfdsl.standards.templates import Template
from perfdsl.values import Quantity, Value, convert_money, format_decimal, money_unit


class Kind(enum.Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    RENAMED = "renamed"
    MOVED = "moved"
    REORDERED = "reordered"


@attrs.frozen(slots=True)
class ProjectKey:
    """A project as the diff names it: its name and, when the name repeats, which one."""

    name: str
    occurrence: int = 1
    repeated: bool = False

    @property
    def label(self) -> str:
        return f"{self.name} [{self.occurrence}]" if self.repeated else self.name


@attrs.frozen(slots=True)
class Delta:
    """A signed difference: ``+4.00万元``, ``-100次``."""

    amount: Decimal
    unit: str

    @property
    def text(self) -> str:
        sign = "+" if self.amount > 0 else ("-" if self.amount < 0 else "±")
        return f"{sign}{format_decimal(abs(self.amount))}{self.unit}"


@attrs.frozen(slots=True)
class Change:
    """One difference, addressed by its path.

    ``project`` is None for the file's header.  ``where`` is the rest of the path below the
    project (or the header field).  ``old``/``new`` are the cells as the documents show them
    (None: absent).  ``money_unit`` is set when both are bare amounts in that unit, so a
    renderer can write ``146.00 → 150.00 万元``.  For REORDERED, ``old``/``new`` name what
    came just before it in the old and the new order (the indicator row, or the project in the
    file; None: it was, or is, first).
    """

    kind: Kind
    unit: str
    project: ProjectKey | None
    where: tuple[str, ...]
    old: str | None = None
    new: str | None = None
    delta: Delta | None = None
    money_unit: str | None = None

    @property
    def path(self) -> tuple[str, ...]:
        head = (self.unit,) if self.project is None else (self.unit, self.project.label)
        return (*head, *self.where)


# --- labels: the table's own words, whatever language the file's keywords were in ------------

VALUE = "指标值"
MIDTERM = "中期值"
GOALS = "绩效目标"
#: Where a change that the finer comparisons could not name is reported (a safety net).
OTHER = "其他"


def field_text(value: ast.FieldValue | None, file_unit: str = "") -> str | None:
    """A field's cell as the table shows it, for comparing and printing; None when absent."""
    if value is None:
        return None
    if isinstance(value, ast.Located):
        return value.value
    if isinstance(value, ast.Number):
        return value.text
    if isinstance(value, ast.Typed):
        return value.value.text
    if isinstance(value, ast.Money):
        return f"{format_decimal(value.amount)}{value.unit or file_unit}{value.note}"
    if isinstance(value, ast.Goals):
        return "\n".join(g.text for g in value.items)
    if isinstance(value, ast.Labels):
        return "\n".join(f"{k}: {field_text(v)}" for k, v in value.fields.items())
    return None


def unit_label(header: ast.Header) -> str:
    if header.unit_name is not None and header.unit_name.value:
        return header.unit_name.value
    if header.unit_code is not None and header.unit_code.value:
        return header.unit_code.value
    return "（未写单位）"


def _unit_text(header: ast.Header) -> str | None:
    parts = [x.value for x in (header.unit_code, header.unit_name) if x is not None and x.value]
    return " ".join(parts) or None


def _located(value: ast.Located | None) -> str | None:
    return None if value is None else value.value


# --- money -------------------------------------------------------------------------------------


def _in_unit(amount: Decimal, unit: str, target: str) -> Decimal:
    """``amount`` in ``target``, exactly (see :func:`perfdsl.values.convert_money`)."""
    return convert_money(amount, unit, target)


def _money_delta(
    old: Decimal, old_unit: str, new: Decimal, new_unit: str, target: str
) -> Delta | None:
    """``new - old`` in ``target``; None if a unit is not money (a header the checker flags)."""
    if money_unit(target) is None:
        return None
    try:
        return Delta(_in_unit(new, new_unit, target) - _in_unit(old, old_unit, target), target)
    except (KeyError, ArithmeticError):
        return None


def _value_text(value: Value | None) -> str | None:
    return None if value is None else value.text


def _value_delta(old: Value | None, new: Value | None, file_unit: str) -> Delta | None:
    """The change of a quantity that kept its operator: money in the file's unit, else as is."""
    if not (isinstance(old, Quantity) and isinstance(new, Quantity)):
        return None
    if old.op != new.op or old.suffix != new.suffix or old.number == new.number:
        return None
    old_money, new_money = money_unit(old.unit), money_unit(new.unit)
    if old_money and new_money:
        return _money_delta(old.number, old_money, new.number, new_money, file_unit)
    if old.unit == new.unit and old.unit not in ("%", "‰", ""):
        return Delta(new.number - old.number, new.unit)
    return None


# --- the comparison ------------------------------------------------------------------------------


class _Differ:
    """One comparison: the two documents, and the changes found so far, in report order."""

    def __init__(self, old: ast.Document, new: ast.Document, template: Template | None) -> None:
        self.old = old
        self.new = new
        self.template = template
        self.changes: list[Change] = []
        # The path starts at the unit: the new version's, or the old one's if the file is gone.
        self.unit = unit_label(new.header if _unit_text(new.header) else old.header)
        self.old_money = old.header.unit
        self.new_money = new.header.unit

    def add(
        self,
        kind: Kind,
        project: ProjectKey | None,
        where: Sequence[str],
        old: str | None = None,
        new: str | None = None,
        delta: Delta | None = None,
        money_unit: str | None = None,
    ) -> None:
        self.changes.append(
            Change(kind, self.unit, project, tuple(where), old, new, delta, money_unit)
        )

    def scalar(
        self, project: ProjectKey | None, where: Sequence[str], old: str | None, new: str | None
    ) -> None:
        if old == new:
            return
        kind = Kind.ADDED if old is None else Kind.REMOVED if new is None else Kind.CHANGED
        self.add(kind, project, where, old=old, new=new)

    # header -------------------------------------------------------------------------------

    def header(self) -> None:
        old, new = self.old.header, self.new.header
        if old == new:
            return
        self.scalar(None, ("单位",), _unit_text(old), _unit_text(new))
        for key in ("year", "money_unit"):
            label = self.label("header", key)
            self.scalar(None, (label,), _located(getattr(old, key)), _located(getattr(new, key)))
        self.fields(None, (), "header", old.fields, new.fields)
        if old.template_spec != new.template_spec:
            self.add(Kind.CHANGED, None, (self.label("header", "template"),))

    # money --------------------------------------------------------------------------------

    def money_text(self, money: ast.Money, file_unit: str) -> str:
        return f"{format_decimal(money.amount)}{money.unit or file_unit}"

    def money(
        self,
        project: ProjectKey,
        where: Sequence[str],
        old: ast.Money | None,
        new: ast.Money | None,
    ) -> None:
        if old == new and self.old_money == self.new_money:
            return
        if old is None or new is None:
            self.scalar(
                project,
                where,
                None if old is None else self.money_text(old, self.old_money),
                None if new is None else self.money_text(new, self.new_money),
            )
            return
        old_unit = money_unit(old.unit or self.old_money) or self.old_money
        new_unit = money_unit(new.unit or self.new_money) or self.new_money
        if old.amount == new.amount and old_unit == new_unit:
            return  # the same amount, however it was written
        delta = _money_delta(old.amount, old_unit, new.amount, new_unit, self.new_money)
        bare = old.unit is None and new.unit is None and self.old_money == self.new_money
        self.add(
            Kind.CHANGED,
            project,
            where,
            old=format_decimal(old.amount) if bare else self.money_text(old, self.old_money),
            new=format_decimal(new.amount) if bare else self.money_text(new, self.new_money),
            delta=delta,
            money_unit=self.new_money if bare else None,
        )

    def budgets(self, key: ProjectKey, old: ast.Project, new: ast.Project) -> None:
        columns = [b.key for b in (*new.budgets, *old.budgets)]
        for column in dict.fromkeys(columns):
            self.budget(key, column, old.money_column(column), new.money_column(column))

    def budget(
        self, key: ProjectKey, column: str, old: ast.Budget | None, new: ast.Budget | None
    ) -> None:
        label = self.label("budget", column)
        self.money(key, (label,), old.total if old else None, new.total if new else None)
        old_lines = _by_occurrence(old.all_lines() if old else (), lambda f: f.kind)
        new_lines = _by_occurrence(new.all_lines() if new else (), lambda f: f.kind)
        for name in _union(old_lines, new_lines):
            o, n = old_lines.get(name), new_lines.get(name)
            where = (label, self.label("funding", name[0]))
            self.money(key, where, o.amount if o else None, n.amount if n else None)

    # fields -------------------------------------------------------------------------------

    def label(self, level: str, key: str) -> str:
        """A field as the new table prints it (its template's label)."""
        if ast.free_label(key) is not None:
            return ast.free_label(key) or key
        if self.template is not None:
            return self.template.label(level, key)
        return R.label(level, key)  # type: ignore[arg-type]

    def fields(
        self,
        project: ProjectKey | None,
        place: tuple[str, ...],
        level: str,
        old: ast.Fields,
        new: ast.Fields,
        skip: tuple[str, ...] = (),
    ) -> None:
        """Every field of ``level`` that changed, in registry order, then free fields."""
        if old == new:
            return
        keys = [f.key for f in R.at(level)]  # type: ignore[arg-type]
        keys += [k for k in dict.fromkeys((*old, *new)) if k not in keys]
        for key in keys:
            if key in skip:
                continue
            o, n = old.get(key), new.get(key)
            if o == n:
                continue
            where = (*place, self.label(level, key))
            if isinstance(o, ast.Goals) or isinstance(n, ast.Goals):
                self.goals(project, where[-1], _items(o), _items(n))  # type: ignore[arg-type]
            elif isinstance(o, ast.Rows) or isinstance(n, ast.Rows):
                self.goals(project, where[-1], _row_goals(o), _row_goals(n))  # type: ignore[arg-type]
            elif isinstance(o, ast.Tree) or isinstance(n, ast.Tree):
                old_tree = o.level1 if isinstance(o, ast.Tree) else ()
                new_tree = n.level1 if isinstance(n, ast.Tree) else ()
                assert project is not None
                self.tree(project, old_tree, new_tree, where)
            elif isinstance(o, ast.Typed) and isinstance(n, ast.Typed):
                self.add(
                    Kind.CHANGED,
                    project,
                    where,
                    old=o.value.text,
                    new=n.value.text,
                    delta=_value_delta(o.value, n.value, self.new_money),
                )
            else:
                self.scalar(
                    project, where, field_text(o, self.old_money), field_text(n, self.new_money)
                )

    # goals --------------------------------------------------------------------------------

    def goals(
        self, key: ProjectKey | None, label: str, old: Sequence[ast.Goal], new: Sequence[ast.Goal]
    ) -> None:
        old_texts, new_texts = [g.text for g in old], [g.text for g in new]
        if old_texts == new_texts:
            return
        if len(old_texts) == len(new_texts):
            for i, (o, n) in enumerate(zip(old_texts, new_texts, strict=True), 1):
                self.scalar(key, (label, str(i)), o, n)
            return
        import difflib  # only when the number of goals changed

        matcher = difflib.SequenceMatcher(a=old_texts, b=new_texts, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
            for k in range(pairs):
                self.scalar(key, (label, str(j1 + k + 1)), old_texts[i1 + k], new_texts[j1 + k])
            for k in range(i1 + pairs, i2):
                self.add(Kind.REMOVED, key, (label, str(k + 1)), old=old_texts[k])
            for k in range(j1 + pairs, j2):
                self.add(Kind.ADDED, key, (label, str(k + 1)), new=new_texts[k])

    # indicators ---------------------------------------------------------------------------

    def indicator_fields(
        self, key: ProjectKey, place: tuple[str, ...], old: ast.Indicator, new: ast.Indicator
    ) -> None:
        if old.value != new.value:
            kind = (
                Kind.ADDED
                if old.value is None
                else Kind.REMOVED
                if new.value is None
                else Kind.CHANGED
            )
            self.add(
                kind,
                key,
                (*place, VALUE),
                old=_value_text(old.value),
                new=_value_text(new.value),
                delta=_value_delta(old.value, new.value, self.new_money),
            )
        self.fields(key, place, "indicator", old.fields, new.fields)

    def indicators(self, key: ProjectKey, old: ast.Project, new: ast.Project) -> None:
        self.tree(key, old.indicators, new.indicators, ())

    def tree(
        self,
        key: ProjectKey,
        old_tree: tuple[ast.Level1, ...],
        new_tree: tuple[ast.Level1, ...],
        prefix: tuple[str, ...],
    ) -> None:
        old_rows = _rows(old_tree, prefix)
        new_rows = _rows(new_tree, prefix)
        pairs = _match_rows(old_rows, new_rows)
        matched_old = {o for o, _n, _how in pairs}
        matched_new = {n for _o, n, _how in pairs}
        # Report in the new table's order, each removed row after the row it used to follow.
        events: list[tuple[float, int, Callable[[], None]]] = []
        new_index_of_old = {o: n for o, n, _how in pairs}
        for o, n, how in pairs:
            events.append((n, 0, _bind(self.matched_row, key, old_rows[o], new_rows[n], how)))
        for n, row in enumerate(new_rows):
            if n not in matched_new:
                events.append((n, 0, _bind(self.row_added, key, row)))
        for o, row in enumerate(old_rows):
            if o not in matched_old:
                before = [new_index_of_old[p] for p in range(o) if p in new_index_of_old]
                events.append((max(before, default=-1) + 0.5, o, _bind(self.row_removed, key, row)))
        for _pos, _tie, emit in sorted(events, key=lambda e: (e[0], e[1])):
            emit()
        self.reordered(key, pairs, old_rows, new_rows)

    def matched_row(self, key: ProjectKey, old: _Row, new: _Row, how: Kind | None) -> None:
        if how is Kind.RENAMED:
            self.add(Kind.RENAMED, key, (*old.place, old.name), old=old.name, new=new.name)
        elif how is Kind.MOVED:
            self.add(
                Kind.MOVED,
                key,
                (*new.place, new.name),
                old=" › ".join(old.place),
                new=" › ".join(new.place),
            )
        self.indicator_fields(key, (*new.place, new.name), old.indicator, new.indicator)

    def row_added(self, key: ProjectKey, row: _Row) -> None:
        self.add(Kind.ADDED, key, (*row.place, row.name), new=_value_text(row.indicator.value))

    def row_removed(self, key: ProjectKey, row: _Row) -> None:
        self.add(Kind.REMOVED, key, (*row.place, row.name), old=_value_text(row.indicator.value))

    def reordered(
        self,
        key: ProjectKey,
        pairs: list[tuple[int, int, Kind | None]],
        old_rows: list[_Row],
        new_rows: list[_Row],
    ) -> None:
        # A row moved to another 二级 changed its place, not its order: do not say it twice.
        by_old = sorted((o, n) for o, n, how in pairs if how is not Kind.MOVED)
        for o, n in _out_of_order(by_old):
            row = new_rows[n]
            self.add(
                Kind.REORDERED,
                key,
                (*row.place, row.name),
                old=old_rows[o - 1].name if o else None,
                new=new_rows[n - 1].name if n else None,
            )

    # projects -----------------------------------------------------------------------------

    def project(self, key: ProjectKey, old: ast.Project, new: ast.Project) -> None:
        if old == new and self.old_money == self.new_money:
            return
        before = len(self.changes)
        self.budgets(key, old, new)
        self.goals(key, self.label("project", "goals"), old.goals, new.goals)
        self.fields(key, (), "project", old.fields, new.fields)
        self.indicators(key, old, new)
        if len(self.changes) == before and old != new:
            self.add(Kind.CHANGED, key, (OTHER,))  # a difference no finer rule could name

    def project_summary(self, project: ast.Project, file_unit: str) -> str | None:
        if project.budget is None:
            return None
        return self.money_text(project.budget.total, file_unit)

    def projects(self) -> None:
        old_keys = _project_keys(self.old.projects, self.new.projects)
        new_keys = _project_keys(self.new.projects, self.old.projects)
        old_at = {(k.name, k.occurrence): i for i, k in enumerate(old_keys)}
        pairs: list[tuple[int, int]] = []
        for n, k in enumerate(new_keys):
            if (o := old_at.get((k.name, k.occurrence))) is not None:
                pairs.append((o, n))
        matched_old = {o for o, _ in pairs}
        matched_new = {n for _, n in pairs}
        # A project that changed only its name is a rename, not a removal and an addition.
        # Nodes hash by content (spans excluded), so this is one pass, not a pairwise search.
        waiting: dict[ast.Project, list[int]] = defaultdict(list)
        for n in range(len(new_keys)):
            if n not in matched_new:
                waiting[attrs.evolve(self.new.projects[n], name="")].append(n)
        renames: list[tuple[int, int]] = []
        for o in range(len(old_keys)):
            if o not in matched_old:
                queue = waiting.get(attrs.evolve(self.old.projects[o], name=""))
                if queue:
                    renames.append((o, queue.pop(0)))
        # A name changed a little as well as the content (a new year's copy: 2024年… →
        # 2025年…): the same project renamed, its changes shown under the new name.
        matched_old |= {o for o, _n in renames}
        matched_new |= {n for _o, n in renames}
        left_old = [o for o in range(len(old_keys)) if o not in matched_old]
        left_new = [n for n in range(len(new_keys)) if n not in matched_new]

        edited = {
            left_new[n]: left_old[o]
            for o, n in pair_names(
                [self.old.projects[o].name for o in left_old],
                [self.new.projects[n].name for n in left_new],
            )
        }
        old_of_new = {n: o for o, n in pairs}
        renamed_from = {n: o for o, n in renames} | edited
        renamed_old = set(renamed_from.values())
        for n, project in enumerate(self.new.projects):
            key = new_keys[n]
            if n in old_of_new:
                self.project(key, self.old.projects[old_of_new[n]], project)
            elif n in renamed_from:
                old_key = old_keys[renamed_from[n]]
                self.add(Kind.RENAMED, old_key, (), old=old_key.name, new=project.name)
                if n in edited:
                    self.project(key, self.old.projects[renamed_from[n]], project)
            else:
                self.add(Kind.ADDED, key, (), new=self.project_summary(project, self.new_money))
        for o, project in enumerate(self.old.projects):
            if o not in matched_old and o not in renamed_old:
                self.add(
                    Kind.REMOVED,
                    old_keys[o],
                    (),
                    old=self.project_summary(project, self.old_money),
                )
        for o, n in _out_of_order(sorted(pairs)):
            self.add(
                Kind.REORDERED,
                new_keys[n],
                (),
                old=old_keys[o - 1].label if o else None,
                new=new_keys[n - 1].label if n else None,
            )

    def run(self) -> list[Change]:
        if self.old == self.new:
            return []
        self.header()
        self.projects()
        if not self.changes:
            self.add(Kind.CHANGED, None, (OTHER,))
        return self.changes


# --- helpers -----------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class _Row:
    """One row of a project's indicator table: where it stands and what it says."""

    l1: str
    l2: str
    name: str
    position: int  # among the rows of the same 一级 and 二级, from 0
    indicator: ast.Indicator
    prefix: tuple[str, ...] = ()  # 中期指标 for the second tree

    @property
    def place(self) -> tuple[str, ...]:
        return (*self.prefix, self.l1, self.l2)


def _rows(tree: tuple[ast.Level1, ...], prefix: tuple[str, ...] = ()) -> list[_Row]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    rows = []
    for l1, l2, indicator in ast.iter_tree(tree):
        place = (l1.name, l2.name)
        rows.append(_Row(l1.name, l2.name, indicator.name, counts[place], indicator, prefix))
        counts[place] += 1
    return rows


def _items(value: ast.FieldValue | None) -> tuple[ast.Goal, ...]:
    return value.items if isinstance(value, ast.Goals) else ()


def _row_goals(value: ast.FieldValue | None) -> tuple[ast.Goal, ...]:
    """A block's rows as one line each (their cells joined), to diff like numbered goals."""
    if not isinstance(value, ast.Rows):
        return ()
    return tuple(
        ast.Goal(" | ".join(field_text(v) or "" for v in row.fields.values())) for row in value.rows
    )


def _match_rows(old: list[_Row], new: list[_Row]) -> list[tuple[int, int, Kind | None]]:
    """Pairs (old index, new index, how): same place and name, rename in place, or move."""
    pairs: list[tuple[int, int, Kind | None]] = []
    old_left = set(range(len(old)))
    new_left = set(range(len(new)))

    def pair_by(key: Callable[[_Row], object], how: Kind | None) -> None:
        waiting: dict[object, list[int]] = defaultdict(list)
        for o in sorted(old_left):
            waiting[key(old[o])].append(o)
        for n in sorted(new_left):
            queue = waiting.get(key(new[n]))
            if queue:
                o = queue.pop(0)
                pairs.append((o, n, how))
                old_left.discard(o)
                new_left.discard(n)

    pair_by(lambda r: (r.l1, r.l2, r.name), None)
    pair_by(lambda r: (r.l1, r.l2, r.position, r.indicator.value), Kind.RENAMED)
    pair_by(lambda r: r.name, Kind.MOVED)
    return pairs


def _bind(method: Callable[..., None], *args: object) -> Callable[[], None]:
    return lambda: method(*args)


def _by_occurrence(
    items: Iterable[ast.FundingLine], key: Callable[[ast.FundingLine], str]
) -> dict[tuple[str, int], ast.FundingLine]:
    """Items keyed by (key, occurrence), so a repeated key is compared in order."""
    seen: dict[str, int] = defaultdict(int)
    out: dict[tuple[str, int], ast.FundingLine] = {}
    for item in items:
        k = key(item)
        seen[k] += 1
        out[(k, seen[k])] = item
    return out


def _union(
    a: dict[tuple[str, int], object], b: dict[tuple[str, int], object]
) -> list[tuple[str, int]]:
    return [*a, *(k for k in b if k not in a)]


def _project_keys(
    projects: Sequence[ast.Project], other: Sequence[ast.Project]
) -> list[ProjectKey]:
    """Each project's key; a name is marked repeated if it repeats in either version."""
    counts: dict[str, int] = defaultdict(int)
    for p in projects:
        counts[p.name] += 1
    other_counts: dict[str, int] = defaultdict(int)
    for p in other:
        other_counts[p.name] += 1
    seen: dict[str, int] = defaultdict(int)
    keys = []
    for p in projects:
        seen[p.name] += 1
        repeated = counts[p.name] > 1 or other_counts[p.name] > 1
        keys.append(ProjectKey(p.name, seen[p.name], repeated))
    return keys


def _out_of_order(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The (old, new) pairs, sorted by old, that moved relative to the others.

    The rows that kept their order are a longest increasing run of new positions; everything
    else moved.  Adding or removing rows shifts positions but moves nothing.
    """
    keep = _longest_increasing([n for _o, n in pairs])
    return [(o, n) for o, n in pairs if n not in keep]


def _longest_increasing(values: list[int]) -> set[int]:
    """The values of a longest strictly increasing subsequence: the rows that did not move."""
    import bisect

    tails: list[int] = []
    tail_at: list[int] = []
    parent: list[int] = [-1] * len(values)
    for i, v in enumerate(values):
        j = bisect.bisect_left(tails, v)
        if j == len(tails):
            tails.append(v)
            tail_at.append(i)
        else:
            tails[j] = v
            tail_at[j] = i
        parent[i] = tail_at[j - 1] if j else -1
    keep: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        keep.add(values[i])
        i = parent[i]
    return keep


def diff_documents(
    old: ast.Document, new: ast.Document, template: Template | None = None
) -> list[Change]:
    """Every difference between ``old`` and ``new``; empty when they say the same thing.

    Fields are named by ``template``'s labels (the new version's), else the registry's.
    """
    return _Differ(old, new, template).run()
