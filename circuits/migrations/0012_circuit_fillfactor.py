"""Room on every page of the circuits table for the row's next version.

A sweep writes each circuit twice (check queued, check done), in columns no index covers. PostgreSQL
can then keep the new row version on the same page and skip every index (a HOT update), but only
if the page has room: at the default fill factor (100) it seldom has, and each check inserted an
entry into each of the table's thirteen indexes. Other databases have no such setting.
"""

from django.db import migrations

FILL_FACTOR = 70


def set_fill_factor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE circuits_circuit SET (fillfactor = {FILL_FACTOR})")


def reset_fill_factor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE circuits_circuit RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("circuits", "0011_simulator_planned_version"),
    ]

    operations = [migrations.RunPython(set_fill_factor, reset_fill_factor)]
