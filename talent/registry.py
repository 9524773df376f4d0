"""Where the apps above ``talent`` plug their rules into it, so that ``talent`` never imports them.

``talent`` decides who sees which candidate and how two records of one person become one; some of
the facts those decisions need live higher up (consent lives in ``privacy``). The higher app
registers a function here from its ``AppConfig.ready``; ``talent`` calls what is registered.

Deny by default: with nothing registered, no candidate counts as consenting to be shared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q

if TYPE_CHECKING:
    from talent.models import Candidate

# A filter on Candidate: standing consent to be shown to recruiters, evaluated inside the query.
SharingFilter = Callable[[], Q]

_sharing: list[SharingFilter] = []


def register_sharing_consent(rule: SharingFilter) -> None:
    """Name the rule that decides whether a candidate consents to be shared with recruiters."""
    if rule not in _sharing:
        _sharing.append(rule)


def sharing_consent() -> Q:
    """Every registered rule must hold; none registered means nobody is shared."""
    if not _sharing:
        return Q(pk__in=[])
    combined = Q()
    for rule in _sharing:
        combined &= rule()
    return combined


@dataclass(frozen=True)
class MergeHook:
    """What an app does when two candidate records are merged.

    ``check(keep, drop)`` raises ``ValidationError`` to refuse the merge before anything changes;
    ``move(keep, drop, actor)`` moves the app's own rows from ``drop`` to ``keep`` (inside the merge's
    transaction, before ``drop`` is deleted).
    """

    name: str
    move: Callable[[Candidate, Candidate, Any], None]
    check: Callable[[Candidate, Candidate], None] | None = None


_merge_hooks: dict[str, MergeHook] = {}


def register_merge_hook(hook: MergeHook) -> None:
    _merge_hooks[hook.name] = hook


def merge_hooks() -> list[MergeHook]:
    return list(_merge_hooks.values())


@dataclass(frozen=True)
class ProfileSection:
    """A section an app adds to a candidate's page (``candidate-detail``), after the records talent
    keeps. ``context(candidate, user)`` returns what ``template`` needs, or None to show nothing to
    that reader (the app decides who may read its section; the page is already scoped)."""

    name: str
    template: str
    context: Callable[[Candidate, Any], dict[str, Any] | None]
    order: int = 100


_profile_sections: dict[str, ProfileSection] = {}


def register_profile_section(section: ProfileSection) -> None:
    _profile_sections[section.name] = section


def profile_sections(candidate: Candidate, user: Any) -> list[dict[str, Any]]:
    """The registered sections this reader sees for ``candidate``, in order: ``{"template", ...context}``."""
    out = []
    for section in sorted(_profile_sections.values(), key=lambda s: (s.order, s.name)):
        context = section.context(candidate, user)
        if context is not None:
            out.append({"template": section.template, **context})
    return out


# --- Notices on the dashboard ----------------------------------------------------------------------
# A notice an app shows at the top of the dashboard for a reader (a deadline coming, work overdue):
# ``notices(user)`` returns ``{"level": "warning" | "error", "text", "url", "link"}`` dicts, or none.

_dashboard_notices: dict[str, Callable[[Any], list[dict[str, Any]]]] = {}


def register_dashboard_notice(name: str, notices: Callable[[Any], list[dict[str, Any]]]) -> None:
    _dashboard_notices[name] = notices


def dashboard_notices(user: Any) -> list[dict[str, Any]]:
    return [notice for name in sorted(_dashboard_notices) for notice in _dashboard_notices[name](user)]
