from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "gongkai.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        # Stored deadlines depend on the working-day calendar: recompute them when it changes.
        from gongkai.applications.services import register_hooks

        register_hooks()
