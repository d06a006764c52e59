from django.urls import path

from core.redirects import moved_to

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notification_mark_read, name="mark_read"),
    path("watch/<int:pk>/", moved_to("circuits:circuit_watch"), name="watch"),  # a circuit action now
]
