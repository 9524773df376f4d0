"""``manage.py train_potential``: train a new version of the potential model and print its card.

Runs as the system (no user); the refusal on too little data is one line, as a CommandError.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from scoring.potential import potential_train


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _value(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


class Command(BaseCommand):
    help = ("Huấn luyện mô hình dự báo tiềm năng (chỉ để tham khảo) từ lịch sử xếp loại hằng năm của cán bộ trẻ "
            "và in thẻ mô hình: dữ liệu, AUC kiểm định chéo, hiệu chuẩn, mức quan trọng, chỉ số theo nhóm.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            model = potential_train(actor=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        card = model.card
        out = self.stdout
        out.write(f"Mô hình dự báo phiên bản {model.version} (đang dùng), huấn luyện {card['trained_at']}")
        out.write(f"  Nhãn: {card['label']}")
        out.write(f"  Dữ liệu: {card['n']} người, {card['positives']} xếp loại tốt ({_pct(card['base_rate'])}), "
                  f"{card['negatives']} còn lại")
        out.write(f"  ROC AUC kiểm định chéo {card['folds']} phần: {card['auc_mean']:.3f} ± {card['auc_std']:.3f} "
                  f"(" + ", ".join(f"{a:.3f}" for a in card["auc_folds"]) + ")")
        out.write(f"  Brier: {card['brier']:.4f}")
        out.write("  Hiệu chuẩn (dự báo → thực tế, số người):")
        for row in card["calibration"]:
            out.write(f"    {row['lower']:.1f}–{row['upper']:.1f}: {_value(row['mean_predicted'])} → "
                      f"{_value(row['observed'])} ({row['count']})")
        out.write("  Mức quan trọng (giảm AUC khi xáo trộn; hệ số chuẩn hoá):")
        for row in card["importances"]:
            out.write(f"    {row['label']}: {row['permutation_mean']:.4f}; {row['coefficient']:+.3f}")
        if card["dropped_features"]:
            out.write("  Bỏ qua vì không thay đổi trong dữ liệu: " + ", ".join(card["dropped_features"]))
        out.write(f"  Theo nhóm (ngưỡng {card['threshold']}: tỉ lệ chọn, độ nhạy, AUC, số người):")
        for grouping in card["groups"]:
            parts = [f"{g['label']} {_pct(g['selection_rate'])}, {_pct(g['recall'])}, {_value(g['auc'])}, {g['count']}"
                     + (" (nhóm quá nhỏ)" if g["too_small"] else "") for g in grouping["groups"]]
            out.write(f"    {grouping['label']}: " + "; ".join(parts))
        out.write(f"  Dùng: {card['intended_use']}")
