"""Routing registry values, spelled exactly as Azure's routingRegistryName takes them (docs/DOMAIN.md)."""

from core.choices import ChoiceSet


class RoutingRegistryChoices(ChoiceSet):
    ARIN = "ARIN"
    APNIC = "APNIC"
    AFRINIC = "AFRINIC"
    LACNIC = "LACNIC"
    RIPENCC = "RIPENCC"
    RADB = "RADB"
    ALTDB = "ALTDB"
    LEVEL3 = "LEVEL3"

    CHOICES = tuple((name, name, "gray") for name in (ARIN, APNIC, AFRINIC, LACNIC, RIPENCC, RADB, ALTDB, LEVEL3))
