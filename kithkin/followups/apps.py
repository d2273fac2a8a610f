from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "kithkin.followups"
    label = "followups"

    def ready(self) -> None:
        from kithkin.followups import rules

        rules.register()
