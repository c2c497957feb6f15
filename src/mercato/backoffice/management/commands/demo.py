"""`mercato demo`: a working marketplace in one command, with credentials to try it."""

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mercato.backoffice.server import add_listen_arguments, base_url
from mercato.errors import DomainError
from mercato.orders.demo import place_demo_orders
from mercato.shops.demo import DemoAccess, prepare_demo


class Command(BaseCommand):
    help = (
        "Set up the reference marketplace (`mercato setup`), create the demo shops and the "
        "operator account if absent, place a few orders for each demo shop once, print fresh "
        "credentials (operator password, shop API keys, sellers' back-office passwords), then "
        "serve like `mercato serve`. Running it again issues new credentials."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_listen_arguments(parser)
        parser.add_argument(
            "--no-serve",
            action="store_false",
            dest="serve",
            help="Prepare the demo and print the credentials, but do not start the server.",
        )

    def handle(self, *args: Any, host: str, port: int, serve: bool, **options: Any) -> None:
        call_command("setup", stdout=self.stdout, stderr=self.stderr)
        try:
            with transaction.atomic():
                access = prepare_demo()
                place_demo_orders([shop.id for shop in access.shops])
        except DomainError as error:
            raise CommandError(error.message) from error
        self._print(access, base_url(host, port))
        if serve:
            call_command("serve", host=host, port=port, stdout=self.stdout, stderr=self.stderr)

    def _print(self, access: DemoAccess, base: str) -> None:
        write = self.stdout.write
        write("")
        write(f"Operator console: {base}/operator/")
        write(f"  login: {access.operator_username}")
        write(f"  password: {access.operator_password}")
        write("Demo shops (API keys shown once; run `mercato demo` again for new ones):")
        for shop in access.shops:
            write(f"  {shop.id}  {shop.name}  API key: {shop.api_key}")
        write(f"Seller back office: {base}/seller/")
        for shop in access.shops:
            write(f"  {shop.name}  login: {shop.username}  password: {shop.password}")
        write("Try the seller API:")
        write(f'  curl -H "Authorization: {access.shops[0].api_key}" {base}/api/account')
        write("")
