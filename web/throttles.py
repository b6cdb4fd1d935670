"""Rate limits on work a signed-in device asks for, keyed by the device's sign-in (its token),
not by address: a family's devices share one address. The budgets are in sessions_app.limits."""

from rest_framework.throttling import SimpleRateThrottle

from sessions_app import limits


class AdhocSpeechThrottle(SimpleRateThrottle):
    scope = "adhoc_speech"
    rate = limits.ADHOC_SPEECH_PER_DEVICE

    def get_cache_key(self, request, view):
        # The sign-in's key hash, not its row id: an id comes back after rows are deleted.
        key_hash = getattr(request.auth, "key_hash", None)
        ident = f"device-{key_hash[:32]}" if key_hash else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class RoomJoinThrottle(SimpleRateThrottle):
    """Joining a room, per address (joiners have no sign-in): what makes join codes unguessable."""

    scope = "room_join"
    rate = limits.ROOM_JOINS_PER_ADDRESS

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
