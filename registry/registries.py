"""Azure's routingRegistryName values and the RPSL `source:` names registries publish under."""

import re

from core.errors import DomainError

from .choices import RoutingRegistryChoices

# Azure spells RIPE's registry RIPENCC; its route objects say `source: RIPE`. The others match.
AZURE_TO_RPSL = {RoutingRegistryChoices.RIPENCC: "RIPE"}
RPSL_TO_AZURE = {rpsl: azure for azure, rpsl in AZURE_TO_RPSL.items()}
_SOURCE_NAME = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")


def rpsl_source(name: str) -> str:
    """The RPSL source name for an Azure registry name or an RPSL source name (case-insensitive)."""
    upper = (name or "").strip().upper()
    if not _SOURCE_NAME.match(upper):
        raise DomainError(f"“{name}” is not a registry name such as RADB, RIPE or RIPENCC.", field="source")
    return AZURE_TO_RPSL.get(upper, upper)


def azure_registry_name(source: str) -> str | None:
    """Azure's routingRegistryName for an RPSL source, when Azure can validate against it."""
    name = RPSL_TO_AZURE.get(source, source)
    return name if name in RoutingRegistryChoices.values() else None
