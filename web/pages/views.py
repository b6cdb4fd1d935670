"""The app's pages: plain templates. Sign-in is checked by each page's script
through the API (401 → the sign-in page), so these views do no auth work."""

from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.generic import TemplateView


@method_decorator(ensure_csrf_cookie, name="dispatch")
class Page(TemplateView):
    """A page whose script calls the API: make sure the CSRF cookie is there."""

    page = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = self.page
        return context


class SignInPage(Page):
    template_name = "pages/signin.html"
    page = "signin"


class LibraryPage(Page):
    template_name = "pages/library.html"
    page = "library"

    def get_context_data(self, **kwargs):
        from scripts_app.services import UPLOAD_ACCEPT, UPLOAD_IN_WORDS

        return {**super().get_context_data(**kwargs), "upload_accept": UPLOAD_ACCEPT, "upload_kinds": UPLOAD_IN_WORDS}


class CastPage(Page):
    template_name = "pages/cast.html"
    page = "cast"


class RehearsePage(Page):
    template_name = "pages/rehearse.html"
    page = "rehearse"


class PracticePage(Page):
    template_name = "pages/practice.html"
    page = "practice"


class RoomPage(Page):
    """A rehearsal room: opened from a rehearsal (/rooms/new?session=…) or joined by its link."""

    template_name = "pages/room.html"
    page = "room"
