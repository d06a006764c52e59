from django.apps import AppConfig

from core.templatetags.ui import badge_kinds_register

from . import choices


class PeeringsConfig(AppConfig):
    name = "peerings"

    def ready(self):
        badge_kinds_register(
            peering_type=choices.PeeringTypeChoices,
            peering_state=choices.PeeringStateChoices,
            bgp=choices.BgpStateChoices,
            prefixes=choices.AdvertisedPublicPrefixesStateChoices,
            prefix=choices.PrefixValidationStateChoices,
            ticket=choices.TicketStatusChoices,
        )
