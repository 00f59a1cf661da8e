"""``vangnet radar dedupe|link ...``: the radar's batch CLI with the key from the settings.

The linker itself (``vangnet.radar.linkage.cli``) needs no Django apps, models or database,
only the linkage key. ``django.setup()`` imports every app and costs over a second, more than a
whole 50,000-record dedupe; reading the settings module alone costs about 0.1 s. So this entry
point reads ``settings.VANGNET_LINKAGE_KEY`` (the same value, with the same production checks:
demo keys are refused in production) without setting Django up.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    """Run ``vangnet.radar.linkage.cli.main`` with the key from the Django settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vangnet.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    from vangnet.radar.linkage.cli import main as linkage_main

    try:
        key = settings.VANGNET_LINKAGE_KEY
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"vangnet: configuration error: {exc}\n")
        return 2
    return linkage_main(argv, key=key)
