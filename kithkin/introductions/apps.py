from django.apps import AppConfig


class IntroductionsConfig(AppConfig):
    name = "kithkin.introductions"
    label = "introductions"

    def ready(self) -> None:
        from kithkin.introductions import rules

        rules.register()
