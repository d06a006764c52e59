"""Test doubles for state sources."""

from dataclasses import dataclass, field

from core.actors import POLLER, SIMULATOR, Actor
from sync.sources.base import LinkDiagnostics, Observation, RouteSummary, SourceError


@dataclass
class StaticSource:
    """Reports the same observation every time (or fails `failures` times first)."""

    observation: Observation = field(default_factory=Observation)
    failures: int = 0
    actor: Actor = POLLER
    reads: int = 0

    def observe(self, circuit, *, now):
        self.reads += 1
        if self.reads <= self.failures:
            raise SourceError(f"read {self.reads} failed")
        return self.observation


@dataclass
class DiagnosingSource(StaticSource):
    """Reports a fixed observation, and for each link either an error or one Established neighbour."""

    failing_links: tuple[str, ...] = ()
    actor = SIMULATOR

    def read_link_diagnostics(self, circuit, *, peering_type, device_path, now):
        if device_path in self.failing_links:
            raise SourceError(f"{device_path} edge did not answer")
        return LinkDiagnostics(routes=(RouteSummary("192.168.100.129", 4, 65010, "00:05:00", "7"),))
