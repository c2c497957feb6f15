"""`mercato shop create|key|list`: the operator's way to open shops and hand out API keys.

The API key is always the last line of standard output, alone, so that scripts can take it
with `tail -1`.
"""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mercato.errors import DomainError
from mercato.shops.selectors import all_shops
from mercato.shops.services import FIRST_SHOP_ID, create_shop, issue_api_key, issue_shop_api_key


def _channel_codes(raw: str) -> list[str]:
    return [code.strip() for code in raw.split(",") if code.strip()]


class Command(BaseCommand):
    help = (
        "Manage seller shops: `shop create NAME` opens a shop with its user and prints its API "
        "key, `shop key ID` replaces a shop's API key, `shop list` lists the shops."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        create = actions.add_parser(
            "create",
            help="Create an open shop and its user; print the shop and its API key (last line).",
        )
        create.add_argument("name", help="The shop's name, unique on the marketplace.")
        create.add_argument(
            "--id",
            type=int,
            dest="shop_id",
            metavar="ID",
            help=f"The shop id (default: the next free id from {FIRST_SHOP_ID}).",
        )
        create.add_argument(
            "--channels",
            type=_channel_codes,
            metavar="CODES",
            help="Comma-separated channel codes the shop sells on, e.g. FR_B2C,ES_B2C "
            "(default: the marketplace's default channel).",
        )
        create.add_argument("--email", default="", help="The shop's contact e-mail address.")

        key = actions.add_parser(
            "key",
            help="Issue a new API key for a shop and revoke its previous keys; the key is "
            "the last line.",
        )
        key.add_argument("shop_id", type=int, metavar="ID", help="The shop id.")

        actions.add_parser("list", help="List the shops: id, name, state and channels.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(**options)
        except DomainError as error:
            raise CommandError(error.message) from error

    def _create(
        self, *, name: str, shop_id: int | None, channels: list[str] | None, email: str, **_: Any
    ) -> None:
        with transaction.atomic():
            shop, user = create_shop(name, shop_id=shop_id, channels=channels, email=email)
            key = issue_api_key(user)
        self.stdout.write(f"Created shop {shop.id} {shop.name!r}.")
        self.stdout.write("API key (shown once, copy it now):")
        self.stdout.write(key)

    def _key(self, *, shop_id: int, **_: Any) -> None:
        with transaction.atomic():
            key = issue_shop_api_key(shop_id)
        self.stdout.write(f"New API key for shop {shop_id}; its previous keys are revoked.")
        self.stdout.write(key)

    def _list(self, **_: Any) -> None:
        self.stdout.write(f"{'ID':<8} {'NAME':<40} {'STATE':<10} CHANNELS")
        for shop in all_shops():
            codes = ",".join(channel.code for channel in shop.channels.all())
            self.stdout.write(f"{shop.id:<8} {shop.name:<40} {shop.state:<10} {codes}")
