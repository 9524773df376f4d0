from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from evaluation.defaults import install as install_form

    install_form(apps.get_model("evaluation", "EvaluationForm"))


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
