from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "vangnet.chat"
    label = "chat"
