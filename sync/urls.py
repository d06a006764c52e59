from django.urls import path

from . import views

app_name = "sync"
urlpatterns = [
    path("<int:pk>/check/", views.circuit_check, name="circuit_check"),
]
