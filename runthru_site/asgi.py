import gc
import os

import django

from .datadir import prepare

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runthru_site.settings")
prepare()
django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402

from .http import PooledASGIHandler  # noqa: E402

django_asgi_app = PooledASGIHandler(threads=settings.RUNTHRU_HTTP_THREADS,
                                    stream_threads=settings.RUNTHRU_HTTP_STREAM_THREADS)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.sessions import SessionMiddlewareStack  # noqa: E402

from web.routing import websocket_urlpatterns  # noqa: E402

from .ws_origin import SameOriginValidator  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": SameOriginValidator(SessionMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# What is loaded by now lives as long as the process. Unfrozen, every full garbage
# collection walks those ~160,000 objects (about 80 ms on a small machine) while each
# request in this process waits: that was the slowest 1% of requests under bench/load.py.
gc.freeze()
