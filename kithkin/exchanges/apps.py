from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "kithkin.exchanges"
    label = "exchanges"

    def ready(self) -> None:
        from kithkin.exchanges import rules

        rules.register()
