from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "kithkin.exports"
    label = "exports"
