# The notification bell now lives in core (core.0003 takes over the table); only the state changes here.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("clubs", "0001_initial"),
        ("core", "0003_notification"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Notification")]),
    ]
