from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from succession.defaults import install_targets

    install_targets(apps.get_model("succession", "StructureTarget"))


class Migration(migrations.Migration):
    dependencies = [("succession", "0003_structure_target")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
