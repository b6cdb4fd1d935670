from django.apps import AppConfig


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = "Rehearsal sessions and sign-in"

    def ready(self) -> None:
        from . import schema  # noqa: F401  (registers the OpenAPI auth schemes)
