"""The admin is for parents and directors: only what they manage.

Django's own user and group lists and django-q's internal task lists are for engineers
(a parent changes their password from the link at the top of every admin page).
"""

from django.contrib import admin
from django.contrib.auth.models import Group, User
from django_q.models import Failure, OrmQ, Schedule, Success

from .dashboard import install

for model in (Group, User, Schedule, Success, Failure, OrmQ):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

# Each list offers its own delete, which says what it deletes and whether it can be undone.
admin.site.disable_action("delete_selected")
install(admin.site)
