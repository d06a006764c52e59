"""Test doubles for state sources."""

from dataclasses import dataclass, field

from core.actors import POLLER, Actor
from sync.sources.base import Observation, SourceError


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
