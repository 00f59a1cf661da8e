from django.apps import AppConfig


class RadarConfig(AppConfig):
    name = "vangnet.radar"
    label = "radar"
