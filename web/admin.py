"""The admin is for parents and directors: only what they manage.

Django's own user and group lists and django-q's internal task lists are for engineers
(a parent changes their password from the link at the top of every admin page).
"""

from django.contrib import admin
from django.contrib.auth.models import Group, User
from django_q.models import Failure, OrmQ, Schedule, Success

for model in (Group, User, Schedule, Success, Failure, OrmQ):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
