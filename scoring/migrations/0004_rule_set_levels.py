# A rule set names the levels of study it is about, so a pupil's score page does not list a graduate
# rule set as "not met".

from django.db import migrations, models

GRADUATE_LEVELS = ["college", "university", "master", "doctorate"]


def graduate_levels(apps, schema_editor):  # type: ignore[no-untyped-def]
    EligibilityRuleSet = apps.get_model("scoring", "EligibilityRuleSet")
    EligibilityRuleSet.objects.filter(slug="excellent-graduate", levels=[]).update(levels=GRADUATE_LEVELS)


class Migration(migrations.Migration):

    dependencies = [
        ("scoring", "0003_score_ties_share_rank"),
    ]

    operations = [
        migrations.AddField(model_name="eligibilityruleset", name="levels",
                            field=models.JSONField(blank=True, default=list, verbose_name="áp dụng cho bậc học")),
        migrations.RunPython(graduate_levels, migrations.RunPython.noop),
    ]
