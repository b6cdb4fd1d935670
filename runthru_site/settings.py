"""RunThru settings: one module, read from the environment, safe local defaults.

Embedded default (nothing to install beyond pip): SQLite in WAL mode under
data/, the django-q2 ORM broker, the in-process channel layer.
Scale-out: DATABASE_URL (PostgreSQL) and REDIS_URL (django-q2 broker,
channels_redis, cache) switch it over.
"""

from __future__ import annotations

import sys

import dj_database_url

from .datadir import BASE_DIR, data_dir, folders, local_secret_key, sqlite_file
from .env import env_bool, env_int, env_list, env_str

VERSION = "0.1.0"

# --- Runtime data (the folders are made by datadir.prepare(), not here) --------
DATA_DIR = data_dir()
_FOLDERS = folders(DATA_DIR)
RUNTHRU_DB_DIR = _FOLDERS["database"]
RUNTHRU_SCRIPTS_DIR = _FOLDERS["scripts"]  # uploaded script files, kept as the parent gave them
RUNTHRU_AUDIO_DIR = _FOLDERS["audio"]
RUNTHRU_MODELS_DIR = _FOLDERS["models"]
RUNTHRU_VOICES_DIR = _FOLDERS["voices"]
# Clips spoken on request (/api/tts/synthesize, voice previews), apart from the scripts' clips:
# the least recently heard go first once they pass RUNTHRU_ADHOC_AUDIO_BYTES.
RUNTHRU_ADHOC_AUDIO_DIR = _FOLDERS["adhoc_audio"]

RUNTHRU_RECORDINGS_DIR = _FOLDERS["recordings"]

SAMPLE_SCRIPT = BASE_DIR / "data" / "samples" / "the_lighthouse_keepers.md"

# Where `manage.py runthru` listens.
RUNTHRU_HOST = env_str("RUNTHRU_HOST", "127.0.0.1")
RUNTHRU_PORT = env_int("RUNTHRU_PORT", 8000)

# --- Security ----------------------------------------------------------------
PRODUCTION = env_bool("RUNTHRU_PRODUCTION", False)
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY") or ("" if PRODUCTION else local_secret_key(DATA_DIR))
if PRODUCTION and len(SECRET_KEY) < 50:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (50+ random characters) when RUNTHRU_PRODUCTION=1")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", PRODUCTION)
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# Forwarding headers count only from these addresses (IPs or networks); the proxy on this
# machine by default. Everyone else's are dropped (runthru_site/proxies.py).
RUNTHRU_TRUSTED_PROXIES = env_list("RUNTHRU_TRUSTED_PROXIES", ["127.0.0.1", "::1"]) if BEHIND_PROXY else []
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# CORS for the separate frontend: nothing is open unless listed.
CORS_ALLOWED_ORIGINS = env_list("RUNTHRU_CORS_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = True

def _check_proxies(items: list[str]) -> None:
    import ipaddress

    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(f"RUNTHRU_TRUSTED_PROXIES: {item!r} is not an IP address or network") from None


_check_proxies(RUNTHRU_TRUSTED_PROXIES)

# --- Apps --------------------------------------------------------------------
INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "django_q",
    "channels",
    "scripts_app",
    "sessions_app",
    "tts_app",
    "web",
]

MIDDLEWARE = [
    "runthru_site.proxies.ForwardedHeadersMiddleware",
    # Outermost, so even errors raised by other middleware reach /api/ clients as JSON.
    "web.middleware.ApiErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "web.middleware.ApiBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "runthru_site.urls"
WSGI_APPLICATION = "runthru_site.wsgi.application"
ASGI_APPLICATION = "runthru_site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    # A small pool per process caps how many connections web threads, stream threads
    # and workers hold between them, however many processes run (PostgreSQL refuses
    # more than max_connections). Django's pool needs conn_max_age=0.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    # Not in django-q2's cluster, which forks its workers, monitor and pusher from one parent: a
    # pool made before the fork hands the same server connection to several processes at once
    # (tasks failed with "connection in transaction status INTRANS" and results were lost).
    # There each process opens its own connection per task.
    if sys.argv[1:2] != ["qcluster"]:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1, "max_size": env_int("RUNTHRU_DB_POOL_SIZE", 8), "timeout": 20,
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": sqlite_file(DATA_DIR),
            "OPTIONS": {
                # Several processes (web + workers) write to one file: WAL lets
                # readers run beside a writer, IMMEDIATE takes the write lock at
                # BEGIN so two writers queue instead of failing, and the timeout
                # is how long one waits for the other.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # Web requests run on a few long-lived threads (runthru_site/http.py): each
            # keeps its connection instead of opening the file anew for every request.
            "CONN_MAX_AGE": env_int("RUNTHRU_DB_CONN_MAX_AGE", 600),
            # A file, not memory, so worker processes started by tests share it.
            "TEST": {"NAME": str(RUNTHRU_DB_DIR / "test-runthru.db")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, channel layer and cache in scale-out mode ---------------
REDIS_URL = env_str("REDIS_URL")


def redis_channel_layers(url: str) -> dict:
    # redis-py 8 gives every socket read 5 s by default: the very time a channel receive
    # blocks on Redis (channels_redis's brpop_timeout), so a quiet WebSocket failed after
    # five seconds. Reads may take that wait plus a margin; a Redis that stops answering
    # altogether is still noticed in 15 s.
    return {
        "default": {
            "BACKEND": "tts_app.channel_layer.PatientRedisChannelLayer",
            "CONFIG": {"hosts": [{"address": url, "socket_timeout": 15}]},
        }
    }


if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = redis_channel_layers(REDIS_URL)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Workers are other processes: events reach the web process through the
    # database (tts_app.events), so the in-memory layer only serves one process.
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

Q_CLUSTER = {
    "name": "runthru",
    "workers": env_int("RUNTHRU_WORKERS", 2),
    "recycle": 500,
    # A whole job can take long on a CPU; the job itself resumes if killed.
    "timeout": env_int("RUNTHRU_TASK_TIMEOUT", 3600),
    "retry": env_int("RUNTHRU_TASK_TIMEOUT", 3600) + 60,
    "max_attempts": 3,
    "ack_failures": True,
    "save_limit": 200,
    "catch_up": False,
    "poll": 0.5,
    "label": "Background tasks",
}
# Threads per web process that run requests, and that read streaming answers (audio,
# the SSE progress stream) part by part. The GIL lets one thread compute at a time, so a
# few are enough to overlap waits on the database and the disk.
RUNTHRU_HTTP_THREADS = env_int("RUNTHRU_HTTP_THREADS", 2)
RUNTHRU_HTTP_STREAM_THREADS = env_int("RUNTHRU_HTTP_STREAM_THREADS", 32)
# Seconds one line may take before its engine counts as hung (neural engines on a CPU are slow).
RUNTHRU_LINE_TIMEOUT = env_int("RUNTHRU_LINE_TIMEOUT", 120)
# Tasks waiting this long while none start means the cluster is wedged: runthru restarts it.
RUNTHRU_QUEUE_STALL_SECONDS = env_int("RUNTHRU_QUEUE_STALL_SECONDS", 60)
# How many queue tasks one generation job is split over (they share its lines).
RUNTHRU_WORKERS_PER_JOB = env_int("RUNTHRU_WORKERS_PER_JOB", Q_CLUSTER["workers"])
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# --- Auth & API --------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/admin/login/"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "web.authentication.BearerTokenAuthentication",
        "web.authentication.ParentSessionAuthentication",
        "web.authentication.PinSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["web.authentication.IsSignedIn"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "web.parsers.JSONParserNestingSafe",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "EXCEPTION_HANDLER": "web.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RunThru API",
    "DESCRIPTION": "Line rehearsal: scripts, rehearsal sessions, voices and audio.",
    "VERSION": VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from our own static files: the docs work offline, and no CDN's "latest" runs here.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Sign-in tokens live this long; the cookie session matches it.
RUNTHRU_TOKEN_HOURS = env_int("RUNTHRU_TOKEN_HOURS", 24 * 14)
SESSION_COOKIE_AGE = RUNTHRU_TOKEN_HOURS * 3600

# A deleted script can be brought back (in the admin) for this many days, then it goes for good.
RUNTHRU_UNDO_DAYS = env_int("RUNTHRU_UNDO_DAYS", 30)
# In a rehearsal room, the pause after RunThru reads a free part before the next line.
RUNTHRU_ROOM_BEAT_MS = env_int("RUNTHRU_ROOM_BEAT_MS", 1000)

# Largest request body the API accepts (a long play is ~200 KB of text).
RUNTHRU_MAX_BODY_BYTES = env_int("RUNTHRU_MAX_BODY_BYTES", 2 * 1024 * 1024)
# A PDF or Word script uploaded to /api/scripts may be bigger than text (fonts, pictures); the
# reader then caps pages, characters, memory and time (scripts_app/documents/limits.py).
RUNTHRU_MAX_DOCUMENT_BYTES = env_int("RUNTHRU_MAX_DOCUMENT_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = RUNTHRU_MAX_BODY_BYTES + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = RUNTHRU_MAX_BODY_BYTES + 64 * 1024
# Voice clips can be bigger than scripts (a 30 s WAV is ~5 MB).
RUNTHRU_MAX_VOICE_BYTES = env_int("RUNTHRU_MAX_VOICE_BYTES", 12 * 1024 * 1024)
# The most disk the clips spoken on request may take together (a 500-character clip is ~1.5 MB).
# Below this much free space on the data folder's disk, /api/health says "degraded".
RUNTHRU_MIN_FREE_DISK_BYTES = env_int("RUNTHRU_MIN_FREE_DISK_MB", 200) * 1024 * 1024
RUNTHRU_ADHOC_AUDIO_BYTES = env_int("RUNTHRU_ADHOC_AUDIO_BYTES", 64 * 1024 * 1024)

# --- Static files, i18n ------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = _FOLDERS["static"]
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("RUNTHRU_LOG_LEVEL", "WARNING")},
    # A 4xx is an answer, not a fault: a mistyped PIN shouldn't print "Unauthorized" into the
    # terminal where a parent reads the PIN. Server errors (5xx) are still logged.
    "loggers": {"django.request": {"level": "ERROR"}},
}
