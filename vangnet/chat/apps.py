from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "vangnet.chat"
    label = "chat"

    def ready(self) -> None:
        from vangnet.chat.privacy import quiet_handshake_logs

        quiet_handshake_logs()
