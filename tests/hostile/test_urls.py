"""Ids in every URL of the product past the database's range: 404, never a database error."""

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.support.routes import product_routes


# Past a 32-bit column, past a 64-bit one, and far past both: the boundaries where a lookup could overflow.
@pytest.mark.parametrize("pk", [2**31, 2**63, 10**30])
def test_out_of_range_ids_in_any_url_never_crash(client, team, hostile_request, pk):
    client.force_login(UserFactory(username="root", is_superuser=True, team=team))
    for namespace, name, parameters in product_routes():
        kwargs = {parameter: "categories" if parameter == "table" else pk for parameter in parameters}
        url = reverse(f"{namespace}:{name}", kwargs=kwargs)
        for method in ("get", "post"):
            hostile_request(client, method, url, accepted=(200, 302))
