from django.apps import AppConfig


class AutoAttendantConfig(AppConfig):
    name = "autoattendant"
    verbose_name = "Auto Attendant"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401  (deploy checks)
            tasks,  # noqa: F401  (a new voicemail message starts its copy)
        )
        from .audit import register_models
        from .runtime import invalidation, routes  # noqa: F401  (flow and route invalidation)

        register_models()  # the audit trail (DESIGN §16)
