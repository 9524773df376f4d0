"""The shipped standards per position level (succession/defaults.py), each naming what to check it against."""

from __future__ import annotations

from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from succession.defaults import install as install_standards

    install_standards(apps.get_model("succession", "PositionStandard"))


class Migration(migrations.Migration):
    dependencies = [("succession", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
