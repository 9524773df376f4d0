"""The shipped targets were first installed here; they now carry their unit and a structured citation,
so 0003 installs them (databases that ran this already get them brought up to date there)."""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("openings", "0001_initial")]
    operations: list[migrations.operation.Operation] = []
