from django.apps import AppConfig


class AutoAttendantConfig(AppConfig):
    name = "autoattendant"
    verbose_name = "Auto Attendant"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, routing, signals  # noqa: F401  (deploy checks; cache invalidation)
