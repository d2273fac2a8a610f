from django.apps import AppConfig


class InteractionsConfig(AppConfig):
    name = "kithkin.interactions"
    label = "interactions"
