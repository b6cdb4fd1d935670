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
from .models import AccessPin, ApiToken, KnownDevice, SignInFailure

SESSION_KEY = "runthru_token_id"
DEVICE_COOKIE = "runthru_device"


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
    device_key: str | None = None  # set when this device is new: keep it in a long-lived cookie


def pin_is_valid_format(pin: str) -> bool:
    """Good enough to sign in with (shorter PINs set before the 6-digit rule still work)."""
    return isinstance(pin, str) and pin.isascii() and pin.isdigit() and 4 <= len(pin) <= limits.PIN_MAX_DIGITS


def pin_is_valid_new(pin: str) -> bool:
    return pin_is_valid_format(pin) and len(pin) >= limits.PIN_MIN_DIGITS


PIN_RULE = f"The PIN must be {limits.PIN_MIN_DIGITS} to {limits.PIN_MAX_DIGITS} digits."


def pin_set(*, pin: str) -> AccessPin:
    """Set or change the PIN. Every device is signed out: whoever knew the old PIN (a friend
    who watched, a lost phone) loses access at once, not when the old sign-in expires."""
    if not pin_is_valid_new(pin):
        raise UserError(PIN_RULE, code="bad_pin_format")
    with transaction.atomic():
        obj = AccessPin.objects.select_for_update().first() or AccessPin()
        obj.pin_hash = make_password(pin)
        obj.save()
        ApiToken.objects.all().delete()
        KnownDevice.objects.all().delete()
    return obj


def pin_exists() -> bool:
    return AccessPin.objects.exists()


def pin_generate() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _overall_wait(now: datetime, kind: str) -> timedelta | None:
    since = now - limits.PIN_OVERALL_WINDOW
    recent = SignInFailure.objects.filter(kind=kind, created_at__gte=since)
    count = recent.count()
    if count < limits.PIN_FAILURES_OVERALL:
        return None
    latest = recent.order_by("-created_at").values_list("created_at", flat=True)[0]
    doublings = min(count - limits.PIN_FAILURES_OVERALL, 30)
    wait = min(limits.PIN_OVERALL_MAX_WAIT, limits.PIN_OVERALL_FIRST_WAIT * 2**doublings)
    return latest + wait - now


def retry_after(now: datetime, *, kind: str, address: str, device: KnownDevice | None) -> int | None:
    """Seconds until this caller may try again, or None if it may try now.

    A trusted device has its own budget of wrong guesses and ignores everyone else's; any other
    caller is limited by its address and by the wrong guesses of everyone together."""
    if device is not None:
        mine = SignInFailure.objects.filter(kind=kind, device=device)
    else:
        mine = SignInFailure.objects.filter(kind=kind, client_address=address)
    since = now - limits.PIN_ADDRESS_WINDOW
    times = list(mine.filter(created_at__gte=since).order_by("-created_at")
                 .values_list("created_at", flat=True)[: limits.PIN_FAILURES_PER_ADDRESS])
    waits = []
    if len(times) >= limits.PIN_FAILURES_PER_ADDRESS:
        waits.append(times[-1] + limits.PIN_ADDRESS_WINDOW - now)
    if device is None:
        waits.append(_overall_wait(now, kind))
    waits = [w for w in waits if w is not None and w.total_seconds() > 0]
    if not waits:
        return None
    return max(1, math.ceil(max(waits).total_seconds()))


def new_devices_wait(now: datetime | None = None, kind: str = SignInFailure.Kind.PIN) -> int | None:
    """For the admin: seconds a device that never signed in must wait because of everyone's wrong guesses."""
    wait = _overall_wait(now or timezone.now(), kind)
    return math.ceil(wait.total_seconds()) if wait is not None and wait.total_seconds() > 0 else None


def device_lookup(key) -> KnownDevice | None:
    if not isinstance(key, str) or not key or len(key) > 100:
        return None
    since = timezone.now() - limits.DEVICE_TRUST
    return next(iter(KnownDevice.objects.filter(key_hash=_hash_token(key), last_signed_in_at__gte=since)[:1]), None)


def failure_record(*, kind: str, address: str, device: KnownDevice | None, username: str = "") -> None:
    SignInFailure.objects.create(kind=kind, client_address=address, device=device, username=username[:150])


def pin_verify(*, pin, client_address: str, device_key: str | None = None) -> SignedIn:
    """Check a PIN. Counting and checking happen under one row lock, so many
    concurrent guesses cannot slip past the limit (SQLite: IMMEDIATE transactions;
    PostgreSQL: SELECT … FOR UPDATE on the PIN row).

    device_key is the trusted-device cookie, if the caller has one; a good sign-in without
    one hands back a new key (SignedIn.device_key) for the caller to keep."""
    now = timezone.now()
    with transaction.atomic():
        stored = AccessPin.objects.select_for_update().first()
        device = device_lookup(device_key)
        wait = retry_after(now, kind=SignInFailure.Kind.PIN, address=client_address, device=device)
        if wait is not None:
            # Even a correct PIN is refused during a lock-out: no oracle.
            raise LockedOut(wait)
        ok = stored is not None and isinstance(pin, str) and check_password(pin, stored.pin_hash)
        if not ok:
            failure_record(kind=SignInFailure.Kind.PIN, address=client_address, device=device)
        else:
            new_key = None
            if device is None:
                new_key = secrets.token_urlsafe(32)
                KnownDevice.objects.create(key_hash=_hash_token(new_key), client_address=client_address)
            else:
                KnownDevice.objects.filter(pk=device.pk).update(last_signed_in_at=now, client_address=client_address)
    if not ok:
        if stored is None:
            raise WrongPin("No PIN has been set yet. Ask a parent to set one.", code="no_pin")
        raise WrongPin("That PIN isn't right. Check it and try again.")
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=settings.RUNTHRU_TOKEN_HOURS)
    row = ApiToken.objects.create(key_hash=_hash_token(token), expires_at=expires, client_address=client_address)
    return SignedIn(token=token, token_id=row.pk, expires_at=expires, device_key=new_key)


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
