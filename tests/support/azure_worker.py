"""Imported by a test worker (celery --include) to give `circuits.azure_sync` a fake Azure: the
recorded two-page circuit listing of tests/sync/data/arm, served through azure-core's own pipeline.
Nothing of the product imports this module."""

from sync.sources.azure import AzureSource

from .azure import LIST_PATH, PORTS_PATH, arm_ok, recorded_source

PAGE_2 = f"{LIST_PATH}?api-version=2026-03-01&%24skiptoken=page2"


def _recorded_azure(cls=None):
    source, _ = recorded_source(
        {
            LIST_PATH: [arm_ok("circuits_list_page1.json")],
            PAGE_2: [arm_ok("circuits_list_page2.json")],
            PORTS_PATH: [arm_ok("express_route_ports_list.json")],
        }
    )
    return source


AzureSource.from_settings = classmethod(_recorded_azure)
