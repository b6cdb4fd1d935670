"""Sign-in with the PIN: hashing, tokens, and the brute-force lock-out."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone

from runthru_site.errors import UserError

from . import limits
from .models import AccessPin, ApiToken, SignInFailure

SESSION_KEY = "runthru_token_id"


class WrongPin(UserError):
    status = 401
    code = "wrong_pin"


class LockedOut(UserError):
    status = 429
    code = "locked_out"

    def __init__(self, retry_after: int):
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            f"Too many wrong PINs. Please wait {minutes} minute{'s' if minutes != 1 else ''} and try again.",
            details={"retry_after": retry_after},
        )
        self.retry_after = retry_after


@dataclass
class SignedIn:
    token: str
    token_id: int
    expires_at: datetime


def pin_is_valid_format(pin: str) -> bool:
    return isinstance(pin, str) and pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 8


def pin_set(*, pin: str) -> AccessPin:
    if not pin_is_valid_format(pin):
        raise UserError("The PIN must be 4 to 8 digits.", code="bad_pin_format")
    with transaction.atomic():
        obj = AccessPin.objects.select_for_update().first() or AccessPin()
        obj.pin_hash = make_password(pin)
        obj.save()
    return obj


def pin_exists() -> bool:
    return AccessPin.objects.exists()


def pin_generate() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _retry_after(now: datetime, address: str) -> int | None:
    """Seconds until a locked-out caller may try again, or None if not locked out."""
    waits = []
    since = now - limits.PIN_ADDRESS_WINDOW
    recent = SignInFailure.objects.filter(client_address=address, created_at__gte=since).order_by("-created_at")
    times = list(recent.values_list("created_at", flat=True)[: limits.PIN_FAILURES_PER_ADDRESS])
    if len(times) >= limits.PIN_FAILURES_PER_ADDRESS:
        waits.append(times[-1] + limits.PIN_ADDRESS_WINDOW - now)
    since = now - limits.PIN_OVERALL_WINDOW
    overall = SignInFailure.objects.filter(created_at__gte=since).order_by("-created_at")
    times = list(overall.values_list("created_at", flat=True)[: limits.PIN_FAILURES_OVERALL])
    if len(times) >= limits.PIN_FAILURES_OVERALL:
        waits.append(times[-1] + limits.PIN_OVERALL_WINDOW - now)
    if not waits:
        return None
    return max(1, math.ceil(max(waits).total_seconds()))


def pin_verify(*, pin, client_address: str) -> SignedIn:
    """Check a PIN. Counting and checking happen under one row lock, so many
    concurrent guesses cannot slip past the limit (SQLite: IMMEDIATE transactions;
    PostgreSQL: SELECT … FOR UPDATE on the PIN row)."""
    now = timezone.now()
    with transaction.atomic():
        stored = AccessPin.objects.select_for_update().first()
        wait = _retry_after(now, client_address)
        if wait is not None:
            # Even a correct PIN is refused during a lock-out: no oracle.
            raise LockedOut(wait)
        ok = stored is not None and isinstance(pin, str) and check_password(pin, stored.pin_hash)
        if not ok:
            SignInFailure.objects.create(client_address=client_address)
    if not ok:
        if stored is None:
            raise WrongPin("No PIN has been set yet. Ask a parent to set one.", code="no_pin")
        raise WrongPin("That PIN isn't right. Check it and try again.")
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=settings.RUNTHRU_TOKEN_HOURS)
    row = ApiToken.objects.create(key_hash=_hash_token(token), expires_at=expires, client_address=client_address)
    return SignedIn(token=token, token_id=row.pk, expires_at=expires)


def token_lookup(token: str) -> ApiToken | None:
    # [:1] rather than .first(): every API request runs this, and .first() adds an ORDER BY.
    row = next(iter(ApiToken.objects.filter(key_hash=_hash_token(token))[:1]), None)
    if row is None or row.expires_at <= timezone.now():
        return None
    return row


def token_by_id(token_id) -> ApiToken | None:
    row = next(iter(ApiToken.objects.filter(pk=token_id)[:1]), None) if isinstance(token_id, int) else None
    if row is None or row.expires_at <= timezone.now():
        return None
    return row


def token_revoke(*, token_id: int) -> None:
    ApiToken.objects.filter(pk=token_id).delete()


def lockouts_clear(*, ids: list[int] | None = None) -> int:
    """Forget wrong PINs (all of them, or these), so locked-out devices can sign in again."""
    failures = SignInFailure.objects.all() if ids is None else SignInFailure.objects.filter(pk__in=ids)
    count, _ = failures.delete()
    return count


def parent_login_create() -> str | None:
    """The parents' admin login, made on first run: returns its password (shown once),
    or None when a parent account exists already."""
    User = get_user_model()
    if User.objects.filter(is_superuser=True).exists():
        return None
    password = secrets.token_urlsafe(9)
    User.objects.create_superuser("parent", "", password)
    return password
