import pytest

from core.actors import Actor
from tests.accounts.factories import TeamFactory, UserFactory


@pytest.fixture
def team(db):
    return TeamFactory(name="Network Engineering")


@pytest.fixture
def engineer(db, team):
    return UserFactory(username="eng", role="engineer", team=team)


@pytest.fixture
def approver(db):
    return UserFactory(username="appr", role="approver")


@pytest.fixture
def manager(db):
    return UserFactory(username="mgr", role="manager")


@pytest.fixture
def engineer_actor(engineer):
    return Actor.person(engineer)
