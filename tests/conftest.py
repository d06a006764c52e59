import os

import pytest
from django.db.models import Max
from hypothesis import settings as hypothesis_settings

from audit.models import AuditEvent
from core.actors import Actor
from core.errors import DomainError
from tests.accounts.factories import TeamFactory, UserFactory
from tests.support.snapshots import domain_snapshot

# Fixtures of real processes (broker, workers, a throwaway redis-server), for any suite that needs them.
pytest_plugins = ["tests.support.process_fixtures"]

# CI runs every property test on the same examples (derandomize: the seed comes from the test
# itself), so a red build is reproducible and not a lucky draw; "dev" is hypothesis's default random
# search and its example database. scripts/test picks "ci" when CI=true.
hypothesis_settings.register_profile("ci", derandomize=True, max_examples=100, deadline=None, database=None)
hypothesis_settings.register_profile("dev")
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def team(db):
    return TeamFactory(name="Network Engineering")


@pytest.fixture
def engineer(db, team):
    return UserFactory(username="eng", role="engineer", team=team)


@pytest.fixture
def approver(db, team):
    return UserFactory(username="appr", role="approver", team=team)


@pytest.fixture
def manager(db, team):
    return UserFactory(username="mgr", role="manager", team=team)


@pytest.fixture
def engineer_actor(engineer):
    return Actor.person(engineer)


@pytest.fixture
def refused(db):
    """Call a service that must refuse: DomainError, no audit event, nothing changed. Returns the error."""

    def check(service, /, *, match=None, **kwargs):
        before = domain_snapshot()
        with pytest.raises(DomainError, match=match) as refusal:
            service(**kwargs)
        assert domain_snapshot() == before
        return refusal.value

    return check


@pytest.fixture
def audited(db):
    """Call a service that must succeed with exactly `events` audit events; returns (result, events)."""

    def check(service, /, *, events=1, **kwargs):
        last = AuditEvent.objects.aggregate(last=Max("pk"))["last"] or 0
        result = service(**kwargs)
        written = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))
        assert len(written) == events, [str(event) for event in written]
        return result, written[0] if events == 1 else written

    return check


@pytest.fixture
def engineer_client(client, engineer):
    """A test client logged in as the engineer (a member of `team`)."""
    client.force_login(engineer)
    return client


@pytest.fixture
def refused_post(db):
    """POST a form the server must refuse: the form comes back (200) and no domain row changed."""

    def post(client, url, data):
        before = domain_snapshot()
        response = client.post(url, data)
        assert response.status_code == 200
        assert domain_snapshot() == before
        return response

    return post
