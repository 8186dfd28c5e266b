from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    label = "portal"
    verbose_name = "门户"

    def ready(self) -> None:
        # The stored public pages follow every change to what they show (portal/pages.py).
        from gongkai.portal import pages

        pages.connect()
