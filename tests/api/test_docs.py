"""docs/API.md's tour, run as written: each `curl` (and the `jq` path or `-w '%header{…}'` that
takes a value from it) is played against the test server, block by block, in order."""

import re
import shlex
import socket
from pathlib import Path

import pytest
from django.test import Client

from circuits.models import Circuit
from circuits.services import circuit_set_provider_state
from core.actors import SIMULATOR
from peerings.models import PrefixValidationTicket
from webhooks.models import Endpoint
from webhooks.services import endpoint_signing_secrets

from .factories import token_with_key

DOC = Path(__file__).resolve().parents[2] / "docs" / "API.md"
ASSIGNMENT = re.compile(r"^(?P<name>[A-Z_]+)=\$\((?P<command>.*)\)$", re.DOTALL)
VARIABLE = re.compile(r"\$([A-Z_]+)")
RECEIVER_HOST = "hooks.example.com"


def shell_blocks():
    return [block for block in re.findall(r"```sh\n(.*?)```", DOC.read_text(), re.DOTALL)]


def commands(block):
    """The block's commands: continued lines joined, and a quoted string may span lines."""
    found, current = [], ""
    for line in block.replace("\\\n", " ").splitlines():
        current = f"{current} {line.strip()}".strip()
        try:
            shlex.split(current)
        except ValueError:  # a quote still open: the command goes on
            continue
        if current:
            found.append(current)
        current = ""
    return found


def jq(value, path):
    for key, index in re.findall(r"\.(\w+)|\[(-?\d+)\]", path):
        value = value[key] if key else value[int(index)]
    return str(value)


def curl(client, command, variables):
    """Play one `curl …` (with an optional `| jq -r PATH`) and return what it prints. Variables are
    expanded in each word after quoting is undone, as the shell does."""
    command, _, jq_part = command.partition(" | jq -r ")
    arguments = [VARIABLE.sub(lambda match: variables[match[1]], word) for word in shlex.split(command)[1:]]
    method, headers, body, write_out, url = None, {}, None, None, None
    while arguments:
        argument = arguments.pop(0)
        if argument == "-X":
            method = arguments.pop(0)
        elif argument == "-H":
            name, _, value = arguments.pop(0).partition(": ")
            headers[name] = value
        elif argument == "-d":
            body = arguments.pop(0)
        elif argument == "-w":
            write_out = arguments.pop(0)
        elif argument == "-o":
            arguments.pop(0)
        elif not argument.startswith("-"):
            url = argument
    method = method or ("POST" if body is not None else "GET")
    content_type = headers.pop("Content-Type", "application/octet-stream")
    response = client.generic(method, url, body or "", content_type=content_type, headers=headers)
    assert response.status_code < 400, f"{method} {url} → {response.status_code} {response.content[:500]}"
    if write_out:
        return response[re.fullmatch(r"%header\{(.+)\}", write_out)[1]]
    return jq(response.json(), shlex.split(jq_part)[0]) if jq_part else response.content.decode()


def provision_the_latest_circuit():
    circuit = Circuit.objects.latest("pk")
    for state in ("Provisioning", "Provisioned"):
        circuit = circuit_set_provider_state(circuit=circuit, to=state, actor=SIMULATOR)


@pytest.fixture
def receiver_host_resolves(monkeypatch):
    """The webhook receiver of the tour, hooks.example.com, resolves to the tests' allowed 127.0.0.1."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        return real("127.0.0.1" if host == RECEIVER_HOST else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_the_tour_in_docs_api_md_runs_as_written(engineer, approver, receiver_host_resolves):
    setup, *tour = shell_blocks()
    variables = {"ONRAMP": "", "TOKEN": token_with_key(engineer).key, "APPROVER_TOKEN": token_with_key(approver).key}
    assert {line.split("=")[0] for line in commands(setup)} == set(variables)
    client = Client()
    for block in tour:
        for command in commands(block):
            if command == "# wait until Provisioned":
                provision_the_latest_circuit()
                continue
            assignment = ASSIGNMENT.match(command)
            if assignment:
                variables[assignment["name"]] = curl(client, assignment["command"], variables)
            else:
                curl(client, command, variables)
    ticket = PrefixValidationTicket.objects.get(pk=variables["TICKET"])
    assert ticket.status == "approved"
    assert Circuit.objects.get(pk=variables["CIRCUIT"]).bandwidth_mbps == 2000
    endpoint = Endpoint.objects.get(pk=variables["HOOK"])
    assert endpoint_signing_secrets(endpoint)[0] == variables["WEBHOOK_SECRET"]
    assert endpoint.deliveries.get(pk=variables["DELIVERY"]).event.type == "webhook.ping"
