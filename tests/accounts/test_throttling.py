"""The authentication backend's permission reads (its throttling is tested in tests/security)."""

from django.contrib.auth.models import Permission

from tests.accounts.factories import UserFactory


def test_a_users_own_and_group_permissions_are_read_in_one_query(engineer, django_assert_num_queries):
    engineer.user_permissions.add(Permission.objects.get(codename="view_billing"))
    with django_assert_num_queries(1):
        assert engineer.has_perm("circuits.view_billing")  # their own
        assert engineer.has_perm("circuits.change_circuit")  # the engineer group's
        assert not engineer.has_perm("auth.delete_user")


def test_an_inactive_user_has_no_permissions(engineer):
    engineer.is_active = False
    assert not engineer.has_perm("circuits.view_circuit")


def test_a_superuser_has_every_permission_without_asking(db, django_assert_num_queries):
    root = UserFactory(username="root", is_superuser=True)
    with django_assert_num_queries(0):
        assert root.has_perm("circuits.view_billing")
