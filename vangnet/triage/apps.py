from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "vangnet.triage"
    label = "triage"
