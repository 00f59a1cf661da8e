from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "vangnet.referrals"
    label = "referrals"
