from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "kithkin.exchanges"
    label = "exchanges"
