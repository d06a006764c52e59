"""Fixtures of the circuit page tests."""

import pytest

from tests.accounts.factories import UserFactory


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def as_user(client, db):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def write(django_capture_on_commit_callbacks):
    """Run a write as its own committed transaction would: stamps are forgotten on commit."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    return run
