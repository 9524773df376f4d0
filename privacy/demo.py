"""Privacy's part of the demo city (``talent.demo``): who agreed to what, when, on what evidence.

Consent (DESIGN §5) is seeded like the rest of the city: per person and purpose, dated after the
person was registered and before ``AS_OF``. Whether someone needed a guardian's signature is decided
on the day they signed, so the rows never depend on the day of seeding; whether a child counts as
consenting *today* is decided by ``privacy.rules`` at query time, as for any other record.

Two hooks, both registered from ``PrivacyConfig.ready`` (talent sits below privacy and never imports
it):
- a person extension (``talent.demo.register_person_extension``): each generated person's consent
  records, drawn where talent's generator drew them before they moved here — at the end of the
  person's personal details, from the generator's second stream — so one seed still gives the same
  consents; they travel in ``person.extras`` (read them with ``consents_of``);
- privacy's demo seeder, one of the demo city's (``talent.demo.register_city_seeder``): it writes the
  consent rows and the few scanned forms in the city's transaction, from what talent's seeder left
  in ``SeedContext.shared``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.seeding import SeedContext, Seeder
from privacy.models import Consent
from privacy.rules import GUARDIAN_AGE, born_on_or_before_for_age, has_consent, needs_guardian
from talent.demo import (
    AS_OF,
    CADRE,
    DEMO_TZ,
    HOME_AFFAIRS,
    ORG_BY_CODE,
    PUPIL,
    SHARED_ACCOUNTS,
    SHARED_CANDIDATES,
    SHARED_ORGANIZATIONS,
    SHARED_PEOPLE,
    STUDENT,
    PersonSpec,
    actor_for,
    moments,
    register_city_seeder,
    register_person_extension,
)
from talent.demo.tables import ETHNIC_FAMILY_NAME_TABLES, FAMILY_NAME_TABLE, GIVEN_NAME_TABLES, MIDDLE_NAME_TABLES
from talent.models import Candidate, Organization, Stage

if TYPE_CHECKING:
    from talent.demo import _Generator

CONSENTS = "consents"  # the key of a person's consent records in ``PersonSpec.extras``
EVIDENCE_FILES = "privacy.evidence_files"  # the scanned forms drawn so far, in ``generator.state``
SHARED_SUMMARY = "privacy.consents"  # ConsentSummary, in ``SeedContext.shared`` after privacy's seeder

# Consent. The Personal Data Protection Law took effect on 1 January 2026: people followed before
# then were asked during the first half of 2026; people registered later, within a few weeks of it.
CONSENT_CAMPAIGN = (dt.date(2026, 1, 5), dt.date(2026, 6, 30))
PROFILE_CONSENT_SHARE = 0.93  # the rest have not returned a form yet
SHARE_CONSENT = {PUPIL: 0.55, STUDENT: 0.75, CADRE: 0.6}
CONTACT_CONSENT = {PUPIL: 0.45, STUDENT: 0.4, CADRE: 0.25}
ONLINE_CONSENT = {PUPIL: 0.3, STUDENT: 0.6, CADRE: 0.45}  # the rest signed a paper form
SHARE_WITHDRAWN, SHARE_REGRANTED, CONTACT_WITHDRAWN = 0.07, 0.3, 0.12
GUARDIAN_FORM_RETURNED = 0.75
GUARDIAN_DECLINES_SHARING = 0.15
GUARDIAN_FORM_SCANNED = 0.35
MAX_EVIDENCE_FILES = 48  # scanned forms written to MEDIA_ROOT; the rest stay on paper at the school
ONLINE_NOTE = "Tự xác nhận trực tuyến qua Cổng thông tin tài năng trẻ TP.HCM; cán bộ đã đối chiếu."
REGRANT_NOTE = "Đồng ý lại bằng văn bản sau khi được giải thích phạm vi chia sẻ."
GUARDIAN_SCANNED_NOTE = "Phiếu đồng ý của cha mẹ có chữ ký (bản scan đính kèm); bản giấy lưu tại {org}."
GUARDIAN_PAPER_NOTE = "Phiếu đồng ý của cha mẹ có chữ ký, bản giấy lưu tại {org}."
PAPER_NOTES = {
    PUPIL: "Phiếu đồng ý giấy có chữ ký của học sinh, lưu tại {org}.",
    STUDENT: "Phiếu đồng ý giấy có chữ ký của sinh viên, lưu tại {org}.",
    CADRE: "Bản đồng ý có chữ ký trong hồ sơ cán bộ, lưu tại {org}.",
}
SHOWCASE_CONSENT_AT = dt.datetime(2026, 1, 12, 20, 41, tzinfo=DEMO_TZ)


@dataclass(frozen=True)
class ConsentSpec:
    purpose: str
    given_by: str
    granted_at: dt.datetime
    recorded_by: str  # SELF_SERVICE (the person's own account) or STAFF (who looks after their unit)
    evidence_note: str
    evidence_file: str = ""  # storage name of a scanned signed form (a small generated PDF), or ""
    guardian_name: str = ""
    withdrawn_at: dt.datetime | None = None


SELF_SERVICE, STAFF = "self", "staff"


@dataclass
class ConsentSummary:
    records: int = 0
    withdrawn: int = 0
    evidence_files: int = 0
    # Counted as privacy.rules decides today, as the app does:
    sharing: int = 0  # candidates whose consent to be shared with recruiters stands
    under_16: int = 0
    under_16_sharing: int = 0  # ... with both their own and a guardian's consent
    under_16_missing_guardian: int = 0  # ... who agreed to sharing but whose guardian has not
    recruiter_sees: int = 0  # candidates the demo recruiter's agency sees


def consents_of(person: PersonSpec) -> tuple[ConsentSpec, ...]:
    """The consent records drawn for ``person`` (none when privacy's extension was not registered)."""
    return person.extras.get(CONSENTS, ())


# --- Drawing them (the person extension) --------------------------------------------------------------


def person_consents(generator: _Generator, person: PersonSpec) -> tuple[ConsentSpec, ...]:
    """The person extension: the showcase student's fixed consents, anyone else's drawn."""
    if person.is_showcase_student:
        # She agreed herself, signed in to her own account, once the law took effect.
        return tuple(
            ConsentSpec(purpose, Consent.GivenBy.SELF, SHOWCASE_CONSENT_AT + dt.timedelta(minutes=minute),
                        SELF_SERVICE, "Tự xác nhận khi đăng nhập vào tài khoản của mình.")
            for minute, purpose in enumerate(Consent.Purpose.values)
        )
    return drawn_consents(generator, person)


def _chance(generator: _Generator, probability: float) -> bool:
    # Exactly what the generator's own second-stream chance draws: one random() of ``extra_rng``.
    return generator.extra_rng.random() < probability


def _left_on_request(person: PersonSpec) -> bool:
    """Whether ``person`` left the programme at their own (or their family's) request."""
    last = person.history[-1]
    return last.to_stage == Stage.EXITED and "xin rút" in last.reason.lower()


def draw_guardian_name(generator: _Generator, person: PersonSpec) -> str:
    """A parent of the previous generation: the father carries the family name, the mother her own."""
    rng = generator.extra_rng
    family = person.full_name.split()[0]
    if _chance(generator, 0.6):
        gender = "male"
    else:
        gender = "female"
        family = ETHNIC_FAMILY_NAME_TABLES.get(person.ethnicity, FAMILY_NAME_TABLE).pick(rng)
    middle = MIDDLE_NAME_TABLES[(gender, False)].pick(rng)
    given = GIVEN_NAME_TABLES[gender].pick(rng)
    while given == middle:
        given = GIVEN_NAME_TABLES[gender].pick(rng)
    return f"{family} {middle} {given}"


def drawn_consents(generator: _Generator, person: PersonSpec) -> tuple[ConsentSpec, ...]:
    """Per purpose, who agreed, when and on what evidence; some grants later withdrawn.

    A person under 16 on the day of signing needs a parent's signature as well (privacy.rules):
    some forms came back signed by both, some by the child only — those children do not count
    as consenting until the parent signs or they turn 16.
    """
    rng = generator.extra_rng
    P, G = Consent.Purpose, Consent.GivenBy
    if not _chance(generator, PROFILE_CONSENT_SHARE):
        return ()
    registered = person.history[0].at.date()
    last_day = AS_OF - dt.timedelta(days=1)
    if registered < CONSENT_CAMPAIGN[0]:
        start, end = CONSENT_CAMPAIGN
    else:
        start, end = registered + dt.timedelta(days=1), registered + dt.timedelta(days=21)
    end = min(end, last_day)
    granted = moments(rng, min(start, end), end, 1)[0]
    if _left_on_request(person) and person.history[-1].at < granted:
        return ()  # asked to leave the programme before anyone asked for consent
    purposes = [P.PROCESS_PROFILE]
    if _chance(generator, SHARE_CONSENT[person.cohort]):
        purposes.append(P.SHARE_WITH_RECRUITERS)
    if _chance(generator, CONTACT_CONSENT[person.cohort]):
        purposes.append(P.CONTACT_ABOUT_EVENTS)
    org_name = ORG_BY_CODE[person.organization].name
    child = needs_guardian(person.date_of_birth, granted.date())
    online = not child and _chance(generator, ONLINE_CONSENT[person.cohort])
    note = ONLINE_NOTE if online else PAPER_NOTES[person.cohort].format(org=org_name)
    # (purpose, given by, when, evidence note, scanned form, guardian's name)
    grants = [(purpose, G.SELF, granted, note, "", "") for purpose in purposes]
    if child and _chance(generator, GUARDIAN_FORM_RETURNED):
        signed = moments(rng, granted.date(), max(granted.date(), min(granted.date() + dt.timedelta(days=10),
                                                                       last_day)), 1)[0]
        guardian = draw_guardian_name(generator, person)
        scanned = ""
        scanned_so_far = generator.state.get(EVIDENCE_FILES, 0)
        if scanned_so_far < MAX_EVIDENCE_FILES and _chance(generator, GUARDIAN_FORM_SCANNED):
            generator.state[EVIDENCE_FILES] = scanned_so_far + 1
            scanned = (f"consent-evidence/{signed:%Y/%m}/"
                       f"demo-{generator.seed}-phieu-dong-y-{scanned_so_far + 1:03d}.pdf")
        guardian_note = (GUARDIAN_SCANNED_NOTE if scanned else GUARDIAN_PAPER_NOTE).format(org=org_name)
        grants.extend(
            (purpose, G.GUARDIAN, signed, guardian_note, scanned, guardian)
            for purpose in purposes
            if purpose != P.SHARE_WITH_RECRUITERS or not _chance(generator, GUARDIAN_DECLINES_SHARING)
        )
        granted = max(granted, signed)
    withdrawn = withdrawals(generator, person, purposes, granted, last_day)
    records = [
        ConsentSpec(purpose, given_by, at, STAFF, evidence_note, scan, guardian_name, withdrawn.get(purpose))
        for purpose, given_by, at, evidence_note, scan, guardian_name in grants
    ]
    # Now and then someone who withdrew sharing agrees again once told what is shared and with whom.
    share_end = withdrawn.get(P.SHARE_WITH_RECRUITERS)
    regrant_from = share_end.date() + dt.timedelta(days=3) if share_end else None
    if (regrant_from and regrant_from < last_day and not _left_on_request(person)
            and _chance(generator, SHARE_REGRANTED)):
        again = moments(rng, regrant_from, last_day, 1)[0]
        records.extend(
            ConsentSpec(purpose, given_by, again, STAFF, REGRANT_NOTE, "", guardian_name)
            for purpose, given_by, _, _, _, guardian_name in grants if purpose == P.SHARE_WITH_RECRUITERS
        )
    return tuple(records)


def withdrawals(generator: _Generator, person: PersonSpec, purposes: list[str], granted: dt.datetime,
                last_day: dt.date) -> dict[str, dt.datetime]:
    """When grants given by ``granted`` were withdrawn, by purpose. A withdrawal ends every standing
    grant of the purpose (the child's and the parent's alike), as ``consent_withdraw`` does."""
    P = Consent.Purpose
    withdrawn: dict[str, dt.datetime] = {}
    exit_step = person.history[-1]
    if _left_on_request(person) and exit_step.at > granted:
        # Those who asked to leave the programme withdrew everything with their request.
        return {purpose: exit_step.at + dt.timedelta(hours=2) for purpose in purposes}
    first_free = granted.date() + dt.timedelta(days=7)
    if first_free < last_day:
        for purpose, probability in ((P.SHARE_WITH_RECRUITERS, SHARE_WITHDRAWN),
                                     (P.CONTACT_ABOUT_EVENTS, CONTACT_WITHDRAWN)):
            if purpose in purposes and _chance(generator, probability):
                withdrawn[purpose] = moments(generator.extra_rng, first_free, last_day, 1)[0]
    return withdrawn


# --- Writing them down (the seeder) --------------------------------------------------------------------


def seed_consents(context: SeedContext) -> None:
    """Privacy's seeder: the consent rows of the people talent's seeder wrote (``SeedContext.shared``),
    then the consent lines of the summary."""
    shared = context.shared
    saved = shared[SHARED_CANDIDATES]
    summary = write_consents(shared[SHARED_PEOPLE], saved, shared[SHARED_ORGANIZATIONS], shared[SHARED_ACCOUNTS])
    shared[SHARED_SUMMARY] = summary
    if context.stdout is not None:
        write_consent_summary(summary, candidates=len(saved), stdout=context.stdout)


def write_consents(people: list[PersonSpec], saved: list[Candidate], orgs: dict[str, Organization],
                   users: dict[str, Any]) -> ConsentSummary:
    """The consent records of every person, in bulk, with the few scanned forms they refer to."""
    admin = users.get("admin")
    rows: list[Consent] = []
    forms: dict[str, tuple[PersonSpec, ConsentSpec, list[str]]] = {}  # file → whose form, which purposes
    for person, candidate in zip(people, saved):
        consents = consents_of(person)
        if not consents:
            continue
        # Whoever looks after the person's unit recorded the forms; agencies' cadres sent theirs to
        # the city, where an administrator entered them.
        staff = actor_for(candidate.organization, orgs, users) or admin
        for spec in consents:
            recorder = candidate.user if spec.recorded_by == SELF_SERVICE else staff
            rows.append(Consent(
                candidate=candidate, purpose=spec.purpose, given_by=spec.given_by, guardian_name=spec.guardian_name,
                evidence=spec.evidence_file, evidence_note=spec.evidence_note, granted_at=spec.granted_at,
                recorded_by=recorder, withdrawn_at=spec.withdrawn_at,
                withdrawn_by=recorder if spec.withdrawn_at else None,
            ))
            if spec.evidence_file:
                forms.setdefault(spec.evidence_file, (person, spec, []))[2].append(spec.purpose)
    _store_consent_forms(forms)
    Consent.objects.bulk_create(rows, batch_size=500)

    summary = ConsentSummary(records=len(rows), withdrawn=sum(row.withdrawn_at is not None for row in rows),
                             evidence_files=len(forms))
    share = Consent.Purpose.SHARE_WITH_RECRUITERS
    today = timezone.localdate()
    children = Candidate.objects.filter(date_of_birth__gt=born_on_or_before_for_age(GUARDIAN_AGE, today))
    own_share = Consent.objects.filter(candidate=OuterRef("pk"), purpose=share, given_by=Consent.GivenBy.SELF,
                                       withdrawn_at__isnull=True)
    summary.sharing = Candidate.objects.filter(has_consent(share, today=today)).count()
    summary.under_16 = children.count()
    summary.under_16_sharing = children.filter(has_consent(share, today=today)).count()
    summary.under_16_missing_guardian = children.filter(Exists(own_share)).exclude(
        has_consent(share, today=today)).count()
    if HOME_AFFAIRS in orgs:
        summary.recruiter_sees = Candidate.objects.shared_with_recruiters_of(orgs[HOME_AFFAIRS]).count()
    return summary


def _store_consent_forms(forms: dict[str, tuple[PersonSpec, ConsentSpec, list[str]]]) -> None:
    """Write each scanned form under its own (deterministic) name.

    A file left by an earlier seeding with the same seed holds the same bytes and is kept; any
    other file in the way is replaced, so the name in the database is always the one generated.
    """
    storage = Consent._meta.get_field("evidence").storage
    for name, (person, spec, purposes) in forms.items():
        content = consent_form_pdf(person, spec, purposes)
        if storage.exists(name):
            with storage.open(name, "rb") as existing:
                if existing.read() == content:
                    continue
            storage.delete(name)
        stored = storage.save(name, ContentFile(content))
        if stored != name:  # another process took the name between the two calls
            raise RuntimeError(f"could not store the demo consent form as {name!r} (got {stored!r})")


def _ascii(text: str) -> str:
    """``text`` without diacritics, for the PDF standard fonts (which have no Vietnamese glyphs)."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.encode("ascii", "replace").decode("ascii")


def consent_form_pdf(person: PersonSpec, spec: ConsentSpec, purposes: list[str]) -> bytes:
    """A one-page PDF standing in for the scan of a parent's signed consent form (demo data)."""
    # Fixed wording rather than the translated labels: the same bytes whatever language is active.
    labels = {Consent.Purpose.PROCESS_PROFILE: "xu ly ho so", Consent.Purpose.SHARE_WITH_RECRUITERS:
              "chia se voi nha tuyen dung", Consent.Purpose.CONTACT_ABOUT_EVENTS: "lien he ve su kien"}
    lines = [
        "PHIEU DONG Y XU LY DU LIEU CA NHAN CUA TRE EM (DU LIEU DEMO)",
        "",
        f"Hoc sinh: {person.full_name}, sinh ngay {person.date_of_birth:%d/%m/%Y}",
        f"Don vi: {ORG_BY_CODE[person.organization].name}",
        f"Cha me / nguoi giam ho: {spec.guardian_name}",
        "Dong y cho cac muc dich: " + "; ".join(labels[p] for p in purposes),
        f"Ngay ky: {spec.granted_at.astimezone(DEMO_TZ):%d/%m/%Y}",
        "",
        "Chu ky cua hoc sinh: (da ky)        Chu ky cua cha me / nguoi giam ho: (da ky)",
    ]
    text = "".join(
        "(" + _ascii(line).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") Tj T* "
        for line in lines
    )
    stream = f"BT /F1 11 Tf 14 TL 56 780 Td {text}ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
         b"/Contents 5 0 R >>"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write_consent_summary(c: ConsentSummary, *, candidates: int, stdout: IO[str]) -> None:
    stdout.write(f"  Sự đồng ý: {c.records} bản ghi ({c.withdrawn} đã rút lại), {c.evidence_files} tệp minh chứng; "
                 f"{c.sharing}/{candidates} ứng viên đồng ý chia sẻ với nhà tuyển dụng\n")
    stdout.write(f"  Dưới 16 tuổi: {c.under_16}, trong đó {c.under_16_sharing} được chia sẻ (bản thân và cha mẹ "
                 f"cùng đồng ý), {c.under_16_missing_guardian} còn thiếu chữ ký của cha mẹ\n")
    stdout.write(f"  Cán bộ tuyển dụng {ORG_BY_CODE[HOME_AFFAIRS].name} thấy {c.recruiter_sees} ứng viên\n")


def register() -> None:
    """Hook privacy's part into the demo city; called once, from ``PrivacyConfig.ready``."""
    register_person_extension(CONSENTS, person_consents)
    register_city_seeder(Seeder("privacy", seed_consents, after=("talent",)))
