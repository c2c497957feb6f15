"""`mercato setup`, end to end through call_command."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mercato.catalog.models import Category, Product

pytestmark = pytest.mark.django_db

TOTALS = [
    ("channels", 2),
    ("offer states", 4),
    ("logistic classes", 4),
    ("offer fields", 2),
    ("categories", 16),
    ("value lists", 11),
    ("values", 71),
    ("attributes", 45),
    ("attachments", 63),
    ("products", 200),
]


def setup(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("setup", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def expected_summary(directory: Path, first: bool) -> str:
    lines = [f"Marketplace loaded from {directory}"]
    for kind, total in TOTALS:
        created = total if first else 0
        lines.append(f"  {kind}: {total} ({created} created, 0 updated, 0 deleted)")
    return "\n".join(lines) + "\n"


def test_setup_loads_the_reference_marketplace_once(reference_dir: Path) -> None:
    out, err = setup()
    assert (out, err) == (expected_summary(reference_dir, first=True), "")
    out, err = setup()
    assert (out, err) == (expected_summary(reference_dir, first=False), "")
    assert (Category.objects.count(), Product.objects.count()) == (16, 200)


def test_setup_prints_every_product_issue(reference_dir: Path, tmp_path: Path) -> None:
    directory = tmp_path / "marketplace"
    shutil.copytree(reference_dir, directory)
    products = directory / "products.csv"
    text = products.read_text(encoding="utf-8")
    text = text.replace("smartphones;P-00000000;", "telephones;P-00000000;", 1)
    text = text.replace("VG-0000000;blanc;", "VG-0000000;fuchsia;", 1)
    products.write_text(text, encoding="utf-8")
    out, _ = setup("--marketplace", str(directory))
    assert out.splitlines()[-4:] == [
        "  products: 199 (199 created, 0 updated, 0 deleted)",
        "  products rejected: 1",
        "products.csv:2: category: [1001] The category telephones is unknown",
        "products.csv:4: color: [3006] The attribute color is not in the possible values set "
        "in the value list",
    ]


def test_setup_with_configuration_issues_loads_nothing(reference_dir: Path, tmp_path: Path) -> None:
    directory = tmp_path / "marketplace"
    shutil.copytree(reference_dir, directory)
    channels = directory / "channels.csv"
    channels.write_text(channels.read_text().replace("B2C;false", "B2C;true"))
    (directory / "offer-fields.csv").unlink()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("setup", "--marketplace", str(directory), stdout=out, stderr=err)
    assert str(raised.value) == f"{directory}: 2 configuration issue(s), nothing was loaded."
    assert err.getvalue() == (
        "channels.csv:3: default: more than one default channel: FR_B2C (line 2) is the "
        "default already; set default to false here\n"
        f"offer-fields.csv: missing file: create offer-fields.csv in {directory}\n"
    )
    assert out.getvalue() == ""
    assert (Category.objects.count(), Product.objects.count()) == (0, 0)
