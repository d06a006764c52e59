import factory
from django.utils import timezone

from webhooks.models import Delivery, Endpoint, WebhookEvent
from webhooks.secrets import secret_encrypt

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class EndpointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Endpoint
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"hook-{n}")
    url = "http://127.0.0.1:9/hook"
    event_types = factory.LazyFunction(lambda: ["circuit.provider_state_changed"])
    secret_encrypted = factory.LazyFunction(lambda: secret_encrypt(SECRET))

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.set(extracted)


class WebhookEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebhookEvent

    type = "circuit.provider_state_changed"
    body = '{"type": "circuit.provider_state_changed", "timestamp": "2026-12-02T09:00:00+00:00", "data": {}}'


class DeliveryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delivery

    event = factory.SubFactory(WebhookEventFactory)
    endpoint = factory.SubFactory(EndpointFactory)
    retry_from = factory.LazyFunction(timezone.now)
    next_attempt_at = factory.SelfAttribute("retry_from")
