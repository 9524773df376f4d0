from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from training.defaults import install as install_rules

    install_rules(apps.get_model("training", "AttractionRuleSet"))


class Migration(migrations.Migration):
    dependencies = [("training", "0002_attraction_budgets")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
