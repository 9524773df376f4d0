"""The shipped rubrics and eligibility rule sets (scoring/defaults.py). Later edits are new rubric
versions or rule-set edits, so running this again on a database that has them changes nothing."""

from __future__ import annotations

from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from scoring.defaults import install_defaults

    install_defaults(apps.get_model("scoring", "Rubric"), apps.get_model("scoring", "RubricVersion"),
                     apps.get_model("scoring", "EligibilityRuleSet"))


class Migration(migrations.Migration):
    dependencies = [("scoring", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
