from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "kithkin.events"
    label = "events"

    def ready(self) -> None:
        from kithkin.core.panels import register_person, register_today
        from kithkin.events.panels import person_panel, today_panel

        register_today("events.around", today_panel)
        register_person("events.person", person_panel)
