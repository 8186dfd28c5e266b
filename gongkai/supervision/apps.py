from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "gongkai.supervision"
    label = "supervision"
    verbose_name = "监督考核"

    def ready(self) -> None:
        # The annual report (a lower layer) drafts section 六（二）（三） from our records; it cannot
        # import us, so we hand it the source.
        from gongkai.reports.generator import register_source
        from gongkai.supervision.selectors import section6_facts

        register_source("section6_facts", section6_facts)
