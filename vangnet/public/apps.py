from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "vangnet.public"
    label = "public"
