from django.apps import AppConfig


class ScriptsAppConfig(AppConfig):
    name = "scripts_app"
    verbose_name = "Scripts"

    def ready(self) -> None:
        from . import signals  # noqa: F401
