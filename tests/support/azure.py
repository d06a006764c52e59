"""A fake Azure: azure-core's own pipeline answered from recorded ARM responses (tests/sync/data/arm),
with a credential that needs no login. No network."""

import json
from pathlib import Path
from urllib.parse import urlparse

from azure.core.credentials import AccessToken, AccessTokenInfo
from azure.core.pipeline.transport import HttpTransport
from azure.core.rest._http_response_impl import HttpResponseImpl

from sync.sources.azure import AzureSource

ARM = Path(__file__).resolve().parents[1] / "sync" / "data" / "arm"
SUBSCRIPTION = "8f3c2a4e-1b5d-4c6e-9f7a-0b1c2d3e4f50"
BASE = f"/subscriptions/{SUBSCRIPTION}"
CIRCUIT_PATH = f"{BASE}/resourceGroups/rg-network-gwc/providers/Microsoft.Network/expressRouteCircuits/er-fra-prod"
CONNECTION_PATH = f"{BASE}/resourceGroups/rg-hub/providers/Microsoft.Network/connections/conn-hub"
LIST_PATH = f"{BASE}/providers/Microsoft.Network/expressRouteCircuits"
PORTS_PATH = f"{BASE}/providers/Microsoft.Network/ExpressRoutePorts"


class FakeCredential:
    def get_token(self, *scopes, **kwargs):
        return AccessToken("test-token", 4102444800)

    def get_token_info(self, *scopes, options=None):
        return AccessTokenInfo("test-token", 4102444800)


class RecordedTransport(HttpTransport):
    """Answers each request path with the next recorded (status, headers, body); sleeps are noted."""

    def __init__(self, responses):
        self.responses = {path: list(answers) for path, answers in responses.items()}
        self.requests, self.sleeps = [], []

    def __enter__(self):
        return self

    def __exit__(self, *args):
        pass

    def open(self):
        pass

    def close(self):
        pass

    def sleep(self, seconds):
        self.sleeps.append(seconds)

    def send(self, request, **kwargs):
        url = urlparse(request.url)
        self.requests.append(url)
        key = f"{url.path}?{url.query}" if f"{url.path}?{url.query}" in self.responses else url.path
        answers = self.responses.get(key) or [(404, {}, {"error": {"code": "NotFound", "message": key}})]
        status, headers, body = answers.pop(0) if len(answers) > 1 else answers[0]
        response = HttpResponseImpl(
            request=request,
            internal_response=None,
            status_code=status,
            headers={"Content-Type": "application/json", "x-ms-request-id": "test", **headers},
            reason="recorded",
            content_type="application/json",
            stream_download_generator=None,
        )
        response._content = json.dumps(body).encode()
        response._is_closed = True
        return response


def arm_ok(name):
    """A 200 answer with the recorded ARM response `name`."""
    return (200, {}, json.loads((ARM / name).read_text()))


def recorded_source(responses):
    """An AzureSource answered from `responses` ({path: [(status, headers, body), ...]}), and its transport."""
    transport = RecordedTransport(responses)
    return AzureSource(credential=FakeCredential(), subscriptions=[SUBSCRIPTION], transport=transport), transport
