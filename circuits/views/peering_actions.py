"""Step 4 on the circuit: configure a peering, and a Microsoft peering's route filter and prefixes.

Circuit actions like the others (`actions.CircuitActionView`), under /circuits/<pk>/peerings/; the
rules are peerings.services'."""

from functools import cached_property

from django.shortcuts import get_object_or_404

from circuits.forms import ACTION_ERRORS, form_add_domain_error
from peerings import services as peering_services
from peerings.choices import PeeringTypeChoices
from peerings.forms import PeeringForm, PeeringPrefixesForm, RouteFilterForm

from .actions import CircuitActionView


class PeeringCreateView(CircuitActionView):
    form_class = PeeringForm
    template_name = "peerings/peering_form.html"
    title = "Configure a peering"
    submit_label = "Configure peering"
    success_message = "Peering configured; BGP comes up once your routers are configured."
    permission_required = ("circuits.change_circuit", "peerings.add_peering")

    def get_initial(self):
        return {"peering_type": self.request.GET.get("type", "AzurePrivatePeering")}

    def perform(self, data):
        return peering_services.peering_configure(circuit=self.circuit, actor=self.actor, **data)

    def render(self, form):
        """A form with shape errors also shows the rule errors of its well-formed fields."""
        if form.is_bound and form.errors:
            judged = {name: form.cleaned_data.get(name) for name in form.fields}
            try:
                peering_services.peering_fields_check(circuit=self.circuit, **judged)
            except ACTION_ERRORS as error:
                form_add_domain_error(form, error, skip=form.errors)
        return super().render(form)


class MicrosoftPeeringActionView(CircuitActionView):
    permission_required = ("circuits.change_circuit", "peerings.change_peering")

    @cached_property
    def peering(self):
        return get_object_or_404(
            self.circuit.peerings.filter(peering_type=PeeringTypeChoices.MICROSOFT), pk=self.kwargs["peering_pk"]
        )


class RouteFilterView(MicrosoftPeeringActionView):
    """Attach the route filter without which Microsoft peering receives no Microsoft routes."""

    form_class = RouteFilterForm
    title = "Attach a route filter"
    intro = (
        "Microsoft peering on circuits created since August 2017 advertises no Microsoft routes until a route "
        "filter is attached. Create it in Azure with the BGP communities of the services you need, then record it."
    )
    submit_label = "Save route filter"
    success_message = "Route filter saved."

    def get_initial(self):
        return {"route_filter": self.peering.route_filter}

    def perform(self, data):
        return peering_services.peering_set_route_filter(peering=self.peering, actor=self.actor, **data)


class PeeringPrefixesView(MicrosoftPeeringActionView):
    """Change a Microsoft peering's advertised prefixes, customer ASN or registry; re-validation follows."""

    form_class = PeeringPrefixesForm
    title = "Change advertised prefixes"
    intro = (
        "Public prefixes you own, one per line. Onramp re-validates them against the routing registry "
        "and RPKI; removed prefixes stop being advertised."
    )
    submit_label = "Save prefixes"
    success_message = "Prefixes saved; they are being validated again."

    def get_initial(self):
        return PeeringPrefixesForm.initial_for(self.peering)

    def perform(self, data):
        return peering_services.peering_update_prefixes(peering=self.peering, actor=self.actor, **data)
