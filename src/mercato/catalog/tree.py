"""The category tree's shape: a node's level follows its parent, and the tree has no cycle.

Callers own the transaction.
"""

from mercato.catalog.models import Category
from mercato.errors import InvalidInput


def check_parent(category: Category, parent: Category | None) -> None:
    """Refuse `parent` when it is `category` itself or one of its descendants."""
    if parent is None or category.pk is None:
        return
    # Walk up from the new parent: meeting the category means it would become its own ancestor.
    # The stored tree has no cycle, so the walk ends at a root.
    node_id: int | None = parent.pk
    while node_id is not None:
        if node_id == category.pk:
            raise InvalidInput(
                f"Category {parent.code} cannot be the parent of {category.code}: "
                f"it is {category.code} itself or one of its descendants."
            )
        node_id = Category.objects.filter(pk=node_id).values_list("parent_id", flat=True).first()


def save_category(category: Category) -> None:
    """Save `category` under its `parent`, then bring its descendants' levels in line."""
    check_parent(category, category.parent)
    _save_with_levels(category)


def move_category(category: Category, parent: Category | None) -> None:
    """Put `category` (and its subtree) under `parent`, or at the root when None."""
    check_parent(category, parent)
    category.parent = parent
    _save_with_levels(category)


def _save_with_levels(category: Category) -> None:
    category.level = 1 if category.parent is None else category.parent.level + 1
    category.save()
    # One generation per round trip: the tree is a few levels deep, not a few thousand.
    frontier = [category.pk]
    level = category.level
    while frontier:
        level += 1
        children = Category.objects.filter(parent_id__in=frontier)
        children.exclude(level=level).update(level=level)
        frontier = list(children.values_list("pk", flat=True))
