"""Where a circuit's true state comes from: one interface, three implementations.

`Simulator` plays the providers (the embedded default and the demo), `AzureSource` reads Azure
Resource Manager, and `sync.sources.arm` parses ARM JSON for the importer and the Azure sync.
`get_source()` returns the one configured by ONRAMP_STATE_SOURCE.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import ArpEntry, LinkDiagnostics, Observation, PeeringObservation, RouteSummary, SourceError, StateSource

SOURCES = {
    "simulator": "sync.sources.simulator.Simulator",
    "azure": "sync.sources.azure.AzureSource",
}


def get_source() -> StateSource:
    name = settings.ONRAMP_STATE_SOURCE
    if name not in SOURCES:
        raise ValueError(f"ONRAMP_STATE_SOURCE must be one of {', '.join(SOURCES)}, not {name!r}.")
    return import_string(SOURCES[name]).from_settings()


__all__ = [
    "ArpEntry",
    "LinkDiagnostics",
    "Observation",
    "RouteSummary",
    "PeeringObservation",
    "SourceError",
    "StateSource",
    "get_source",
]
