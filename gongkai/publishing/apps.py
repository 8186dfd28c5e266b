from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "gongkai.publishing"
    label = "publishing"
    verbose_name = "主动公开"

    def ready(self) -> None:
        from gongkai.core.calendar import register_recompute_hook
        from gongkai.publishing import signals
        from gongkai.publishing.services import publish_due_recompute

        register_recompute_hook(publish_due_recompute)
        # The portal's page cache follows every saved or deleted public row (publishing.signals).
        signals.connect()
