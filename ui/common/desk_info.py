"""What the window needs to know about its committee once at start-up: dictionaries and settings, as plain data.

Read on the worker thread (`load_desk_info`), then handed to widgets: combo boxes, the intake dialog, the
status bar.
"""

import datetime as dt
from dataclasses import dataclass

from laopan.labels import label
from laopan.models.enums import Role
from laopan.services.actor import Actor
from laopan.services.committee import committee_settings, load_dictionaries


@dataclass(frozen=True)
class DeskInfo:
    committee_name: str
    user_name: str
    role_label: str
    time_zone: str
    due_soon_days: int
    today: dt.date
    communities: tuple[str, ...]
    grids: dict[str, tuple[str, ...]]
    dispute_types: tuple[tuple[str, str], ...]  # (code, label)
    sources: tuple[tuple[str, str], ...]  # (code, label)


def load_desk_info(session, *, actor: Actor, committee_name: str) -> DeskInfo:
    dicts = load_dictionaries(session, actor.committee_id)
    settings = committee_settings(session, actor.committee_id)
    grids: dict[str, list[tuple[int, str]]] = {name: [] for name in dicts.communities}
    names_by_id = dicts.community_names
    for (community_id, grid_name), grid_id in dicts.grids.items():
        grids.setdefault(names_by_id.get(community_id, ""), []).append((grid_id, grid_name))
    return DeskInfo(
        committee_name=committee_name,
        user_name=actor.display_name or actor.login,
        role_label=label(Role(actor.role)),
        time_zone=settings.time_zone,
        due_soon_days=settings.due_soon_days,
        today=actor.today(settings.time_zone),
        communities=tuple(dicts.communities),
        grids={name: tuple(grid for _, grid in sorted(items)) for name, items in grids.items()},
        dispute_types=tuple((code, dicts.dispute_type_labels[type_id]) for code, type_id in dicts.dispute_types.items()),
        sources=tuple((code, dicts.source_labels[source_id]) for code, source_id in dicts.sources.items()),
    )


def count_overdue(session, *, actor: Actor) -> int:
    """The status bar's count: the same `due` service the 工作台 and 警调 read. Read after the list's first page,
    so its module is imported then (on the reading thread), not before the window is ready."""
    from laopan.services.due import overdue_count

    return overdue_count(session, actor=actor)
