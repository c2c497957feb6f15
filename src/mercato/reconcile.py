"""Making a table hold a given set of entries, matched by a natural key (a code, an EAN).

The configuration loader syncs every kind of entry this way: create what is new, update
only what differs (so that loading the same files twice writes nothing), delete what is
gone. Bulk queries keep it fast; the caller owns the transaction.
"""

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

M = TypeVar("M", bound=models.Model)
K = TypeVar("K", bound=Hashable)


@dataclass
class SyncCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        """How many entries there are after the sync."""
        return self.created + self.updated + self.unchanged

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def __add__(self, other: "SyncCounts") -> "SyncCounts":
        return SyncCounts(
            self.created + other.created,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
            self.deleted + other.deleted,
        )

    def __str__(self) -> str:
        return (
            f"{self.total} ({self.created} created, {self.updated} updated, {self.deleted} deleted)"
        )


def upsert(
    model: type[M],
    current: Mapping[K, M],
    desired: Mapping[K, Mapping[str, Any]],
    *,
    touch: str | None = None,
) -> tuple[SyncCounts, dict[K, M]]:
    """Create or update `desired` (key -> field values, foreign keys by attname).

    `current` holds the existing rows by key. `touch` names a timestamp field to set on the
    updated rows (bulk updates skip `auto_now`). Returns the counts and every saved row by
    key, created ones with their primary key.
    """
    counts = SyncCounts()
    saved: dict[K, M] = {}
    to_create: list[M] = []
    to_update: list[M] = []
    changed_fields: set[str] = set()
    for key, values in desired.items():
        row = current.get(key)
        if row is None:
            row = model(**values)
            to_create.append(row)
        else:
            changed = [name for name, value in values.items() if getattr(row, name) != value]
            for name in changed:
                setattr(row, name, values[name])
            if changed:
                to_update.append(row)
                changed_fields.update(changed)
            else:
                counts.unchanged += 1
        saved[key] = row
    model._default_manager.bulk_create(to_create, batch_size=1000)
    if to_update:
        if touch:
            now = timezone.now()
            for row in to_update:
                setattr(row, touch, now)
            changed_fields.add(touch)
        model._default_manager.bulk_update(to_update, sorted(changed_fields), batch_size=500)
    counts.created, counts.updated = len(to_create), len(to_update)
    return counts, saved


def absent(current: Mapping[K, M], keep: Collection[K]) -> list[M]:
    """The rows of `current` whose key is not in `keep`."""
    return [row for key, row in current.items() if key not in keep]


def delete_rows(model: type[M], rows: Collection[M]) -> int:
    """Delete `rows` in one query; the number deleted."""
    if rows:
        model._default_manager.filter(pk__in=[row.pk for row in rows]).delete()
    return len(rows)


def sync_by_code(model: type[M], desired: Mapping[str, Mapping[str, Any]]) -> SyncCounts:
    """Make the table of `model` hold exactly `desired` (code -> field values)."""
    current = {getattr(row, "code"): row for row in model._default_manager.all()}  # noqa: B009
    counts, _ = upsert(model, current, desired)
    counts.deleted = delete_rows(model, absent(current, desired))
    return counts
