"""Operations shared by migrations."""

from django.db import migrations
from django.db.models.functions import Length, Substr


def cut_to_length(app_label: str, model_name: str, field: str, length: int):
    """Cut values longer than `length`, so that narrowing a text column to it cannot fail on rows
    written before the limit (people's notes were unbounded until then)."""

    def cut(apps, schema_editor):
        model = apps.get_model(app_label, model_name)
        too_long = model.objects.annotate(characters=Length(field)).filter(characters__gt=length)
        too_long.update(**{field: Substr(field, 1, length)})

    return migrations.RunPython(cut, migrations.RunPython.noop, elidable=True)
