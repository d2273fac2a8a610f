from django.apps import AppConfig


class CaptureConfig(AppConfig):
    name = "kithkin.capture"
    label = "capture"
