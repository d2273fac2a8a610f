from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "kithkin.interactions"
    label = "interactions"

    def ready(self) -> None:
        from kithkin.interactions import rules

        rules.register()
