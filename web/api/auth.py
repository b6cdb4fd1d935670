from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from sessions_app.signin import SESSION_KEY, pin_verify, token_revoke

from ..authentication import client_address
from .serializers import ErrorSerializer, PinSerializer, TokenSerializer


class VerifyPinView(APIView):
    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=PinSerializer,
        responses={200: TokenSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 429: ErrorSerializer},
        summary="Sign in with the PIN",
    )
    def post(self, request):
        data = PinSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        signed_in = pin_verify(pin=data.validated_data["pin"], client_address=client_address(request))
        session = request._request.session
        session.cycle_key()
        session[SESSION_KEY] = signed_in.token_id
        session.set_expiry(signed_in.expires_at)
        get_token(request._request)  # our own pages need the CSRF cookie next
        return Response({"token": signed_in.token, "expires_at": signed_in.expires_at})


class LogoutView(APIView):
    @extend_schema(request=None, responses={204: None, 401: ErrorSerializer}, summary="Sign out this device")
    def post(self, request):
        token_revoke(token_id=request.user.token_id)
        request._request.session.flush()
        return Response(status=204)
