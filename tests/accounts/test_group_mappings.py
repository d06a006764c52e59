"""sso_memberships_apply: the group claims decide an SSO user's roles and teams at each log-in."""

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError

from accounts.models import GroupMapping
from accounts.roles import APPROVER, ENGINEER, MANAGER
from accounts.services import sso_memberships_apply
from tests.accounts.factories import TeamFactory, UserFactory


@pytest.fixture
def user(db):
    return UserFactory(username="alice", role=MANAGER)


def _role(name):
    return Group.objects.get(name=name)


def test_roles_and_teams_the_claims_no_longer_give_are_taken_away(user):
    old_team = TeamFactory(name="Old team")
    old_team.members.add(user)
    GroupMapping.objects.create(claim_value="net-eng", role=_role(ENGINEER))

    sso_memberships_apply(user=user, claims={"groups": ["net-eng"]})

    assert set(user.groups.values_list("name", flat=True)) == {ENGINEER}
    assert not user.teams.exists()


def test_groups_that_are_not_roles_are_left_alone(user):
    user.groups.add(Group.objects.create(name="beta-testers"))

    sso_memberships_apply(user=user, claims={"groups": []})

    assert set(user.groups.values_list("name", flat=True)) == {"beta-testers"}


def test_entra_app_roles_map_like_groups(user):
    team = TeamFactory(name="Change board")
    GroupMapping.objects.create(claim_value="Onramp.Approver", role=_role(APPROVER), team=team)

    sso_memberships_apply(user=user, claims={"roles": "Onramp.Approver"})

    assert set(user.groups.values_list("name", flat=True)) == {APPROVER}
    assert list(user.teams.all()) == [team]


def test_a_mapping_must_grant_a_role_or_a_team(db):
    with pytest.raises(IntegrityError):
        GroupMapping.objects.create(claim_value="nothing")
