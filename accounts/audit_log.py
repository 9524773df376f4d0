"""The audit log as the administrator reads it: one row per thing a person did, in words, with names.

A recruiter's page view writes one ``candidate.read`` event per person shown (talent.readlog), so one
ranking page is 25 events. The log keeps them one by one (it is append-only evidence); the page shows
them as one row — who, what, when, how many — with the people listed under it. Events join one row
when they are adjacent, share actor, action, object kind and details, were written within
``SAME_ACTION_SECONDS`` of the row's first, and are about different objects (the same thing done
twice to one object is two rows).

People are named as they are now: a candidate by their name, or "đã ẩn danh" once their record was
anonymized on request; an account by its full name and username; a unit by its name. Names are read
in one query per kind of object on the page, never one per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from core.audit import action_label
from core.models import AuditEvent
from talent.models import Candidate, Organization

SAME_ACTION_SECONDS = 2
CANDIDATE = Candidate._meta.label_lower
ORGANIZATION = Organization._meta.label_lower
USER = get_user_model()._meta.label_lower


def _compact(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ",".join(_compact(item) for item in value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}={_compact(item)}" for key, item in value.items()) + "}"
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _kind_label(object_type: str) -> str:
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    name = str(model._meta.verbose_name)
    return name[:1].upper() + name[1:]


@dataclass
class Target:
    """One object an action touched, named; ``url_id`` links a candidate's own page."""

    label: str
    url_id: int | None = None  # a candidate's id, for a link to their page
    erased: bool = False


@dataclass
class AuditRow:
    """Adjacent events of one action, newest first (usually one; a page view of 25 people is one)."""

    events: list[AuditEvent]
    kind: str = ""
    targets: list[Target] = field(default_factory=list)
    owner: Target | None = None  # the candidate a record belongs to (an achievement's, a consent's ...)
    object_ids: set[str] = field(default_factory=set, repr=False)

    def __post_init__(self) -> None:
        self.object_ids.update(event.object_id for event in self.events)

    def add(self, event: AuditEvent) -> None:
        self.events.append(event)
        self.object_ids.add(event.object_id)

    @property
    def first(self) -> AuditEvent:
        return self.events[0]

    @property
    def id(self) -> int:
        return self.events[0].pk

    @property
    def oldest_id(self) -> int:
        return self.events[-1].pk

    @property
    def count(self) -> int:
        return len(self.events)

    @property
    def at(self) -> dt.datetime:
        return self.events[0].at

    @property
    def actor(self) -> Any:
        return self.events[0].actor

    @property
    def action(self) -> str:
        return self.events[0].action

    @property
    def action_label(self) -> Any | None:
        return action_label(self.action)

    @property
    def changes(self) -> str:
        changes = self.first.changes if isinstance(self.first.changes, dict) else {}
        # Sorted: PostgreSQL's jsonb does not keep the order the keys were written in.
        return " ".join(f"{key}={_compact(changes[key])}" for key in sorted(changes))


def _joins(row: AuditRow, event: AuditEvent) -> bool:
    first = row.events[0]
    return (event.actor_id == first.actor_id and event.action == first.action
            and event.object_type == first.object_type and event.changes == first.changes
            and abs((event.at - first.at).total_seconds()) <= SAME_ACTION_SECONDS
            and event.object_id not in row.object_ids)


def group(events: Iterable[AuditEvent]) -> list[AuditRow]:
    """Adjacent events of one action as one row each, in the order given."""
    rows: list[AuditRow] = []
    for event in events:
        if rows and _joins(rows[-1], event):
            rows[-1].add(event)
        else:
            rows.append(AuditRow(events=[event]))
    return rows


def _owner_id(event: AuditEvent) -> int | None:
    changes = event.changes if isinstance(event.changes, dict) else {}
    related = changes.get("candidate")
    return related if isinstance(related, int) and event.object_type != CANDIDATE else None


def _ids(events: Iterable[AuditEvent], object_type: str) -> set[int]:
    return {int(e.object_id) for e in events if e.object_type == object_type and e.object_id.isdigit()}


def name(rows: list[AuditRow]) -> list[AuditRow]:
    """Fill each row's kind, targets and owner with names (one query per kind of object shown)."""
    events = [event for row in rows for event in row.events]
    candidate_ids = _ids(events, CANDIDATE) | {i for i in map(_owner_id, events) if i is not None}
    people = {pk: Target(label=_("đã ẩn danh") if erased_at else full_name, url_id=pk, erased=erased_at is not None)
              for pk, full_name, erased_at in Candidate.objects.filter(pk__in=candidate_ids)
              .values_list("pk", "full_name", "erased_at")} if candidate_ids else {}
    user_ids = _ids(events, USER)
    accounts = {}
    if user_ids:
        for pk, username, first, last in (get_user_model()._default_manager.filter(pk__in=user_ids)
                                          .values_list("pk", "username", "first_name", "last_name")):
            full = f"{first} {last}".strip()  # first_name holds the family and middle names
            accounts[pk] = Target(label=f"{full} ({username})" if full else username)
    org_ids = _ids(events, ORGANIZATION)
    units = ({pk: Target(label=unit) for pk, unit in Organization.objects.filter(pk__in=org_ids)
              .values_list("pk", "name")} if org_ids else {})
    known = {CANDIDATE: people, USER: accounts, ORGANIZATION: units}
    for row in rows:
        row.kind = _kind_label(row.first.object_type)
        names = known.get(row.first.object_type)
        for event in row.events:
            pk = int(event.object_id) if event.object_id.isdigit() else None
            if names is not None and pk in names:
                row.targets.append(names[pk])
            elif pk is not None:
                # Gone from the table (a record merged away) or a kind not named here: its kind and id.
                row.targets.append(Target(label=f"{row.kind} #{pk}"))
        owner = _owner_id(row.first)
        if owner is not None:
            row.owner = people.get(owner) or Target(label=f"{_kind_label(CANDIDATE)} #{owner}")
    return rows
