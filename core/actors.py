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
    API = "api"  # a person acting through the REST API with one of their tokens (or their session)

    @classmethod
    def person(cls, user):
        return cls(kind=cls.USER, user=user)

    @classmethod
    def via_api(cls, user):
        """A person through the API: held to the same rules as on the pages, recorded with source `api`."""
        return cls(kind=cls.API, user=user)

    @property
    def is_person(self):
        return self.kind in (self.USER, self.API)

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
