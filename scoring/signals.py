"""A change to a record that feeds a score queues one re-scoring after the commit."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from talent.models import Achievement, AnnualRating, Candidate, EducationRecord, LanguageCertificate, Training


def _changed(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # fixtures
    from scoring.models import ScoreRun
    from scoring.services import schedule_refresh

    # Nothing to refresh before anyone has ranked anything.
    if ScoreRun.objects.exists():
        schedule_refresh()


for model in (Candidate, Achievement, EducationRecord, LanguageCertificate, AnnualRating, Training):
    post_save.connect(_changed, sender=model, dispatch_uid=f"scoring-{model.__name__}-save")
    post_delete.connect(_changed, sender=model, dispatch_uid=f"scoring-{model.__name__}-delete")
