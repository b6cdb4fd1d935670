from django.apps import AppConfig


class TtsAppConfig(AppConfig):
    name = "tts_app"
    verbose_name = "Voices and audio"

    def ready(self) -> None:
        from . import signals  # noqa: F401
