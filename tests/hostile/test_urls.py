"""Ids in every URL of the product, out of the database's range or of nothing: 404, never a database error."""

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.accounts.factories import UserFactory
from tests.hostile.conftest import hostile
from tests.security.conftest import product_routes

IDS = st.one_of(st.integers(min_value=0, max_value=2**70), st.sampled_from([2**31, 2**63 - 1, 2**63, 10**30]))


@hostile
@given(pk=IDS, method=st.sampled_from(["get", "post"]))
def test_out_of_range_ids_in_any_url_never_crash(client, team, hostile_request, pk, method):
    client.force_login(UserFactory(username="root", is_superuser=True, team=team))
    for namespace, name, parameters in product_routes():
        kwargs = {parameter: "categories" if parameter == "table" else pk for parameter in parameters}
        hostile_request(client, method, reverse(f"{namespace}:{name}", kwargs=kwargs), accepted=(200, 302))
