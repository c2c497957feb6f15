"""P31's `product_references` (and the deprecated `products`): every defect is reported."""

import pytest

from mercato.api.params import parse_product_references, product_references_param
from mercato.catalog.selectors import ProductReference
from mercato.errors import InvalidInput

EAN_7 = ProductReference("EAN", "3000000000007")
UPC = ProductReference("UPC", "012345678905")
ISBN = ProductReference("ISBN", "9782070612758")
P = "Parameter 'product_references'"


@pytest.mark.parametrize(
    ("raw", "references"),
    [
        ("EAN|3000000000007", [EAN_7]),
        ("EAN|3000000000007,UPC|012345678905,ISBN|9782070612758", [EAN_7, UPC, ISBN]),
        (" EAN | 3000000000007 , UPC|012345678905,", [EAN_7, UPC]),
        ("EAN|3000000000007,EAN|3000000000007", [EAN_7]),
        (
            ",".join(f"EAN|{n}" for n in range(100)),
            [ProductReference("EAN", str(n)) for n in range(100)],
        ),
    ],
)
def test_valid_references(raw: str, references: list[ProductReference]) -> None:
    parsed = parse_product_references(raw, "product_references")
    assert parsed.errors == []
    assert parsed.references == references


@pytest.mark.parametrize(
    ("raw", "errors"),
    [
        ("", [f"{P} is required: a comma-separated list of <type>|<id>, e.g. EAN|3000000000007."]),
        (
            " , ",
            [f"{P} is required: a comma-separated list of <type>|<id>, e.g. EAN|3000000000007."],
        ),
        ("3000000000007", [f"{P}: '3000000000007' is not of the form <type>|<id>."]),
        ("EAN|", [f"{P}: 'EAN|' is not of the form <type>|<id>."]),
        ("|3000000000007", [f"{P}: '|3000000000007' is not of the form <type>|<id>."]),
        ("EAN|1|2", [f"{P}: 'EAN|1|2' is not of the form <type>|<id>."]),
        (
            "SKU|P-1",
            [
                f"{P}: 'SKU|P-1' uses SKU, which names a shop's own product; use a product "
                "reference type (EAN, UPC, ISBN)."
            ],
        ),
        (
            "SHOP_SKU|P-1",
            [
                f"{P}: 'SHOP_SKU|P-1' uses SHOP_SKU, which names a shop's own product; use a "
                "product reference type (EAN, UPC, ISBN)."
            ],
        ),
        (
            "ean|3000000000007",
            [f"{P}: 'ean|3000000000007' has unknown type 'ean'; use one of EAN, UPC, ISBN."],
        ),
        (
            "EAN|3000000000007,MPN|X1,foo,EAN|3000000000014",
            [
                f"{P}: 'MPN|X1' has unknown type 'MPN'; use one of EAN, UPC, ISBN.",
                f"{P}: 'foo' is not of the form <type>|<id>.",
            ],
        ),
        (
            ",".join(f"EAN|{n}" for n in range(101)),
            [f"{P}: at most 100 references, got 101."],
        ),
        (
            ",".join(f"EAN|{n}" for n in range(100)) + ",SKU|x",
            [
                f"{P}: at most 100 references, got 101.",
                f"{P}: 'SKU|x' uses SKU, which names a shop's own product; use a product "
                "reference type (EAN, UPC, ISBN).",
            ],
        ),
    ],
)
def test_every_defect_is_reported(raw: str, errors: list[str]) -> None:
    assert parse_product_references(raw, "product_references").errors == errors


@pytest.mark.parametrize(
    ("raw", "references", "errors"),
    [
        ("3000000000007|EAN,012345678905|UPC", [EAN_7, UPC], []),
        (
            "EAN|3000000000007",
            [],
            [
                "Parameter 'products': 'EAN|3000000000007' has unknown type '3000000000007'; "
                "use one of EAN, UPC, ISBN."
            ],
        ),
        (
            "",
            [],
            [
                "Parameter 'products' is required: a comma-separated list of <id>|<type>, "
                "e.g. 3000000000007|EAN."
            ],
        ),
    ],
)
def test_the_deprecated_products_parameter_puts_the_id_first(
    raw: str, references: list[ProductReference], errors: list[str]
) -> None:
    parsed = parse_product_references(raw, "products", id_first=True)
    assert parsed.references == references
    assert parsed.errors == errors


def test_product_references_wins_over_the_deprecated_parameter() -> None:
    assert product_references_param("EAN|3000000000007", "012345678905|UPC") == [EAN_7]
    assert product_references_param(None, "012345678905|UPC") == [UPC]


def test_all_defects_make_one_invalid_input() -> None:
    with pytest.raises(InvalidInput) as raised:
        product_references_param("SKU|1,foo", None)
    assert raised.value.message == (
        f"{P}: 'SKU|1' uses SKU, which names a shop's own product; use a product reference "
        f"type (EAN, UPC, ISBN). {P}: 'foo' is not of the form <type>|<id>."
    )


def test_no_references_at_all_is_invalid() -> None:
    with pytest.raises(InvalidInput) as raised:
        product_references_param(None, None)
    assert raised.value.message == (
        f"{P} is required: a comma-separated list of <type>|<id>, e.g. EAN|3000000000007."
    )
