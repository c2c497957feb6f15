from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mercato.catalog.configuration import PRODUCTS, ConfigurationError
from mercato.catalog.services import MarketplaceLoadReport, load_marketplace


class Command(BaseCommand):
    help = (
        "Prepare the database and load an operator's marketplace directory: channels, offer "
        "states, logistic classes, categories, value lists, attributes, offer fields and "
        "products (see the README of the reference marketplace for the formats). Entries are "
        "matched by code (products by EAN), so running it again only applies what changed; "
        "entries missing from the directory are deleted. Nothing is written when the "
        "directory has an issue: every issue is listed with its file, line and column."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--marketplace",
            metavar="DIR",
            type=Path,
            help="the marketplace directory to load (default: the bundled reference marketplace)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        directory = options["marketplace"] or Path(settings.REFERENCE_MARKETPLACE_DIR)
        try:
            with transaction.atomic():
                report = load_marketplace(directory)
        except ConfigurationError as error:
            for issue in error.issues:
                self.stderr.write(str(issue))
            raise CommandError(
                f"{directory}: {len(error.issues)} configuration issue(s), nothing was loaded."
            ) from None
        self._print(directory, report)

    def _print(self, directory: Path, report: MarketplaceLoadReport) -> None:
        self.stdout.write(f"Marketplace loaded from {directory}")
        for kind, counts in report.counts.items():
            self.stdout.write(f"  {kind.replace('_', ' ')}: {counts}")
        if report.products_rejected:
            self.stdout.write(f"  products rejected: {report.products_rejected}")
        for issue in report.product_issues:
            column = f" {issue.column}:" if issue.column else ""
            self.stdout.write(
                f"{PRODUCTS}:{issue.line}:{column} [{issue.code}] {issue.message('en_US')}"
            )
