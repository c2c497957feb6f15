"""`mercato export offers`: a shop's offers in the import format, to edit and send back."""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mercato.errors import DomainError
from mercato.offers.export import export_offers_to_path


class Command(BaseCommand):
    help = (
        "Export data: `export offers --shop ID OUT` writes all the shop's offers in the offer "
        "import format (the 'ready for import' inventory), to edit and import again."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        offers = kinds.add_parser(
            "offers",
            help="All the shop's offers, by sku, with the import columns: price, quantity, "
            "discounts, offer fields and a price per channel the shop sells on.",
        )
        offers.add_argument("out", type=Path, metavar="OUT", help="The file to write.")
        offers.add_argument("--shop", type=int, required=True, metavar="ID", help="The shop id.")
        offers.add_argument(
            "--format",
            choices=["csv", "xlsx"],
            default="csv",
            dest="file_format",
            help="csv (';'-separated UTF-8) or xlsx (default: %(default)s).",
        )

    def handle(self, *args: Any, out: Path, shop: int, file_format: str, **options: Any) -> None:
        try:
            with transaction.atomic():
                count = export_offers_to_path(shop, out, file_format)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"Exported {count} offer(s) of shop {shop} to {out}.")
