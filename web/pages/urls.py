from django.urls import path

from . import views

urlpatterns = [
    path("", views.LibraryPage.as_view(), name="library"),
    path("signin", views.SignInPage.as_view(), name="signin"),
    path("scripts/<int:script_id>/cast", views.CastPage.as_view(), name="cast"),
    path("rehearse/<uuid:session_id>", views.RehearsePage.as_view(), name="rehearse"),
    path("rehearse/<uuid:session_id>/practice", views.PracticePage.as_view(), name="practice"),
    path("rooms/<str:code>", views.RoomPage.as_view(), name="room"),
]
