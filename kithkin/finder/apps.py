from django.apps import AppConfig


class FinderConfig(AppConfig):
    name = "kithkin.finder"
    label = "finder"

    def ready(self) -> None:
        from kithkin.finder import rules

        rules.register()
