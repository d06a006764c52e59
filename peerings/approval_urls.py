from django.urls import path

from . import approval_views

app_name = "approvals"
urlpatterns = [
    path("", approval_views.approval_queue, name="queue"),
    path("peerings/<int:peering_pk>/tickets/new/", approval_views.ticket_create, name="ticket_create"),
    path("tickets/<int:pk>/", approval_views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/approve/", approval_views.ticket_approve, name="ticket_approve"),
    path("tickets/<int:pk>/reject/", approval_views.ticket_reject, name="ticket_reject"),
    path("tickets/<int:pk>/withdraw/", approval_views.ticket_withdraw, name="ticket_withdraw"),
    path("evidence/<int:pk>/", approval_views.evidence_download, name="evidence_download"),
]
