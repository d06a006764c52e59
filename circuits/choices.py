"""Circuit state values, spelled exactly as Azure's API returns them (docs/DOMAIN.md)."""

from core.choices import ChoiceSet


class ServiceProviderProvisioningStateChoices(ChoiceSet):
    NOT_PROVISIONED = "NotProvisioned"
    PROVISIONING = "Provisioning"
    PROVISIONED = "Provisioned"
    DEPROVISIONING = "Deprovisioning"
    DEPROVISIONED = "DeProvisioned"  # newer SDKs only; accepted from sources

    CHOICES = (
        (NOT_PROVISIONED, "NotProvisioned", "gray"),
        (PROVISIONING, "Provisioning", "blue"),
        (PROVISIONED, "Provisioned", "green"),
        (DEPROVISIONING, "Deprovisioning", "orange"),
        (DEPROVISIONED, "DeProvisioned", "red"),
    )


class CircuitProvisioningStateChoices(ChoiceSet):
    """Microsoft's side ("Status"): a free string where anything but Enabled means contact Microsoft."""

    ENABLED = "Enabled"
    DISABLED = "Disabled"

    CHOICES = (
        (ENABLED, "Enabled", "green"),
        (DISABLED, "Disabled", "red"),
    )
    UNKNOWN_COLOR = "red"


class ProvisioningStateChoices(ChoiceSet):
    """The ARM resource operation."""

    SUCCEEDED = "Succeeded"
    UPDATING = "Updating"
    DELETING = "Deleting"
    FAILED = "Failed"
    CREATING = "Creating"
    CANCELED = "Canceled"

    CHOICES = (
        (SUCCEEDED, "Succeeded", "green"),
        (UPDATING, "Updating", "blue"),
        (DELETING, "Deleting", "orange"),
        (FAILED, "Failed", "red"),
        (CREATING, "Creating", "blue"),
        (CANCELED, "Canceled", "gray"),
    )


class SkuTierChoices(ChoiceSet):
    STANDARD = "Standard"
    PREMIUM = "Premium"
    LOCAL = "Local"
    BASIC = "Basic"
    MULTICLOUD = "MultiCloud"

    CHOICES = (
        (STANDARD, "Standard", "blue"),
        (PREMIUM, "Premium", "purple"),
        (LOCAL, "Local", "teal"),
        (BASIC, "Basic (legacy)", "gray"),
        (MULTICLOUD, "MultiCloud", "indigo"),
    )


class SkuFamilyChoices(ChoiceSet):
    METERED_DATA = "MeteredData"
    UNLIMITED_DATA = "UnlimitedData"

    CHOICES = (
        (METERED_DATA, "MeteredData", "blue"),
        (UNLIMITED_DATA, "UnlimitedData", "purple"),
    )


class ProviderLayerChoices(ChoiceSet):
    LAYER_2 = "Layer2"
    LAYER_3 = "Layer3"

    CHOICES = (
        (LAYER_2, "Layer 2 (customer configures routing)", "blue"),
        (LAYER_3, "Layer 3 (provider configures routing)", "purple"),
    )


class ProviderOrderStatusChoices(ChoiceSet):
    DRAFT = "draft"
    ORDERED = "ordered"
    ACKNOWLEDGED = "acknowledged"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    CHOICES = (
        (DRAFT, "Draft (not sent)", "gray"),
        (ORDERED, "Ordered", "blue"),
        (ACKNOWLEDGED, "Acknowledged by provider", "indigo"),
        (COMPLETED, "Completed", "green"),
        (CANCELLED, "Cancelled", "red"),
    )


class AuthorizationUseStatusChoices(ChoiceSet):
    AVAILABLE = "Available"
    IN_USE = "InUse"

    CHOICES = (
        (AVAILABLE, "Available", "green"),
        (IN_USE, "InUse", "blue"),
    )


class ConnectionStatusChoices(ChoiceSet):
    UNKNOWN = "Unknown"
    CONNECTING = "Connecting"
    CONNECTED = "Connected"
    NOT_CONNECTED = "NotConnected"

    CHOICES = (
        (UNKNOWN, "Unknown", "gray"),
        (CONNECTING, "Connecting", "blue"),
        (CONNECTED, "Connected", "green"),
        (NOT_CONNECTED, "NotConnected", "red"),
    )


class ZoneChoices(ChoiceSet):
    """Billing zones of peering locations."""

    ZONE_1 = "Zone 1"
    ZONE_2 = "Zone 2"
    ZONE_3 = "Zone 3"
    ZONE_4 = "Zone 4"

    CHOICES = (
        (ZONE_1, "Zone 1 (North America, Europe)", "blue"),
        (ZONE_2, "Zone 2 (Asia Pacific, Japan, Australia)", "teal"),
        (ZONE_3, "Zone 3 (Brazil, South Africa, UAE)", "orange"),
        (ZONE_4, "Zone 4 (India)", "purple"),
    )
