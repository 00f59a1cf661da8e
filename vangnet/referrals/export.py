# SPDX-License-Identifier: EUPL-1.2
"""The export package of a disclosure: JSON for systems, PDF for people. Reproducible.

Both are pure functions of the stored record (its frozen snapshot and the facts fixed at
approval), so generating them again gives the same bytes, and their SHA-256 can be recorded in
the audit event and checked at every download. The JSON is canonical (sorted keys, no spaces,
UTF-8). The PDF uses the built-in Helvetica font with the Windows-1252 character set; characters
outside it are transliterated (é stays é, ł becomes l) and the JSON keeps the exact text.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from datetime import datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vangnet.referrals import sections as sections_module
from vangnet.referrals.legal_grounds import GROUNDS

PACKAGE_FORMAT = "vangnet-police-forwarding/1"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _iso(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def basis_summary(disclosure: Any) -> dict[str, Any]:
    """What the basis allows, without names (the consent's givers by role only)."""
    if disclosure.consent_id:
        c = disclosure.consent
        givers = [
            g
            for g, yes in (
                ("subject", c.given_by_subject),
                ("legal_representative", c.given_by_representative),
            )
            if yes
        ]
        return {
            "kind": "consent",
            "given_by": givers,
            "age_rule": c.rule,
            "given_at": _iso(c.given_at),
            "valid_until": _iso(c.valid_until),
            "covers": sorted(c.sections),
        }
    ground = disclosure.legal_ground
    definition = GROUNDS.get(ground.ground)
    return {
        "kind": "legal_ground",
        "ground": ground.ground,
        "article": definition.article if definition else "",
        "recorded_at": _iso(ground.recorded_at),
        "valid_until": _iso(ground.valid_until),
        "covers": sorted(ground.sections),
    }


def package_data(forwarding: Any) -> dict[str, Any]:
    return {
        "format": PACKAGE_FORMAT,
        "reference": forwarding.reference,
        "case_reference": forwarding.case.reference,
        "sender": {"code": forwarding.sender.code, "name": forwarding.sender.name},
        "receiver": {"code": forwarding.receiver.code, "name": forwarding.receiver.name},
        "requested_at": _iso(forwarding.requested_at),
        "approved_at": _iso(forwarding.decided_at),
        "basis": basis_summary(forwarding),
        "shared_sections": sorted(forwarding.sections),
        "content": forwarding.snapshot,
    }


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def package_json(forwarding: Any) -> bytes:
    return canonical_json(package_data(forwarding))


def _pdf_text(value: Any) -> str:
    text = "" if value is None else str(value)
    out = []
    for char in text:
        try:
            char.encode("cp1252")
            out.append(char)
        except UnicodeEncodeError:
            plain = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            out.append(plain if plain and plain.isascii() else "?")
    return "".join(out)


def _value_lines(value: Any, indent: int = 0) -> list[tuple[int, str]]:
    """A JSON value as indented text lines: (indent level, text)."""
    lines: list[tuple[int, str]] = []
    if isinstance(value, dict):
        for key in sorted(value):
            item = value[key]
            if isinstance(item, dict | list) and item:
                lines.append((indent, f"{key}:"))
                lines.extend(_value_lines(item, indent + 1))
            else:
                shown = "-" if item in (None, "", [], {}) else item
                lines.append((indent, f"{key}: {shown}"))
    elif isinstance(value, list):
        for number, item in enumerate(value, start=1):
            if isinstance(item, dict | list):
                lines.append((indent, f"{number}."))
                lines.extend(_value_lines(item, indent + 1))
            else:
                lines.append((indent, f"{number}. {item}"))
    else:
        lines.append((indent, "-" if value in (None, "") else str(value)))
    return lines


def package_pdf(forwarding: Any) -> bytes:
    from fpdf import FPDF

    data = package_data(forwarding)
    approved = forwarding.decided_at or forwarding.requested_at
    with translation.override("nl"):
        pdf = FPDF(format="A4")
        pdf.core_fonts_encoding = "windows-1252"
        pdf.set_creation_date(approved)
        pdf.set_title(_pdf_text(f"{data['reference']} {data['case_reference']}"))
        pdf.set_producer("Vangnet")
        pdf.set_creator("Vangnet")
        pdf.set_lang("nl")
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_page()

        def line(text: str, size: int = 10, style: str = "", indent: int = 0) -> None:
            pdf.set_font("helvetica", style=style, size=size)
            pdf.set_x(pdf.l_margin + indent * 6)
            pdf.multi_cell(0, size * 0.55, _pdf_text(text), new_x="LMARGIN", new_y="NEXT")

        line(_("Forwarding to the police"), 16, "B")
        line(_("Confidential: contains information from a Veilig Thuis case."), 9, "I")
        line("")
        facts = [
            (_("Reference"), data["reference"]),
            (_("Case"), data["case_reference"]),
            (_("From"), data["sender"]["name"]),
            (_("To"), data["receiver"]["name"]),
            (_("Requested"), data["requested_at"]),
            (_("Approved (four eyes)"), data["approved_at"]),
        ]
        for label, value in facts:
            line(f"{label}: {value}")
        line("")
        line(_("Basis"), 12, "B")
        for indent, text in _value_lines(data["basis"]):
            line(text, indent=indent)
        for key, content in (data["content"] or {}).get("sections", {}).items():
            section = sections_module.SECTIONS.get(key)
            line("")
            line(str(section.label) if section else key, 12, "B")
            for indent, text in _value_lines(content):
                line(text, indent=indent)
        line("")
        line(_("Children appear by kindnummer unless the basis covers their names."), 9, "I")
        return bytes(pdf.output())
