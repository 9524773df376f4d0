# Ranks of stored runs become standard competition ranks ("1, 2, 2, 4"): equal scores (to the 4
# decimals the engine computes in) share a rank; ``position`` keeps the list order, unique per run.
# A run also keeps why those not ranked were not (``exclusions``).

from django.db import migrations, models


def share_ranks(apps, schema_editor):  # type: ignore[no-untyped-def]
    Score = apps.get_model("scoring", "Score")
    runs = Score.objects.values_list("run_id", flat=True).distinct()
    for run_id in runs.iterator():
        rows = list(Score.objects.filter(run_id=run_id).order_by("position").only("pk", "score", "rank", "percentile"))
        size = len(rows)
        previous, rank = None, 0
        changed = []
        for index, row in enumerate(rows, start=1):
            ticks = round(row.score * 10_000)
            if ticks != previous:
                rank, previous = index, ticks
            percentile = round(100.0 * (size - rank) / (size - 1), 2) if size > 1 else 100.0
            if row.rank != rank or row.percentile != percentile:
                row.rank, row.percentile = rank, percentile
                changed.append(row)
        Score.objects.bulk_update(changed, ["rank", "percentile"], batch_size=1000)


class Migration(migrations.Migration):

    dependencies = [
        ("scoring", "0002_default_rubrics"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="score", name="uniq_score_rank"),
        migrations.AddField(model_name="score", name="position", field=models.PositiveIntegerField(default=0),
                            preserve_default=False),
        # Until now the rank was the place in the list.
        migrations.RunSQL("UPDATE scoring_score SET position = rank", reverse_sql=migrations.RunSQL.noop),
        migrations.AlterModelOptions(name="score", options={"ordering": ["run", "position"]}),
        migrations.AddConstraint(model_name="score",
                                 constraint=models.UniqueConstraint(fields=("run", "position"),
                                                                    name="uniq_score_position")),
        migrations.AddIndex(model_name="score", index=models.Index(fields=["run", "rank"], name="score_run_rank")),
        migrations.RunPython(share_ranks, migrations.RunPython.noop),
        migrations.AddField(model_name="scorerun", name="exclusions", field=models.JSONField(blank=True, default=dict)),
    ]
