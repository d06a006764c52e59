"""Peering values, spelled exactly as Azure's API returns them (docs/DOMAIN.md)."""

from core.choices import ChoiceSet
from registry.choices import RoutingRegistryChoices  # noqa: F401  (peerings migration 0001 names it here)


class PeeringTypeChoices(ChoiceSet):
    AZURE_PRIVATE = "AzurePrivatePeering"
    MICROSOFT = "MicrosoftPeering"

    CHOICES = (
        (AZURE_PRIVATE, "Azure private peering", "blue"),
        (MICROSOFT, "Microsoft peering", "purple"),
    )


class PeeringStateChoices(ChoiceSet):
    ENABLED = "Enabled"
    DISABLED = "Disabled"

    CHOICES = (
        (ENABLED, "Enabled", "green"),
        (DISABLED, "Disabled", "gray"),
    )


class BgpStateChoices(ChoiceSet):
    """RFC 4271 session states of one link's BGP session."""

    IDLE = "Idle"
    CONNECT = "Connect"
    ACTIVE = "Active"
    OPEN_SENT = "OpenSent"
    OPEN_CONFIRM = "OpenConfirm"
    ESTABLISHED = "Established"

    CHOICES = (
        (IDLE, "Idle", "gray"),
        (CONNECT, "Connect", "blue"),
        (ACTIVE, "Active", "orange"),
        (OPEN_SENT, "OpenSent", "blue"),
        (OPEN_CONFIRM, "OpenConfirm", "blue"),
        (ESTABLISHED, "Established", "green"),
    )


class LinkChoices(ChoiceSet):
    PRIMARY = "primary"
    SECONDARY = "secondary"

    CHOICES = (
        (PRIMARY, "Primary", "blue"),
        (SECONDARY, "Secondary", "blue"),
    )


class AdvertisedPublicPrefixesStateChoices(ChoiceSet):
    NOT_CONFIGURED = "NotConfigured"
    CONFIGURING = "Configuring"
    CONFIGURED = "Configured"
    VALIDATION_NEEDED = "ValidationNeeded"

    CHOICES = (
        (NOT_CONFIGURED, "NotConfigured", "gray"),
        (CONFIGURING, "Configuring", "blue"),
        (CONFIGURED, "Configured", "green"),
        (VALIDATION_NEEDED, "ValidationNeeded", "orange"),
    )


class PrefixValidationStateChoices(ChoiceSet):
    """advertisedPublicPrefixInfo[].validationState."""

    NOT_CONFIGURED = "NotConfigured"
    CONFIGURING = "Configuring"
    CONFIGURED = "Configured"
    VALIDATION_NEEDED = "ValidationNeeded"
    VALIDATION_FAILED = "ValidationFailed"
    MANUAL_VALIDATION_NEEDED = "ManualValidationNeeded"
    ASN_VALIDATION_FAILED = "AsnValidationFailed"
    CERTIFICATE_MISSING = "CertificateMissingInRoutingRegistry"
    INVALID_SIGNATURE_ENCODING = "InvalidSignatureEncoding"
    SIGNATURE_VERIFICATION_FAILED = "SignatureVerificationFailed"

    CHOICES = (
        (NOT_CONFIGURED, "NotConfigured", "gray"),
        (CONFIGURING, "Configuring", "blue"),
        (CONFIGURED, "Configured", "green"),
        (VALIDATION_NEEDED, "ValidationNeeded", "orange"),
        (VALIDATION_FAILED, "ValidationFailed", "red"),
        (MANUAL_VALIDATION_NEEDED, "ManualValidationNeeded", "orange"),
        (ASN_VALIDATION_FAILED, "AsnValidationFailed", "red"),
        (CERTIFICATE_MISSING, "CertificateMissingInRoutingRegistry", "red"),
        (INVALID_SIGNATURE_ENCODING, "InvalidSignatureEncoding", "red"),
        (SIGNATURE_VERIFICATION_FAILED, "SignatureVerificationFailed", "red"),
    )


class TicketStatusChoices(ChoiceSet):
    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    CHOICES = (
        (OPEN, "Open", "orange"),
        (APPROVED, "Approved", "green"),
        (REJECTED, "Rejected", "red"),
        (WITHDRAWN, "Withdrawn", "gray"),
    )
