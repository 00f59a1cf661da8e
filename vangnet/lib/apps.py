from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "vangnet.lib"
    label = "vglib"
