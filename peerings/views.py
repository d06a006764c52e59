"""Step 4 on the dashboard: configure a peering on a circuit the engineer's team owns."""

from circuits.views import CircuitActionView

from . import services
from .forms import PeeringForm


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
        return services.peering_configure(circuit=self.circuit, actor=self.actor, **data)
