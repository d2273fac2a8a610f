from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "kithkin.goals"
    label = "goals"
