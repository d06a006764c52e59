from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.approval_queue, name="queue"),
    path("peerings/<int:peering_pk>/tickets/new/", views.ticket_create, name="ticket_create"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/approve/", views.ticket_approve, name="ticket_approve"),
    path("tickets/<int:pk>/reject/", views.ticket_reject, name="ticket_reject"),
    path("tickets/<int:pk>/withdraw/", views.ticket_withdraw, name="ticket_withdraw"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
