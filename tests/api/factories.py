from datetime import timedelta

import factory
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import new_key
from core.secrets import secret_digest
from tests.accounts.factories import UserFactory


class ApiTokenFactory(factory.django.DjangoModelFactory):
    """A token row; `token_with_key` also gives its key (which the database never holds)."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory, role="engineer")
    name = factory.Sequence(lambda n: f"pipeline {n}")
    key_prefix = "onr_xxxxxx"
    key_digest = factory.LazyFunction(lambda: secret_digest(new_key()))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))


def token_with_key(user, **kwargs):
    key = new_key()
    token = ApiTokenFactory(user=user, key_prefix=key[:10], key_digest=secret_digest(key), **kwargs)
    token.key = key
    return token


def client_with_token(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_with_key(user).key}")
    return client


def problem_fields(response):
    """The fields the problem's `errors` name, to assert where a refusal was put."""
    return {error["field"] for error in response.json().get("errors", [])}
