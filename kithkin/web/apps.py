from django.apps import AppConfig


class WebConfig(AppConfig):
    """The web face: its templates, static files and template tags live in this package."""

    name = "kithkin.web"
    label = "web"
