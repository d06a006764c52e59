from django.apps import AppConfig


class PeeringsConfig(AppConfig):
    name = "peerings"
