# SPDX-License-Identifier: EUPL-1.2
"""WebSocket routes of the chat (visitor and counsellor sockets)."""

from django.urls import URLPattern, URLResolver

websocket_urlpatterns: list[URLPattern | URLResolver] = []
