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
  reason) — so some positions have nobody ready and some plans fall short of two successors;
- incumbents for the positions (older cadres, some reaching retirement age within the term, a few seats
  left vacant), imported from a cadre list per top unit as a personnel officer would (the city union's
  list is left in ``media/demo`` to try the import), so the vacancy forecast has something to say;
- the current year's review, opened for every plan, about half of them decided and signed (someone
  moved to "ready now", someone removed), the rest open — overdue after 31/12;
- a closed 9-box calibration of the plan with the most members (one person moved, with a reason), two
  rotation plans (one started) and one fast-track nomination when someone meets its criteria.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.seeding import SeedContext
from succession import rotation, services, standards
from succession.models import PlanMember, PlanReview, Position, PositionHeld, SuccessionPlan
from talent.demo_names import FAMILY_NAMES, FEMALE_GIVEN_NAMES, FEMALE_MIDDLE_NAMES, MALE_GIVEN_NAMES, MALE_MIDDLE_NAMES
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


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([w for w, _ in weighted], weights=[f for _, f in weighted])[0]


def _incumbents(rng: random.Random, admin: Any, positions: list[Position], today: dt.date) -> tuple[int, Any]:
    """Older cadres holding the positions now (born 1967–1982, some retiring within the term; about one
    seat in eight left vacant), brought in as a personnel officer would: a cadre list per top unit through
    the real import (``succession.cadre_import``). The city union's list stays as a sample file to try."""
    from django.conf import settings

    from succession.cadre_import import import_cadres

    by_root: dict[int, list[str]] = {}
    roots: dict[int, Organization] = {}
    for position in positions:
        for _k in range(position.seats):
            if rng.random() < 0.12:
                continue
            gender = "female" if rng.random() < 0.3 else "male"
            middle, given = ((FEMALE_MIDDLE_NAMES, FEMALE_GIVEN_NAMES) if gender == "female"
                             else (MALE_MIDDLE_NAMES, MALE_GIVEN_NAMES))
            born = dt.date(rng.randint(1967, 1982), rng.randint(1, 12), rng.randint(1, 28))
            since = today.replace(year=today.year - rng.randint(1, 9), month=rng.randint(1, 12), day=1)
            root = position.organization
            while root.parent_id is not None:
                root = root.parent
            roots[root.pk] = root
            by_root.setdefault(root.pk, []).append(";".join([
                f"{_pick(rng, FAMILY_NAMES)} {_pick(rng, middle)} {_pick(rng, given)}",
                "Nữ" if gender == "female" else "Nam", f"{born:%d/%m/%Y}", position.organization.code,
                position.title, f"{since:%d/%m/%Y}", rng.choice(("Bổ nhiệm", "Bầu cử")), "Cao cấp"]))
    folder = Path(settings.MEDIA_ROOT) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    header = "Họ và tên;Giới tính;Ngày sinh;Mã đơn vị;Chức vụ;Từ ngày;Hình thức;Lý luận chính trị"
    seated, sample = 0, None
    for pk, lines in by_root.items():
        path = folder / f"danh-sach-can-bo-{roots[pk].code.lower()}.csv"
        path.write_bytes(("\n".join([header, *lines]) + "\n").encode("utf-8-sig"))
        seated += import_cadres(path, organization=roots[pk], actor=admin).created
        if roots[pk].parent_id is None and roots[pk].kind == "youth_union":
            sample = path
    return seated, sample


def _review(rng: random.Random, admin: Any, today: dt.date) -> tuple[int, int]:
    """This year's review: opened everywhere, about half the plans decided and signed."""
    services.review_open(actor=admin, year=today.year)
    signed = 0
    reviews = list(PlanReview.objects.filter(year=today.year).select_related("plan").order_by("plan_id"))
    for review in reviews:
        if rng.random() < 0.5:
            continue
        for member in review.plan.members.exclude(status=PlanMember.Status.REMOVED).order_by("order"):
            draw = rng.random()
            if draw < 0.1 and member.readiness != "ready_now":
                services.review_set_readiness(actor=admin, review=review, member=member, readiness="ready_now",
                                              note="Hoàn thành xuất sắc nhiệm vụ, đã qua đào tạo")
            elif draw < 0.15:
                services.review_remove(actor=admin, review=review, member=member, reason=PlanMember.RemovalReason.EFFORT,
                                       note="Kết quả rà soát năm " + str(today.year))
            else:
                services.review_keep(actor=admin, review=review, member=member)
        services.review_sign(actor=admin, review=review, note="Thống nhất kết quả rà soát")
        signed += 1
    return len(reviews), signed


def _nine_box_rotation_fast_track(rng: random.Random, admin: Any, city: Organization, today: dt.date) -> list[str]:
    said = []
    plan = max(SuccessionPlan.objects.filter(term=TERM), default=None,
               key=lambda p: (p.members.exclude(status=PlanMember.Status.REMOVED).count(), -p.pk))
    members = list(plan.members.exclude(status=PlanMember.Status.REMOVED).order_by("order")) if plan else []
    if members:
        from succession import ninebox

        session = services.calibration_open(actor=admin, plan=plan, title=f"Hội đồng hiệu chỉnh tháng 12/{today.year}")
        person = next(p for p in ninebox.placements(plan) if p["member"] == members[-1].pk)
        target = ("high", "high") if (person["performance"], person["potential"]) != ("high", "high") else ("medium", "high")
        services.calibration_move(actor=admin, calibration=session, member=members[-1], performance=target[0],
                                  potential=target[1], reason="Hội đồng đánh giá cao kết quả công tác năm nay")
        services.calibration_close(actor=admin, calibration=session)
        said.append(f"9 ô của «{plan.position.title}» đã hiệu chỉnh")
    units = list(Organization.objects.filter(kind="youth_union").exclude(pk=city.pk).order_by("path"))
    movers = list(dict.fromkeys(PlanMember.objects.filter(plan__term=TERM).exclude(status=PlanMember.Status.REMOVED)
                                .order_by("pk").values_list("candidate_id", flat=True)))[:2]
    for k, candidate_id in enumerate(movers):
        person = Candidate.objects.get(pk=candidate_id)
        destination = next((u for u in units if u.pk != person.organization_id), None)
        if destination is None:
            break
        plan_ = rotation.rotation_plan_create(actor=admin, candidate=person, to_organization=destination,
                                              to_title="Phó Bí thư Đoàn (luân chuyển)",
                                              starts_on=today + dt.timedelta(days=30 * (k + 1)),
                                              ends_on=today.replace(year=today.year + 3),
                                              note="Luân chuyển để đào tạo, thử thách trong thực tiễn")
        if k == 0:
            plan_.starts_on = today - dt.timedelta(days=60)
            plan_.save(update_fields=["starts_on"])
            rotation.rotation_start(actor=admin, rotation=plan_)
    said.append(f"{len(movers)} kế hoạch luân chuyển")
    # A fast-track nomination for the first member who meets every criterion.
    for member in PlanMember.objects.filter(plan__term=TERM).exclude(status=PlanMember.Status.REMOVED) \
            .select_related("candidate", "plan__position").order_by("pk")[:200]:
        if all(c["passed"] for c in rotation.fast_track_checks(member.candidate, member.plan.position, on=today)):
            rotation.fast_track_nominate(actor=admin, candidate=member.candidate, position=member.plan.position,
                                         note="Cán bộ trẻ có năng lực nổi trội")
            said.append("1 đề xuất bổ nhiệm vượt cấp")
            break
    return said


def seed(context: SeedContext) -> None:
    rng = random.Random(f"succession-demo-{context.seed}")
    admin = get_user_model().objects.filter(username="admin").first()
    city = Organization.objects.filter(parent__isnull=True, kind="youth_union").order_by("pk").first()
    if admin is None or city is None:
        context.write("  Quy hoạch: bỏ qua (chưa có thành phố mẫu và tài khoản quản trị).")
        return
    today = timezone.localdate()
    with transaction.atomic():
        # The shipped rule sets (migrations install them; a database flushed since has none).
        from succession import defaults
        from succession.models import FastTrackRuleSet, PositionStandard, StructureTarget

        defaults.install(PositionStandard)
        defaults.install_targets(StructureTarget)
        defaults.install_fast_track(FastTrackRuleSet)
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
        seated, sample = _incumbents(rng, admin, positions, today)
        reviews, signed = _review(rng, admin, today)
        extras = _nine_box_rotation_fast_track(rng, admin, city, today)
    context.write(f"  Quy hoạch: {len(positions)} chức danh, {plans} quy hoạch nhiệm kỳ {TERM}, {members} người "
                  f"được đề xuất ({approved} đã phê duyệt, {removed} đã đưa ra), {len(cadres)} quá trình công tác, "
                  f"{seated} người đương nhiệm; rà soát năm {today.year}: {signed}/{reviews} quy hoạch đã ký duyệt; "
                  + ", ".join(extras))
    if sample is not None:
        context.write(f"  Tệp danh sách cán bộ mẫu để thử trang Nhập dữ liệu (loại «Danh sách cán bộ»): {sample}")
