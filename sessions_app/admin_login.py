"""The parents' admin login counts wrong passwords with the PIN's rules: 5 per address per
15 minutes, and waits that grow once everyone together passes 100 a day. Each wrong password
is a row parents see in the admin, next to the wrong PINs."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from runthru_site.proxies import client_address

from .models import SignInFailure
from .signin import DEVICE_COOKIE, LockedOut, device_lookup, failure_record, retry_after


class LimitedAdminLoginForm(AdminAuthenticationForm):
    def clean(self):
        request = self.request
        address = client_address(request) if request is not None else "unknown"
        cookies = request.COOKIES if request is not None else {}
        username = str(self.cleaned_data.get("username") or "")
        failed = None
        # One transaction: concurrent guesses queue on the user's row (PostgreSQL) or on
        # SQLite's write lock, so they cannot all pass the check before any is counted.
        with transaction.atomic():
            get_user_model().objects.select_for_update().filter(username=username).first()
            device = device_lookup(cookies.get(DEVICE_COOKIE))
            wait = retry_after(timezone.now(), kind=SignInFailure.Kind.ADMIN, address=address, device=device)
            if wait is not None:
                raise forms.ValidationError(LockedOut(wait).message.replace("PINs", "passwords"),
                                            code="locked_out")
            try:
                return super().clean()
            except forms.ValidationError as exc:
                failure_record(kind=SignInFailure.Kind.ADMIN, address=address, device=device, username=username)
                failed = exc
        raise failed
