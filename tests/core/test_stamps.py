"""core.stamps: a cached answer is used only while the stamps taken before reading it are current."""

import pytest
from django.db import transaction

from core.stamps import stamped_get, stamped_set, stamps_forget, stamps_take
from tests.support.caches import shared_cache  # noqa: F401 (fixture)

STAMPS = ("thing:stamp",)

pytestmark = pytest.mark.django_db  # writers forget their stamps when their transaction commits


@pytest.mark.usefixtures("shared_cache")
def test_an_answer_is_used_while_its_stamps_are_current():
    stamped_set("answer", "42", stamps_take(STAMPS), timeout=60)
    assert stamped_get("answer", STAMPS) == "42"


@pytest.mark.usefixtures("shared_cache")
def test_an_answer_read_before_a_write_is_not_used_after_it(django_capture_on_commit_callbacks):
    stamps = stamps_take(STAMPS)  # the reader takes its stamps, then reads …
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        stamps_forget(STAMPS)  # … while a writer commits
    stamped_set("answer", "old", stamps, timeout=60)  # … and the reader stores what it read
    assert stamped_get("answer", STAMPS) is None


@pytest.mark.usefixtures("shared_cache")
def test_a_write_forgets_its_stamps_only_once_it_commits(django_capture_on_commit_callbacks):
    stamped_set("answer", "42", stamps_take(STAMPS), timeout=60)
    with django_capture_on_commit_callbacks(execute=False) as pending:
        stamps_forget(STAMPS)
    assert stamped_get("answer", STAMPS) == "42"
    pending[0]()
    assert stamped_get("answer", STAMPS) is None


def test_a_process_local_cache_answers_nothing():
    # the tests' default cache is local memory: another process's writes would go unseen
    stamped_set("answer", "42", stamps_take(STAMPS), timeout=60)
    assert stamped_get("answer", STAMPS) is None


def test_an_unreachable_cache_answers_nothing_and_breaks_nothing(settings, django_capture_on_commit_callbacks):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    assert stamps_take(STAMPS) is None
    stamped_set("answer", "42", ("x",), timeout=60)
    assert stamped_get("answer", STAMPS) is None
    with django_capture_on_commit_callbacks(execute=True):
        stamps_forget(STAMPS)
