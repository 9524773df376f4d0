from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from succession.defaults import install_fast_track

    install_fast_track(apps.get_model("succession", "FastTrackRuleSet"))


class Migration(migrations.Migration):
    dependencies = [("succession", "0007_rotation_fast_track")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
