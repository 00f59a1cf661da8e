# SPDX-License-Identifier: EUPL-1.2
"""Read model of the public figures pages and their CSV downloads.

Reads only the protected publication (:class:`PublishedArea`), never the raw counts, so a page
cannot show what disclosure control hid. Two queries per page, whatever the number of regions
or municipalities: the list of published periods, and the area with its parent and children.
Percentages are computed from the *published* (rounded) numbers: computing them from the true
counts would let a reader recover more precise counts than the rounding allows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from vangnet.stats import codes, tables
from vangnet.stats.charts import bar_chart
from vangnet.stats.cube import COUNTRY, area_label, is_unknown
from vangnet.stats.disclosure import SUPPRESSED, format_cell
from vangnet.stats.models import Publication, PublishedArea
from vangnet.stats.periods import parse
from vangnet.stats.tables import GROUPS, TableDef

MATRIX_TABLE = "investigation_outcome"


def share(part: int | None, whole: int | None) -> str:
    """A percentage of two published numbers; "." when either is hidden."""
    if part is None or whole is None:
        return SUPPRESSED
    if whole == 0:
        return ""
    return f"{round(100 * part / whole)}%"


@dataclass(frozen=True)
class Row:
    code: str
    label: str
    value: int | None
    share: str

    @property
    def shown(self) -> str:
        return format_cell(self.value)


@dataclass(frozen=True)
class TableView:
    table: TableDef
    rows: tuple[Row, ...]
    total: int | None
    chart: SafeString
    #: Only for the outcome table: kinds (rows) by outcomes (columns).
    matrix: tuple[tuple[str, tuple[str, ...]], ...] = ()
    matrix_columns: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return self.table.id.replace("_", "-")

    @property
    def total_shown(self) -> str:
        return format_cell(self.total)


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    tables: tuple[TableView, ...]


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str


@dataclass(frozen=True)
class ChildRow:
    code: str
    label: str
    url: str
    figures: tuple[str, ...]


CHILD_COLUMNS = (
    "contacts.advice",
    "contacts.report",
    "lead_assessment.share",
    "lead_investigation.share",
    "waiting.total",
)


def child_headers() -> tuple[str, ...]:
    return (
        _("Advice requests"),
        _("Reports"),
        _("Assessments within 5 working days"),
        _("Investigations within 10 weeks"),
        _("Waiting list at the end"),
    )


def _cells(area: PublishedArea, table_id: str) -> tuple[dict[str, int | None], int | None] | None:
    data = area.data.get(table_id)
    if data is None:
        return None
    return data["cells"], data["total"]


def figure(area: PublishedArea, spec: str) -> str:
    table_id, _dot, what = spec.partition(".")
    found = _cells(area, table_id)
    if found is None:
        return "–"
    cells, total = found
    if what == "total":
        return format_cell(total)
    if what == "share":
        return share(cells.get("within"), total)
    if what not in cells:
        return "–"
    return format_cell(cells[what])


def table_view(area: PublishedArea, table: TableDef) -> TableView | None:
    found = _cells(area, table.id)
    if found is None:
        return None
    cells, total = found
    labels = {c.code: str(c.label) for c in table.categories}
    rows = tuple(
        Row(code, labels.get(code, code), value, share(value, total))
        for code, value in cells.items()
    )
    title = str(table.title)
    area_name = str(area_label(area.code, area.name))
    chart = bar_chart(
        [(row.label, row.value) for row in rows],
        chart_id=f"chart-{table.id.replace('_', '-')}",
        title=f"{title}, {area_name}",
        description=_(
            "Bar chart of %(what)s per category. The numbers are in the table next to it; "
            "'.' means the number is not shown because it is too small."
        )
        % {"what": str(table.counts)},
    )
    if table.id != MATRIX_TABLE:
        return TableView(table, rows, total, chart)
    outcomes = tuple(o.code for o in codes.OUTCOMES)
    kinds = []
    for kind in (*codes.KINDS, *codes.ADDITIONAL):
        keys = [f"{kind.code}.{o}" for o in outcomes]
        if any(k in cells for k in keys):
            kinds.append(
                (str(kind.label), tuple(format_cell(cells[k]) if k in cells else "–" for k in keys))
            )
    return TableView(
        table,
        rows,
        total,
        SafeString(""),
        matrix=tuple(kinds),
        matrix_columns=tuple(str(o.label) for o in codes.OUTCOMES),
    )


@dataclass
class Page:
    publication: Publication
    periods: list[tuple[str, bool]]
    area: PublishedArea
    parent: PublishedArea | None
    children: list[ChildRow] = field(default_factory=list)
    child_areas: list[PublishedArea] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    key_figures: list[KeyFigure] = field(default_factory=list)
    score_means: dict[str, float] | None = None

    @property
    def area_name(self) -> str:
        return str(area_label(self.area.code, self.area.name))

    @property
    def period_label(self) -> str:
        return str(parse(self.publication.period).label)


def publications() -> list[Publication]:
    """All publications, newest first (one short list: two per year)."""
    return list(Publication.objects.order_by("-period"))


def _publication(period: str | None, published: list[Publication]) -> Publication:
    if not published:
        raise Http404
    if period is None:
        return published[0]
    for publication in published:
        if publication.period == period:
            return publication
    raise Http404


def page_url(code: str, parent: str, period: str) -> str:
    query = "?" + urlencode({"period": period})
    if code == COUNTRY:
        return reverse("stats:figures") + query
    if not parent or parent == COUNTRY:
        return reverse("stats:region", args=[code]) + query
    return reverse("stats:municipality", args=[parent, code]) + query


def load_page(
    period: str | None,
    region: str = "",
    municipality: str = "",
    published: list[Publication] | None = None,
) -> Page:
    """The page of the country, a region or a municipality; 404 for anything unpublished."""
    published = publications() if published is None else published
    publication = _publication(period, published)
    periods = [(p.period, p.provisional) for p in published]
    code = municipality or region or COUNTRY
    if is_unknown(code) or (municipality and is_unknown(region)):
        raise Http404
    query = Q(code=code) | Q(parent_code=code)
    if municipality:
        query = Q(code__in=[municipality, region])
    elif region:
        query |= Q(code=COUNTRY)
    areas = list(PublishedArea.objects.filter(publication=publication).filter(query))
    by_code = {a.code: a for a in areas}
    area = by_code.get(code)
    if area is None or (municipality and area.parent_code != region):
        raise Http404
    parent = by_code.get(area.parent_code)
    page = Page(publication, periods, area, parent)
    page.child_areas = [a for a in areas if a.parent_code == code]
    for child in page.child_areas:
        linked = "" if is_unknown(child.code) else page_url(child.code, code, publication.period)
        page.children.append(
            ChildRow(
                child.code,
                str(area_label(child.code, child.name)),
                linked,
                tuple(figure(child, spec) for spec in CHILD_COLUMNS),
            )
        )
    for group_id, title in GROUPS.items():
        views = [table_view(area, t) for t in tables.PUBLISHED if t.group == group_id]
        shown = tuple(v for v in views if v is not None)
        if shown:
            page.groups.append(Group(group_id, str(title), shown))
    page.key_figures = [
        KeyFigure(_("Advice requests started"), figure(area, "contacts.advice")),
        KeyFigure(_("Reports received"), figure(area, "contacts.report")),
        KeyFigure(
            _("Safety assessments within 5 working days"), figure(area, "lead_assessment.share")
        ),
        KeyFigure(
            _("Investigations completed within 10 weeks"),
            figure(area, "lead_investigation.share"),
        ),
        KeyFigure(_("Waiting list at the end of the half-year"), figure(area, "waiting.total")),
    ]
    page.score_means = area.data.get("score_means")
    return page


def csv_rows(page: Page) -> Iterator[list[str]]:
    """Long format: one line per area, table and category, values as published."""
    yield [
        "period",
        "area_level",
        "area_code",
        "area_name",
        "table",
        "table_title",
        "category",
        "category_label",
        "value",
    ]
    for area in [page.area, *page.child_areas]:
        name = str(area_label(area.code, area.name))
        for table in tables.PUBLISHED:
            found = _cells(area, table.id)
            if found is None:
                continue
            cells, total = found
            labels = {c.code: str(c.label) for c in table.categories}
            for category, value in cells.items():
                yield [
                    page.publication.period,
                    area.level,
                    area.code,
                    name,
                    table.id,
                    str(table.title),
                    category,
                    labels.get(category, category),
                    format_cell(value),
                ]
            yield [
                page.publication.period,
                area.level,
                area.code,
                name,
                table.id,
                str(table.title),
                "total",
                str(table.counts),
                format_cell(total),
            ]
