# SPDX-License-Identifier: EUPL-1.2
"""ASGI entry point: Django for HTTP, Channels for the chat WebSockets."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vangnet.settings")

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from django.core.asgi import get_asgi_application

django_application = get_asgi_application()

from vangnet.chat.privacy import AnonymiseScope  # noqa: E402
from vangnet.chat.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        # AnonymiseScope first: the server logs "WebSocket ... [accepted]" with scope["client"].
        "websocket": AnonymiseScope(
            AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)
