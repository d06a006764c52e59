"""Assertions about audit events, shared by the service tests of every app."""


def assert_event(event, *, circuit, field, from_value, to_value, actor):
    """The event records this change of this circuit, by this actor."""
    assert (event.circuit_id, event.field, event.from_value, event.to_value) == (
        circuit.pk,
        field,
        str(from_value),
        str(to_value),
    )
    assert (event.actor_kind, event.actor_user) == (actor.kind, actor.user)
