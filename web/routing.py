from django.urls import path

from .consumers import JobProgressConsumer, RoomConsumer

websocket_urlpatterns = [
    path("ws/jobs/<int:job_id>/", JobProgressConsumer.as_asgi()),
    path("ws/rooms/<str:code>/", RoomConsumer.as_asgi()),
]
