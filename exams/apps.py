from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "exams"
    verbose_name = _("Kết quả thi tốt nghiệp THPT")

    def ready(self) -> None:
        from core.seeding import Seeder, register_seeder
        from exams import demo, import_kind
        from exams.features import exam_best_total
        from scoring.features import register_provider

        # Exam score files go through the import pipeline of ``imports``.
        import_kind.register()
        # The best combination total is a scoring feature.
        register_provider("exam_best_total", exam_best_total)
        # The demo's exam results come right after the demo city and its consents (manage.py seed_demo).
        register_seeder(Seeder("exams", demo.seed, after=("talent", "privacy")))
