from django.apps import AppConfig


class WebConfig(AppConfig):
    """The HTTP edge: REST API, pages, WebSocket consumer, middleware and the launcher.

    Nothing below it (sessions_app, tts_app, scripts_app) imports it.
    """

    name = "web"
    verbose_name = "RunThru web"

    def ready(self) -> None:
        from . import schema  # noqa: F401  (registers the OpenAPI auth schemes)
