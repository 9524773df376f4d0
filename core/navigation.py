"""The main menu as data: groups of items, each item shown to the roles it names.

Apps add their items (and, for a new section, a group) with ``register_group`` / ``register_item``
from their ``AppConfig.ready``; the menu of the apps that exist today is declared in
``config/navigation.py``. ``menu_for`` gives what one user sees: only non-empty groups, the group of
the current page marked. Roles are plain strings (``core`` knows no app's role model).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: Any  # a lazy translation
    order: int


@dataclass(frozen=True)
class NavItem:
    group: str
    label: Any
    url_name: str
    roles: frozenset[str]
    order: int = 100
    # The page is "here" when the current URL name starts with one of these (default: url_name) or
    # the path starts with one of ``paths``.
    names: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    staff_only: bool = False  # Django's is_staff (the admin site), whatever the role
    hint: Any = ""  # a short description under the label in the dropdown

    def is_current(self, url_name: str | None, path: str) -> bool:
        names = self.names or (self.url_name,)
        return bool((url_name and any(url_name.startswith(n) for n in names))
                    or any(path.startswith(p) for p in self.paths))


@dataclass
class MenuGroup:
    key: str
    label: Any
    items: list[dict[str, Any]] = field(default_factory=list)
    current: bool = False


_groups: dict[str, NavGroup] = {}
_items: list[NavItem] = []


def register_group(key: str, label: Any, order: int) -> None:
    _groups[key] = NavGroup(key, label, order)


def register_item(item: NavItem) -> None:
    if item.group not in _groups:
        raise ValueError(f"menu group {item.group!r} is not registered")
    if any((existing.group, existing.url_name) == (item.group, item.url_name) for existing in _items):
        return  # registered already (ready() may run twice in tests)
    _items.append(item)


def menu_for(role: str | None, *, is_staff: bool, url_name: str | None, path: str) -> list[MenuGroup]:
    """The groups ``role`` sees, in order, each with its items and whether the current page is in it."""
    out: dict[str, MenuGroup] = {}
    for item in sorted(_items, key=lambda i: (_groups[i.group].order, i.order)):
        if item.staff_only and not is_staff:
            continue
        if not item.staff_only and role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        group = out.setdefault(item.group, MenuGroup(item.group, _groups[item.group].label))
        current = item.is_current(url_name, path)
        group.items.append({"label": item.label, "url": url, "current": current, "hint": item.hint})
        group.current = group.current or current
    return list(out.values())
