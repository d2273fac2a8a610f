from django.apps import AppConfig
from django.urls import register_converter

from kithkin.web.converters import IdConverter


class WebConfig(AppConfig):
    """The web face: its templates, static files and template tags live in this package."""

    name = "kithkin.web"
    label = "web"

    def ready(self) -> None:
        register_converter(IdConverter, "id")  # <id:pk> in every URL that takes an id
