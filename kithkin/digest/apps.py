from django.apps import AppConfig


class DigestConfig(AppConfig):
    name = "kithkin.digest"
    label = "digest"
