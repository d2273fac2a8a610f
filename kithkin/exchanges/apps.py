from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "kithkin.exchanges"
    label = "exchanges"

    def ready(self) -> None:
        from kithkin.core.panels import register_person, register_today
        from kithkin.exchanges import panels, receivers

        receivers.connect()
        register_today("exchanges.owe", panels.owe_panel)
        register_person("exchanges.give_and_take", panels.person_panel)
