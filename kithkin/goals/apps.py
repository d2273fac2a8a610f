from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "kithkin.goals"
    label = "goals"

    def ready(self) -> None:
        from kithkin.core.panels import register_person, register_today
        from kithkin.goals import panels

        register_today("goals.routine", panels.routine_panel)
        register_person("goals.goals", panels.person_goals_panel)
