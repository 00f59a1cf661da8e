# SPDX-License-Identifier: EUPL-1.2
"""WebSocket routes of the chat (visitor and counsellor sockets, and the console's nudges)."""

from django.urls import URLPattern, URLResolver, path

from vangnet.chat import consumers

websocket_urlpatterns: list[URLPattern | URLResolver] = [
    path("ws/chat/visitor", consumers.VisitorConsumer.as_asgi()),
    path("ws/chat/staff/<uuid:public_id>", consumers.CounsellorConsumer.as_asgi()),
    path("ws/chat/console", consumers.ConsoleConsumer.as_asgi()),
]
