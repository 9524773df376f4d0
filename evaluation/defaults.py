"""The shipped evaluation form (migration 0002): the software's starting point, naming what it follows.

Hà Nội's resolution (seeds/003) asks for monthly and yearly, multi-dimensional, quantified evaluation of
every cadre, the months being the main basis of the yearly rating; the four criteria groups below are
the ones the rating of cadres and civil servants uses (political quality and ethics; capacity and
working style; results of assigned tasks; sense of discipline), and the four ratings are the yearly
ones. Weights, point scales, rater weights and thresholds are the software's defaults: a locality edits
them as a new version of the form.
"""

from __future__ import annotations

from typing import Any

SOURCE = ("Nghị quyết của Ban Chấp hành Đảng bộ thành phố Hà Nội về xây dựng đội ngũ cán bộ các cấp (seeds/003): "
          "đánh giá hằng tháng, hằng năm, đa chiều, lượng hóa; nhóm tiêu chí theo quy định đánh giá, xếp loại chất "
          "lượng cán bộ, công chức; trọng số và ngưỡng là mặc định của phần mềm")

GROUPS: list[dict[str, Any]] = [
    {"key": "politics", "label": "Phẩm chất chính trị, đạo đức, lối sống", "weight": 0.2, "max_points": 10},
    {"key": "capacity", "label": "Năng lực, phong cách, lề lối làm việc", "weight": 0.2, "max_points": 10},
    {"key": "results", "label": "Kết quả thực hiện nhiệm vụ được giao (lượng hóa)", "weight": 0.5, "max_points": 10},
    {"key": "discipline", "label": "Ý thức tổ chức kỷ luật", "weight": 0.1, "max_points": 10},
]
# How much each kind of rater counts (renormalised over the kinds who rated someone).
RATER_WEIGHTS = {"self": 0.1, "manager": 0.4, "peer": 0.2, "committee": 0.3}
# Total (0–100) → rating: at least the first threshold met, in this order; below all: không hoàn thành.
THRESHOLDS = [["excellent", 90], ["good", 75], ["complete", 50]]
# Peers' points count only when at least this many peers rated the person (otherwise withheld).
MIN_PEERS = 3
# The yearly result: the mean of the person's monthly totals of the year and the yearly cycle's own total.
YEARLY_RULE = {"method": "mean_of_months_and_yearly"}


def install(FormModel: Any) -> None:
    if not FormModel.objects.exists():
        FormModel.objects.create(version=1, name="Phiếu đánh giá cán bộ (mặc định)", groups=GROUPS,
                                 rater_weights=RATER_WEIGHTS, thresholds=THRESHOLDS, min_peers=MIN_PEERS,
                                 yearly_rule=YEARLY_RULE, source=SOURCE)

# Quantified tasks of a monthly cycle give the results criterion its points (instead of the raters'):
# each task counts its share below, on the group's scale; a task still pending after its due day counts
# as not done, one pending before it is left out.
TASK_GROUP = "results"
TASK_CREDIT = {"done": 1.0, "late": 0.5, "not_done": 0.0}
