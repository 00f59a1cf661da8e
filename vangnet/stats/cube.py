# SPDX-License-Identifier: EUPL-1.2
"""Reading the raw counts of a half-year, and the tree of areas they are reported for.

Areas: the country (``NL``), the Veilig Thuis regions (organisation codes ``vt01``...) and the
municipalities (CBS codes ``GM0344``...). Records that cannot be placed get a pseudo-area:
``vt-x`` (region unknown) and ``<region>-x`` (municipality unknown in that region). They are
reported like any other area, so totals always include every record.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from vangnet.accounts.models import Municipality, Organisation, OrganisationType
from vangnet.stats.models import AreaLevel, PeriodCount

COUNTRY = "NL"
UNKNOWN_REGION = "vt-x"
UNKNOWN_SUFFIX = "-x"


def unknown_municipality(region: str) -> str:
    return f"{region}{UNKNOWN_SUFFIX}"


def is_unknown(code: str) -> bool:
    return code.endswith(UNKNOWN_SUFFIX)


def area_label(code: str, name: str) -> Promise | str:
    """How an area is named on screen and in files (pseudo-areas get a translated name)."""
    if code == COUNTRY:
        return _("The Netherlands")
    if code == UNKNOWN_REGION:
        return _("Region unknown")
    if is_unknown(code):
        return _("Municipality unknown")
    return name


@dataclass(frozen=True)
class Area:
    level: str
    code: str
    name: str
    parent: str = ""

    @property
    def label(self) -> Promise | str:
        return area_label(self.code, self.name)


@dataclass
class Cube:
    """The raw counts of one half-year, summed to every area level."""

    period: str
    municipality: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)
    region: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    country: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: Areas that hold any record, by area code (to decide which pseudo-areas to show).
    used: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, period: str) -> Cube:
        cube = cls(period)
        rows = PeriodCount.objects.filter(period=period).values_list(
            "table", "region_code", "municipality_code", "category", "value"
        )
        for table, region, muni, category, value in rows.iterator(chunk_size=10000):
            region = region or UNKNOWN_REGION
            muni = muni or unknown_municipality(region)
            cube.municipality[(table, region, muni, category)] += value
            cube.region[(table, region, category)] += value
            cube.country[(table, category)] += value
            cube.used.update((region, muni))
        return cube

    def value(self, table: str, area: Area, category: str) -> int:
        if area.level == AreaLevel.COUNTRY:
            return self.country[(table, category)]
        if area.level == AreaLevel.REGION:
            return self.region[(table, area.code, category)]
        return self.municipality[(table, area.parent, area.code, category)]

    def __bool__(self) -> bool:
        return bool(self.country)


@dataclass(frozen=True)
class AreaTree:
    country: Area
    regions: tuple[Area, ...]
    municipalities: dict[str, tuple[Area, ...]]  # region code -> its municipalities

    def all(self) -> list[Area]:
        out = [self.country]
        for region in self.regions:
            out.append(region)
            out.extend(self.municipalities[region.code])
        return out


def area_tree(used: set[str] | None = None) -> AreaTree:
    """Regions by code, municipalities by name; pseudo-areas only when ``used`` holds them."""
    used = used or set()
    regions = [
        Area(AreaLevel.REGION, code, name, COUNTRY)
        for code, name in Organisation.objects.filter(type=OrganisationType.VT_REGION)
        .order_by("code")
        .values_list("code", "name")
    ]
    if UNKNOWN_REGION in used:
        regions.append(Area(AreaLevel.REGION, UNKNOWN_REGION, "", COUNTRY))
    municipalities: dict[str, list[Area]] = {r.code: [] for r in regions}
    for code, name, region_code in Municipality.objects.order_by("name", "code").values_list(
        "code", "name", "vt_region__code"
    ):
        if region_code in municipalities:
            municipalities[region_code].append(
                Area(AreaLevel.MUNICIPALITY, code, name, region_code)
            )
    for region in regions:
        pseudo = unknown_municipality(region.code)
        if pseudo in used:
            municipalities[region.code].append(
                Area(AreaLevel.MUNICIPALITY, pseudo, "", region.code)
            )
    return AreaTree(
        Area(AreaLevel.COUNTRY, COUNTRY, ""),
        tuple(regions),
        {code: tuple(areas) for code, areas in municipalities.items()},
    )
