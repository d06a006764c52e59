from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Actor:
    """Who or what caused a change: a person, or one of the machine sources."""

    kind: str
    user: "settings.AUTH_USER_MODEL | None" = None

    USER = "user"
    POLLER = "poller"
    SIMULATOR = "simulator"
    AZURE = "azure"
    IMPORT = "import"
    SYSTEM = "system"
    PROVIDER = "provider"

    @classmethod
    def person(cls, user):
        return cls(kind=cls.USER, user=user)

    @property
    def is_person(self):
        return self.kind == self.USER

    @property
    def is_machine(self):
        return not self.is_person

    def __str__(self):
        return self.user.get_username() if self.user is not None else self.kind


SIMULATOR = Actor(Actor.SIMULATOR)
POLLER = Actor(Actor.POLLER)
AZURE = Actor(Actor.AZURE)
IMPORTER = Actor(Actor.IMPORT)
SYSTEM = Actor(Actor.SYSTEM)
