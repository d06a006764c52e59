"""What every API view shares: the actor (source `api`), input through the page's forms, the
circuit's ETag, and the team scope of circuits.selectors for anything named by id."""

import functools

from django.shortcuts import get_object_or_404
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from circuits.selectors import circuit_for, circuit_onboarding_queryset, service_key_display
from core.actors import Actor

from ..concurrency import circuit_if_match, etag

VIEW = ("circuits.view_circuit",)
CHANGE = ("circuits.change_circuit",)


class ServiceKeys:
    """service_key_display(user) as the serializers need it: read once, and only if a key is shown."""

    def __init__(self, user):
        self.user = user

    @functools.cached_property
    def display(self):
        return service_key_display(self.user)

    def __call__(self, circuit) -> str:
        return self.display(circuit)


class ApiViewSet(viewsets.GenericViewSet):
    permissions: dict = {"read": VIEW}

    @property
    def actor(self):
        return Actor.via_api(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["service_key"] = ServiceKeys(self.request.user)
        return context

    def validated(self, input_class, **context) -> dict:
        """The request body, validated by the page's form (api.inputs): the service's keyword arguments."""
        serializer = input_class(
            data=self.request.data, context={"request": self.request, "files": self.request.FILES, **context}
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def body(self):
        """The request's fields, for a view that asks which were sent: a body that is no object (a JSON
        list, number or null) names none, and is refused like any bad input."""
        serializers.Serializer(data=self.request.data).is_valid(raise_exception=True)
        return self.request.data

    def page_of(self, queryset, serializer_class=None):
        serializer_class = serializer_class or self.get_serializer_class()
        page = self.paginate_queryset(self.filter_queryset(queryset))
        serializer = serializer_class(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)

    def one(self, obj, *, status=200, serializer_class=None, headers=None):
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(
            serializer_class(obj, context=self.get_serializer_context()).data, status=status, headers=headers
        )


class CircuitChildViewSet(ApiViewSet):
    """Objects of one circuit (/api/circuits/{pk}/...): the circuit through the team scope, then
    the object among that circuit's own. A write may send If-Match with the circuit's ETag."""

    child_parameter = ""

    def circuit(self, *, action="view"):
        return circuit_for(self.request.user, self.kwargs["pk"], action=action)

    def children(self, circuit):
        raise NotImplementedError

    def child(self, circuit):
        return get_object_or_404(self.children(circuit), pk=self.kwargs[self.child_parameter])

    def list(self, request, pk):
        return self.page_of(self.children(self.circuit()))

    def retrieve(self, request, pk, **kwargs):
        return self.one(self.child(self.circuit()))

    def changing(self):
        """The circuit, locked, if the user may change it and If-Match (optional here) is current."""
        return circuit_if_match(self.request, self.circuit(action="change"), required=False)


def circuit_headers(circuit) -> dict:
    return {"ETag": etag(circuit)}


def reread_circuit(pk):
    return circuit_onboarding_queryset().get(pk=pk)
