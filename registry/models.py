"""Routing data imported from IRR dumps and RPKI validated ROA payloads.

Prefixes are stored portably (the demo runs on SQLite, CI on PostgreSQL): address family, network
address as fixed-width big-endian bytes (4 for IPv4, 16 for IPv6) and prefix length, under one
composite B-tree index. Exact and covering lookups are equality probes on (family, network, length);
more-specific lookups are a range scan on network. See registry/prefixes.py.
"""

from django.db import models


class RouteObject(models.Model):
    """One RPSL route: or route6: object as published by a routing registry."""

    source = models.CharField(max_length=32, help_text="The registry it was imported as, e.g. RADB or RIPE.")
    family = models.PositiveSmallIntegerField()
    network = models.BinaryField(max_length=16)
    length = models.PositiveSmallIntegerField()
    prefix = models.CharField(max_length=43)
    origin = models.PositiveBigIntegerField()
    mnt_by = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["family", "network", "length"], name="route_prefix_idx"),
            models.Index(fields=["source"], name="route_source_idx"),
        ]

    def __str__(self):
        return f"{self.prefix} AS{self.origin} ({self.source})"


class Roa(models.Model):
    """One validated ROA payload: (prefix, maxLength, ASN) from a trust anchor."""

    family = models.PositiveSmallIntegerField()
    network = models.BinaryField(max_length=16)
    length = models.PositiveSmallIntegerField()
    prefix = models.CharField(max_length=43)
    max_length = models.PositiveSmallIntegerField()
    asn = models.PositiveBigIntegerField()
    trust_anchor = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = "ROA"
        indexes = [models.Index(fields=["family", "network", "length"], name="roa_prefix_idx")]

    def __str__(self):
        return f"{self.prefix}-{self.max_length} AS{self.asn}"


class RegistryImport(models.Model):
    """One import of routing data: what was loaded, from where, and what was refused."""

    IRR = "irr"
    RPKI = "rpki"

    kind = models.CharField(max_length=8, choices=[(IRR, "IRR route objects"), (RPKI, "RPKI ROAs")])
    source = models.CharField(max_length=32)
    files = models.TextField()
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0, help_text="Objects of other classes.")
    malformed = models.PositiveIntegerField(default=0)
    reformatted = models.PositiveIntegerField(
        default=0, help_text="Prefixes imported in irrd's normal form, e.g. 185.40.012.0/24 as 185.40.12.0/24."
    )
    malformed_sample = models.TextField(blank=True, help_text="The first malformed objects, by line.")
    finished_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-finished_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.source} ({self.imported} imported)"
