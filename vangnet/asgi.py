# SPDX-License-Identifier: EUPL-1.2
"""ASGI entry point: Django for HTTP, Channels for the chat WebSockets."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vangnet.settings")

import django
from channels.routing import ProtocolTypeRouter, URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from channels.sessions import SessionMiddlewareStack

django.setup(set_prefix=False)

from vangnet.lib.asgi import SyncChainASGIHandler  # noqa: E402

django_application = SyncChainASGIHandler()

from vangnet.chat.privacy import AnonymiseScope  # noqa: E402
from vangnet.chat.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        # AnonymiseScope first: the server logs "WebSocket ... [accepted]" with scope["client"].
        # Sessions load lazily, on the consumer's database thread; staff users are loaded there
        # too (chat.access.staff_user_from_scope), not by Channels' AuthMiddlewareStack.
        "websocket": AnonymiseScope(
            AllowedHostsOriginValidator(SessionMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)
