"""The category tree: levels follow parents, and no category becomes its own ancestor."""

import pytest

from mercato.catalog.models import Category
from mercato.catalog.tree import move_category, save_category
from mercato.errors import InvalidInput


@pytest.fixture
def tree(db: None) -> dict[str, Category]:
    """informatique > portables > gaming, and telephonie > smartphones."""
    nodes: dict[str, Category] = {}
    for code, parent in [
        ("informatique", None),
        ("portables", "informatique"),
        ("gaming", "portables"),
        ("telephonie", None),
        ("smartphones", "telephonie"),
    ]:
        category = Category(code=code, label=code.title(), parent=nodes.get(parent or ""))
        save_category(category)
        nodes[code] = category
    return nodes


def levels() -> dict[str, int]:
    return dict(Category.objects.values_list("code", "level"))


def test_save_category_sets_levels_from_the_parents(tree: dict[str, Category]) -> None:
    assert levels() == {
        "informatique": 1,
        "portables": 2,
        "gaming": 3,
        "telephonie": 1,
        "smartphones": 2,
    }


def test_moving_a_category_relevels_it_and_its_descendants(tree: dict[str, Category]) -> None:
    move_category(tree["portables"], tree["smartphones"])

    assert levels() == {
        "informatique": 1,
        "portables": 3,
        "gaming": 4,
        "telephonie": 1,
        "smartphones": 2,
    }
    assert Category.objects.get(code="portables").parent == tree["smartphones"]


def test_moving_to_the_root(tree: dict[str, Category]) -> None:
    move_category(tree["portables"], None)

    assert levels() == {
        "informatique": 1,
        "portables": 1,
        "gaming": 2,
        "telephonie": 1,
        "smartphones": 2,
    }
    assert Category.objects.get(code="portables").parent is None


@pytest.mark.parametrize("new_parent", ["informatique", "portables", "gaming"])
def test_a_category_cannot_go_under_itself_or_a_descendant(
    tree: dict[str, Category], new_parent: str
) -> None:
    before = list(Category.objects.values_list("code", "parent__code", "level"))

    with pytest.raises(InvalidInput) as error:
        move_category(tree["informatique"], tree[new_parent])

    assert error.value.message == (
        f"Category {new_parent} cannot be the parent of informatique: "
        "it is informatique itself or one of its descendants."
    )
    assert list(Category.objects.values_list("code", "parent__code", "level")) == before
    assert tree["informatique"].parent is None
