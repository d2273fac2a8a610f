from django.apps import AppConfig


class IntroductionsConfig(AppConfig):
    name = "kithkin.introductions"
    label = "introductions"

    def ready(self) -> None:
        from kithkin.core.panels import register_person, register_today
        from kithkin.introductions.panels import person_panel, today_panel

        register_today("introductions.waiting", today_panel)
        register_person("introductions.involving", person_panel)
