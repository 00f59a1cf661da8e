#!/usr/bin/env python
"""Compile gettext catalogues (.po -> .mo) in pure Python, so no GNU gettext is needed to run."""

from pathlib import Path

import polib

root = Path(__file__).resolve().parent.parent / "vangnet"
# The project catalogue (vangnet/locale) and each app's own (vangnet/<app>/locale).
for po_path in sorted(root.glob("**/locale/*/LC_MESSAGES/*.po")):
    po = polib.pofile(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    done = po.percent_translated()
    print(f"compiled {po_path.relative_to(root.parent)} ({done}% translated)")
