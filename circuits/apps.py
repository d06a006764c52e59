from django.apps import AppConfig

from core.templatetags.ui import badge_kinds_register

from . import choices


class CircuitsConfig(AppConfig):
    name = "circuits"

    def ready(self):
        from accounts.models import Team

        from . import stamps
        from .models import Circuit, PeeringLocation, ServiceProvider

        stamps.receivers_connect(Circuit, Team, (ServiceProvider, PeeringLocation))
        badge_kinds_register(
            provider_state=choices.ServiceProviderProvisioningStateChoices,
            circuit_status=choices.CircuitProvisioningStateChoices,
            provisioning=choices.ProvisioningStateChoices,
            sku_tier=choices.SkuTierChoices,
            sku_family=choices.SkuFamilyChoices,
            layer=choices.ProviderLayerChoices,
            order=choices.ProviderOrderStatusChoices,
            authorization=choices.AuthorizationUseStatusChoices,
            connection=choices.ConnectionStatusChoices,
            zone=choices.ZoneChoices,
        )
