"""Demo data of succession planning, written after the openings demo (``manage.py seed_demo``).

Drawn with ``random.Random(f"succession-demo-{seed}")`` over the demo city in id order, and written
through ``succession.services`` as the demo administrator (so every rule, history row and audit event is
the real one):

- positions over three levels: the city union's (tỉnh/thành phố), each ward's and university's union
  (Đoàn) and each agency's (sở, ban, ngành);
- careers for the city's young cadres (recruited, in planning or appointed): one to three posts, the
  current one begun between 1 and 11 years ago (so some are 8+ years in a post); appointed cadres hold
  the positions as incumbents;
- plans for term 2025-2030 for about nine positions in ten, each with zero to three successors who meet
  the position's standards (readiness of every kind; some approved with a decision, one removed with a
  reason) — so some positions have nobody ready and some plans fall short of two successors.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.seeding import SeedContext
from succession import services, standards
from succession.models import PlanMember, Position, PositionHeld
from talent.models import Candidate, Organization, Stage

TERM = "2025-2030"
TITLES = {
    "province": (("Bí thư Thành Đoàn", 1), ("Phó Bí thư Thành Đoàn", 3), ("Ủy viên Ban Thường vụ Thành Đoàn", 5)),
    "youth_union": (("Bí thư Đoàn", 1), ("Phó Bí thư Đoàn", 2), ("Ủy viên Ban Thường vụ Đoàn", 3)),
    "department": (("Giám đốc", 1), ("Phó Giám đốc", 3), ("Chánh Văn phòng", 1), ("Trưởng phòng Tổ chức cán bộ", 1)),
}
EARLIER = ("Chuyên viên", "Phó Trưởng phòng", "Ủy viên Ban Chấp hành Đoàn")


def _positions(admin: Any, city: Organization) -> list[Position]:
    made = []
    for org in Organization.objects.filter(kind__in=("youth_union", "agency")).order_by("path"):
        level = "province" if org.pk == city.pk else ("department" if org.kind == "agency" else "youth_union")
        for title, seats in TITLES[level]:
            name = title if level != "youth_union" else f"{title} {org.name.removeprefix('Đoàn ')}"
            made.append(services.position_create(actor=admin, organization=org, title=name, level=level, seats=seats))
    return made


def _careers(rng: random.Random, cadres: list[Candidate], today: dt.date) -> None:
    rows = []
    for person in cadres:
        years_in_post = rng.choice((1, 2, 3, 4, 5, 6, 8, 9, 11)) if person.date_of_birth.year < 1996 else rng.randint(1, 3)
        start = today.replace(year=today.year - years_in_post, month=rng.randint(1, 12), day=1)
        earlier = rng.randint(0, 2)
        begin = start
        for k in range(earlier, 0, -1):
            begin = begin.replace(year=begin.year - rng.randint(2, 4))
        previous = begin
        for k in range(earlier):
            end = previous.replace(year=previous.year + 2)
            rows.append(PositionHeld(candidate=person, organization=person.organization, title=EARLIER[k],
                                     started_on=previous, ended_on=min(end, start) - dt.timedelta(days=1),
                                     how=PositionHeld.How.RECRUITED if k == 0 else PositionHeld.How.APPOINTED))
            previous = min(end, start)
        rows.append(PositionHeld(candidate=person, organization=person.organization, title="Phó Trưởng phòng"
                                 if person.stage == Stage.APPOINTED else "Chuyên viên", started_on=start,
                                 how=rng.choice(list(PositionHeld.How.values))))
    PositionHeld.objects.bulk_create(rows)


def seed(context: SeedContext) -> None:
    rng = random.Random(f"succession-demo-{context.seed}")
    admin = get_user_model().objects.filter(username="admin").first()
    city = Organization.objects.filter(parent__isnull=True, kind="youth_union").order_by("pk").first()
    if admin is None or city is None:
        context.write("  Quy hoạch: bỏ qua (chưa có thành phố mẫu và tài khoản quản trị).")
        return
    today = timezone.localdate()
    with transaction.atomic():
        positions = _positions(admin, city)
        cadres = list(Candidate.objects.filter(erased_at__isnull=True, stage__in=(
            Stage.RECRUITED, Stage.PLANNING, Stage.APPOINTED)).order_by("pk"))
        _careers(rng, cadres, today)
        facts = {c.pk: standards.facts_of(c, today) for c in cadres}
        by_pk = {c.pk: c for c in cadres}
        plans = members = approved = removed = 0
        for position in positions:
            if rng.random() < 0.1:
                continue  # a position nobody has planned for yet
            plan = services.plan_create(actor=admin, position=position, term=TERM)
            plans += 1
            standard = standards.active_standard(position.level)
            rules = standard.rules if standard else {}
            fitting = [pk for pk, f in facts.items() if not standards.failures(rules, f, first_planning=True)]
            rng.shuffle(fitting)
            for pk in fitting[:rng.choice((0, 1, 1, 2, 2, 3))]:
                try:
                    member = services.member_propose(actor=admin, plan=plan, candidate=by_pk[pk],
                                                     readiness=rng.choice(("ready_now", "1_2_years", "3_plus_years")),
                                                     emergency=rng.random() < 0.1, on=today)
                except ValidationError:  # the person reached the per-term limit: the next one
                    continue
                members += 1
                if rng.random() < 0.6:
                    services.member_approve(actor=admin, member=member, decision_number=f"{rng.randint(10, 250)}-QĐ/TĐTN",
                                            decision_date=dt.date(2025, rng.randint(1, 12), rng.randint(1, 28)))
                    approved += 1
                elif removed < 3 and rng.random() < 0.3:
                    services.member_remove(actor=admin, member=member, reason=PlanMember.RemovalReason.TRANSFERRED,
                                           note="Chuyển công tác sang đơn vị khác")
                    removed += 1
    context.write(f"  Quy hoạch: {len(positions)} chức danh, {plans} quy hoạch nhiệm kỳ {TERM}, {members} người "
                  f"được đề xuất ({approved} đã phê duyệt, {removed} đã đưa ra), {len(cadres)} quá trình công tác")
