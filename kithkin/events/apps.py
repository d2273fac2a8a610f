from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "kithkin.events"
    label = "events"
