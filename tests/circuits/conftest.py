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
