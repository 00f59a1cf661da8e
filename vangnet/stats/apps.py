from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "vangnet.stats"
    label = "stats"
