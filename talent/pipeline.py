"""The pipeline's allowed-transition graph. Pure data and functions; services enforce it."""

from __future__ import annotations

from talent.models import Stage

S = Stage
# Forward moves follow the path a person takes; a few backward moves exist because people fall
# out of a shortlist or a planning pool and return to the talent pool. Exiting is always allowed
# (with a reason), and an exited person may be rediscovered.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DISCOVERED: frozenset({S.NOMINATED}),
    S.NOMINATED: frozenset({S.POOL, S.DISCOVERED}),
    S.POOL: frozenset({S.SHORTLISTED, S.PLACEMENT, S.PLANNING, S.NOMINATED}),
    S.SHORTLISTED: frozenset({S.PLACEMENT, S.RECRUITED, S.POOL}),
    S.PLACEMENT: frozenset({S.RECRUITED, S.POOL}),
    S.RECRUITED: frozenset({S.PLANNING}),
    S.PLANNING: frozenset({S.APPOINTED, S.RECRUITED}),
    S.APPOINTED: frozenset({S.PLANNING}),
    S.EXITED: frozenset({S.DISCOVERED}),
}
STAGE_ORDER: tuple[str, ...] = tuple(Stage.values)


def allowed_next(stage: str) -> list[str]:
    """Stages reachable from ``stage`` in pipeline order, exit last."""
    nxt = set(ALLOWED_TRANSITIONS.get(stage, frozenset()))
    if stage != S.EXITED:
        nxt.add(S.EXITED)
    return [s for s in STAGE_ORDER if s in nxt]


def is_allowed(from_stage: str, to_stage: str) -> bool:
    return to_stage in allowed_next(from_stage)


def needs_reason(from_stage: str, to_stage: str) -> bool:
    """Exits and moves backwards must say why."""
    if to_stage == S.EXITED:
        return True
    return STAGE_ORDER.index(to_stage) < STAGE_ORDER.index(from_stage)


def forward_path(from_stage: str, to_stage: str) -> list[str]:
    """The shortest chain of allowed moves that only go forward in pipeline order (exit excluded),
    from ``from_stage`` to ``to_stage``; empty when there is none."""
    position = {stage: i for i, stage in enumerate(STAGE_ORDER)}
    frontier: list[list[str]] = [[from_stage]]
    seen = {from_stage}
    while frontier:
        nxt: list[list[str]] = []
        for path in frontier:
            for stage in ALLOWED_TRANSITIONS.get(path[-1], frozenset()):
                if stage in seen or stage == S.EXITED or position[stage] <= position[path[-1]]:
                    continue
                if stage == to_stage:
                    return [*path[1:], stage]
                seen.add(stage)
                nxt.append([*path, stage])
        frontier = nxt
    return []
