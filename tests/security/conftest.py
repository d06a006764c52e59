"""An estate with one of everything, and every page of the product, for the header and secret checks."""

import pytest
from django.urls import reverse

from tests.support.estate import estate_build
from tests.support.routes import product_routes


@pytest.fixture
def estate(db, team, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return estate_build(team)


@pytest.fixture
def every_page(estate):
    """The URL of every page of the product, the log-in page included."""
    urls = [reverse("login")]
    for namespace, name, parameters in product_routes():
        kwargs = {parameter: estate.kwargs_for(namespace, name, parameter) for parameter in parameters}
        urls.append(reverse(f"{namespace}:{name}", kwargs=kwargs))
    return urls


@pytest.fixture
def superuser_client(client, estate):
    client.force_login(estate.superuser)
    return client
