from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kithkin.accounts"
    label = "accounts"
