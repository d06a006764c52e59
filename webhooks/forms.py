from django import forms

from core.forms import UncutForm

from .choices import EventTypeChoices


class EndpointForm(UncutForm):
    name = forms.CharField(max_length=100)
    url = forms.URLField(
        label="URL", max_length=500, assume_scheme="https", help_text="Public http(s) URL; Onramp POSTs JSON there."
    )
    teams = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)
    event_types = forms.MultipleChoiceField(
        label="Events", choices=EventTypeChoices.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams
