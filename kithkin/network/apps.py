from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "kithkin.network"
    label = "network"

    def ready(self) -> None:
        from kithkin.network import rules

        rules.register()
