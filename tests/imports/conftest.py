import io
from collections.abc import Callable
from pathlib import Path

import pytest

from mercato.imports.models import OfferImport
from mercato.imports.services import create_offer_import, run_offer_import
from mercato.shops.models import Shop


@pytest.fixture(autouse=True)
def media_root(tmp_path: Path, settings) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "files"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture(params=["in memory", "by key range"])
def key_ranges(request, settings) -> str:  # type: ignore[no-untyped-def]
    """Each offer import test twice: the lines sorted out in memory at once, and a key
    range at a time from files (a few dozen bytes of file a range)."""
    if request.param == "by key range":
        settings.MERCATO_IMPORT_STAGE_BYTES = 64
    return str(request.param)


ImportRunner = Callable[..., OfferImport]


@pytest.fixture
def run_import() -> ImportRunner:
    """Send `content` as an offer file for `shop` and run the import to its end."""

    def run(
        shop: Shop, content: str | bytes, *, mode: str = "NORMAL", name: str = "offers.csv"
    ) -> OfferImport:
        data = content.encode() if isinstance(content, str) else content
        offer_import, _ = create_offer_import(
            shop, content=io.BytesIO(data), file_name=name, mode=mode
        )
        run_offer_import(offer_import.id)
        offer_import.refresh_from_db()
        return offer_import

    return run
