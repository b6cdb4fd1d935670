"""Tell drf-spectacular how our sign-in methods look in the OpenAPI schema."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "web.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "The token from POST /api/auth/verify"}


class PinSessionScheme(OpenApiAuthenticationExtension):
    target_class = "web.authentication.PinSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


class ParentSessionScheme(OpenApiAuthenticationExtension):
    target_class = "web.authentication.ParentSessionAuthentication"
    name = "parentCookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid",
                "description": "A parent signed in to the admin (/admin/): may also delete scripts and add voices"}
