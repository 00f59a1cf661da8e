# SPDX-License-Identifier: EUPL-1.2
from typing import Any

from django.conf import settings
from django.http import HttpRequest


def public_site(request: HttpRequest) -> dict[str, Any]:
    return {
        "quick_exit_url": settings.VANGNET_QUICK_EXIT_URL,
        "vangnet_demo": settings.VANGNET_DEMO,
        "vangnet_version": settings.VANGNET_VERSION,
    }
