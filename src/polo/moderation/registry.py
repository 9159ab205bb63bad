"""What can be moderated, registered by each module in its AppConfig.ready():

    from polo.moderation import registry
    registry.register(Comment, moderators=can_moderate_comment, label=_("comentario"))

``moderators(user, item) -> bool`` says who moderates an item (e.g. the
facilitators of its region and coordinators); ``item.get_absolute_url()`` is
where the queue links to. Only registered models can be reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Entry:
    model: type[models.Model]
    moderators: Callable[..., bool]
    label: str
    # The user who wrote the item, read off it (for "your text was hidden").
    author: Callable[[models.Model], object]


_entries: dict[str, Entry] = {}


def key(model) -> str:
    return model._meta.label_lower


def register(model, *, moderators, label, author=lambda item: item.author) -> None:
    _entries[key(model)] = Entry(model=model, moderators=moderators, label=label, author=author)


def entry_for(model) -> Entry | None:
    return _entries.get(key(model))


def entries() -> list[Entry]:
    return list(_entries.values())
