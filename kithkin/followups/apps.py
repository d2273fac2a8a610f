from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "kithkin.followups"
    label = "followups"

    def ready(self) -> None:
        from kithkin.core.panels import register_person
        from kithkin.followups import panels, receivers

        receivers.connect()
        register_person("followups.milestones", panels.milestones_panel)
