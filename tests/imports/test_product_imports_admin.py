"""The operator console's pages for product imports and the shops' product mappings."""

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from product_files import HEADER, phone, product_file

from mercato.catalog.mapping_assistant import merge_mapping
from mercato.imports.models import ProductImport, ProductMapping
from mercato.imports.reasons import reason_text
from mercato.imports.services import create_product_import, run_product_import

pytestmark = pytest.mark.usefixtures("reference_marketplace", "tmp_media_root")


def test_an_import_page_shows_the_assistants_proposals(seller: Any, admin_client: Client) -> None:
    merge_mapping(seller.shop, columns={"Rayon": "category"})
    content = product_file(
        phone(1).replace("smartphones", "Telephonie > Smartphone", 1),
        header=HEADER.replace("category", "Rayon").replace("brand", "Marque"),
    )
    product_import = create_product_import(
        seller.shop, content=io.BytesIO(content), file_name="p.csv", enqueue=False
    )
    run_product_import(product_import.id)
    changelist = admin_client.get(reverse("admin:imports_productimport_changelist"))
    assert changelist.status_code == 200
    page = admin_client.get(reverse("admin:imports_productimport_change", args=[product_import.id]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "<div>COLUMN 'Marque' → brand (Marque), score 100</div>" in text
    assert "CATEGORY 'Telephonie &gt; Smartphone' → smartphones (Smartphones), score 89" in text
    # The reason in the console's language: French, English on request.
    product_import.refresh_from_db()
    french, english = (reason_text(product_import, locale) for locale in ("fr_FR", "en_US"))
    assert french.startswith("0 lignes transformées sur 1. 1 ligne en erreur")
    assert english.startswith("0 of 1 lines transformed. 1 line in error")
    assert f'<div class="readonly">{escape(french)}</div>' in text
    admin_client.cookies["django_language"] = "en"
    page = admin_client.get(reverse("admin:imports_productimport_change", args=[product_import.id]))
    assert f'<div class="readonly">{escape(english)}</div>' in page.content.decode()
    add = admin_client.get(reverse("admin:imports_productimport_add"))
    assert add.status_code == 403
    assert ProductImport.objects.count() == 1


def test_a_mapping_version_downloads_as_the_file_the_assistant_imports(
    seller: Any, admin_client: Client
) -> None:
    merge_mapping(seller.shop, columns={"Réf": "sku"})
    second = merge_mapping(seller.shop, values={"color": {"Bleu nuit": "bleu"}})
    changelist = reverse("admin:imports_productmapping_changelist")
    assert admin_client.get(changelist).status_code == 200
    page = admin_client.get(reverse("admin:imports_productmapping_change", args=[second.id]))
    assert page.status_code == 200
    response = admin_client.post(
        changelist, {"action": "download", "_selected_action": [second.id]}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="mapping-{seller.shop.id}-v2.csv"'
    )
    assert response.content.decode("utf-8-sig").splitlines() == [
        "type;attribute;source;target",
        "COLUMN;;Réf;sku",
        "VALUE;color;bleu nuit;bleu",
    ]
    both = [m.id for m in ProductMapping.objects.all()]
    refused = admin_client.post(
        changelist, {"action": "download", "_selected_action": both}, follow=True
    )
    assert "Select exactly one version to download." in refused.content.decode()
