from django import forms
from django.forms.renderers import TemplatesSetting


class UncutForm(forms.Form):
    """A form whose inputs the browser never cuts: `maxlength` would silently truncate a pasted
    secret or identifier (a 40-character BGP MD5 key becomes 25 and BGP never comes up); the
    server refuses what is too long instead, saying so next to the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("maxlength", None)


class FormRenderer(TemplatesSetting):
    """Every form field as the project draws it (`{{ form.name.as_field_group }}`): label, required
    mark, help and errors next to the field, the input described by both (templates/includes/_field.html).
    Widgets keep Django's templates (django.forms is an installed app)."""

    field_template_name = "includes/_field.html"
