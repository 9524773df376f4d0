"""The shipped targets from the resolutions (openings/targets.py), each naming its source."""

from __future__ import annotations

from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from openings.targets import install_defaults

    install_defaults(apps.get_model("openings", "Target"))


class Migration(migrations.Migration):
    dependencies = [("openings", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
