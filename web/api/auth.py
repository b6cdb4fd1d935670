from django.conf import settings
from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from runthru_site.proxies import client_address
from sessions_app import limits
from sessions_app.signin import DEVICE_COOKIE, SESSION_KEY, pin_verify, token_revoke

from ..parsers import JSONParserNestingSafe
from .serializers import ErrorSerializer, PinSerializer, TokenSerializer


class VerifyPinView(APIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    # JSON only: a form on any other web site could otherwise post wrong PINs from a family's
    # browser and spend their lock-out budget (a cross-site JSON request needs our permission first).
    parser_classes = [JSONParserNestingSafe]

    @extend_schema(
        request=PinSerializer,
        responses={200: TokenSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 429: ErrorSerializer},
        summary="Sign in with the PIN",
    )
    def post(self, request):
        data = PinSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        signed_in = pin_verify(pin=data.validated_data["pin"], client_address=client_address(request),
                               device_key=request.COOKIES.get(DEVICE_COOKIE))
        session = request._request.session
        session.cycle_key()
        session[SESSION_KEY] = signed_in.token_id
        session.set_expiry(signed_in.expires_at)
        get_token(request._request)  # our own pages need the CSRF cookie next
        response = Response({"token": signed_in.token, "expires_at": signed_in.expires_at})
        if signed_in.device_key:
            # A device that signed in once is never locked out by other people's wrong PINs.
            response.set_cookie(DEVICE_COOKIE, signed_in.device_key, max_age=int(limits.DEVICE_TRUST.total_seconds()),
                                httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response


class LogoutView(APIView):
    @extend_schema(request=None, responses={204: None, 401: ErrorSerializer}, summary="Sign out this device")
    def post(self, request):
        if request.user.token_id is not None:  # a parent signs out in the admin
            token_revoke(token_id=request.user.token_id)
        request._request.session.flush()
        return Response(status=204)
