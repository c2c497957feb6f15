"""Product files in the reference marketplace's format, for the product import tests."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

HEADER = (
    "category;sku;ean;title-fr_FR;brand;image-1;variant-group-code;color;storage-capacity;"
    "screen-size;operating-system;repairability-index;ram"
)
# An EAN of the reference catalog (P-00000000, live, the operator's).
CATALOG_EAN = "3000000000007"


def ean13(n: int) -> str:
    body = f"{400000000000 + n:012d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def phone(
    n: int,
    *,
    color: str = "noir",
    storage: str = "128GB",
    group: str = "",
    ean: str | None = None,
    **changes: str,
) -> str:
    """A valid smartphone line; `changes` replace columns by name (dashes as underscores)."""
    cells = {
        "category": "smartphones",
        "sku": f"S-{n}",
        "ean": ean if ean is not None else ean13(n),
        "title-fr_FR": f"Téléphone {n}",
        "brand": "samsung",
        "image-1": f"https://images.example.com/{n}.jpg",
        "variant-group-code": group,
        "color": color,
        "storage-capacity": storage,
        "screen-size": "6.1",
        "operating-system": "android",
        "repairability-index": "8,5",
        "ram": "8",
    }
    for name, value in changes.items():
        cells[name.replace("_", "-").replace("-fr-FR", "-fr_FR")] = value
    return ";".join(cells[c] for c in HEADER.split(";"))


def product_file(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def send(client: Client, content: bytes, name: str = "products.csv") -> int:
    """P41 in operator format: the new import's id."""
    upload = SimpleUploadedFile(name, content)
    response = client.post("/api/products/imports", {"file": upload, "operator_format": "true"})
    assert response.status_code == 201, response.content
    import_id: int = response.json()["import_id"]
    return import_id
