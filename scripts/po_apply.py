#!/usr/bin/env python
"""Fill msgstr entries of a .po file from a JSON {translation: msgid} or {msgid: translation} map.

Used when many strings are added at once; the .po file stays the source of truth.
    python scripts/po_apply.py vangnet/locale/nl/LC_MESSAGES/django.po pairs.json [--reverse]
"""

import json
import re
import sys

import polib


def to_po(text: str) -> str:
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", text)


po = polib.pofile(sys.argv[1])
pairs = json.load(open(sys.argv[2], encoding="utf-8"))
if "--reverse" in sys.argv:
    pairs = {v: k for k, v in pairs.items()}
pairs = {to_po(k): to_po(v) for k, v in pairs.items()}
filled = 0
for entry in po:
    # Fill empty entries, and replace fuzzy guesses (makemessages' near matches are often wrong).
    if entry.msgid in pairs and (not entry.msgstr or "fuzzy" in entry.flags):
        entry.msgstr = pairs[entry.msgid]
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        filled += 1
po.save()


def translated(e: polib.POEntry) -> bool:
    plural_done = bool(e.msgstr_plural) and all(e.msgstr_plural.values())
    return "fuzzy" not in e.flags and bool(e.msgstr or plural_done)


missing = [e.msgid for e in po if not e.obsolete and not translated(e)]
print(f"filled {filled}; untranslated {len(missing)}")
for m in missing[:40]:
    print("  -", m[:100])
