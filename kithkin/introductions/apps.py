from django.apps import AppConfig


class IntroductionsConfig(AppConfig):
    name = "kithkin.introductions"
    label = "introductions"
