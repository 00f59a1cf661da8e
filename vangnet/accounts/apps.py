from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "vangnet.accounts"
    label = "accounts"
    verbose_name = "Accounts"
