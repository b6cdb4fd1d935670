import os

from django.core.wsgi import get_wsgi_application

from .datadir import prepare

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "runthru_site.settings")
prepare()
application = get_wsgi_application()
