"""`mercato demo`: the demo shops and operator, with fresh credentials on every run."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from mercato.backoffice.management.commands import serve as serve_command
from mercato.catalog.management.commands import setup as setup_command
from mercato.errors import Unauthorized
from mercato.shops.demo import OPERATOR_USERNAME, prepare_demo
from mercato.shops.models import Channel, Shop
from mercato.shops.selectors import user_for_api_key

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
EVERY_ADDRESS = "0.0.0.0"  # noqa: S104
SHOP_LINE = re.compile(rf"^  (\d+)  (.+)  API key: ({UUID})$")


@pytest.fixture
def channels(db: None) -> None:
    Channel.objects.create(code="FR_B2C", label="France - B2C", is_default=True)
    Channel.objects.create(code="ES_B2C", label="Espagne - B2C")


def shop_channels() -> dict[str, list[str]]:
    return {
        shop.name: sorted(shop.channels.values_list("code", flat=True))
        for shop in Shop.objects.all()
    }


def test_prepare_demo_creates_the_shops_and_the_operator(channels: None) -> None:
    access = prepare_demo()

    assert [(s.id, s.name) for s in access.shops] == [
        (2000, "Demo Electro"),
        (2001, "Demo Reconditionné"),
    ]
    assert shop_channels() == {
        "Demo Electro": ["ES_B2C", "FR_B2C"],
        "Demo Reconditionné": ["FR_B2C"],
    }
    for shop in access.shops:
        seller = Shop.objects.get(id=shop.id).users.get()
        assert user_for_api_key(shop.api_key) == seller
        assert seller.get_username() == shop.username
        assert seller.check_password(shop.password)
    operator = get_user_model().objects.get(username=OPERATOR_USERNAME)
    assert (operator.is_staff, operator.is_superuser, operator.is_active) == (True, True, True)
    assert operator.check_password(access.operator_password)


def test_prepare_demo_again_keeps_the_shops_and_renews_the_credentials(channels: None) -> None:
    first = prepare_demo()
    second = prepare_demo()

    assert [(s.id, s.name) for s in second.shops] == [(s.id, s.name) for s in first.shops]
    assert Shop.objects.count() == 2
    assert get_user_model().objects.filter(username=OPERATOR_USERNAME).count() == 1
    assert second.operator_password != first.operator_password
    operator = get_user_model().objects.get(username=OPERATOR_USERNAME)
    assert not operator.check_password(first.operator_password)
    assert operator.check_password(second.operator_password)
    for old, new in zip(first.shops, second.shops, strict=True):
        seller = Shop.objects.get(id=new.id).users.get()
        assert user_for_api_key(new.api_key) == seller
        with pytest.raises(Unauthorized):
            user_for_api_key(old.api_key)
        assert (seller.check_password(old.password), seller.check_password(new.password)) == (
            False,
            True,
        )


def run_demo() -> list[str]:
    out = StringIO()
    call_command("demo", "--no-serve", stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


def printed_credentials(lines: list[str]) -> tuple[str, list[tuple[int, str, str]]]:
    password = next(line for line in lines if line.startswith("  password: "))
    shops = [match.groups() for line in lines if (match := SHOP_LINE.match(line))]
    return password.removeprefix("  password: "), [(int(i), n, k) for i, n, k in shops]


@pytest.mark.django_db
def test_demo_twice_prints_working_credentials(client: Client) -> None:
    run_demo()
    lines = run_demo()

    password, shops = printed_credentials(lines)
    assert [(shop_id, name) for shop_id, name, _key in shops] == [
        (2000, "Demo Electro"),
        (2001, "Demo Reconditionné"),
    ]
    assert Shop.objects.count() == 2
    assert shop_channels() == {
        "Demo Electro": ["ES_B2C", "FR_B2C"],
        "Demo Reconditionné": ["FR_B2C"],
    }
    for shop_id, _name, key in shops:
        assert user_for_api_key(key) == Shop.objects.get(id=shop_id).users.get()
    assert client.login(username="operator", password=password)
    sellers = [line.rsplit("  password: ", 1)[1] for line in lines if "  login: demo-" in line]
    assert Client().login(username="demo-electro-2000", password=sellers[0])
    electro_key = shops[0][2]
    tail = lines[lines.index("Operator console: http://127.0.0.1:8000/operator/") :]
    assert tail == [
        "Operator console: http://127.0.0.1:8000/operator/",
        "  login: operator",
        f"  password: {password}",
        "Demo shops (API keys shown once; run `mercato demo` again for new ones):",
        f"  2000  Demo Electro  API key: {electro_key}",
        f"  2001  Demo Reconditionné  API key: {shops[1][2]}",
        "Seller back office: http://127.0.0.1:8000/seller/",
        f"  Demo Electro  login: demo-electro-2000  password: {sellers[0]}",
        f"  Demo Reconditionné  login: demo-reconditionne-2001  password: {sellers[1]}",
        "Try the seller API:",
        f'  curl -H "Authorization: {electro_key}" http://127.0.0.1:8000/api/account',
        "",
    ]
    account = Client(HTTP_AUTHORIZATION=electro_key).get("/api/account")
    assert account.status_code == 200
    assert (account.json()["shop_id"], account.json()["shop_name"]) == (2000, "Demo Electro")


@pytest.mark.django_db
def test_demo_serves_after_printing(monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[dict[str, object]] = []
    monkeypatch.setattr(serve_command, "serve_forever", lambda **kwargs: served.append(kwargs))
    out = StringIO()

    call_command("demo", "--host", EVERY_ADDRESS, "--port", "8123", stdout=out, stderr=StringIO())

    assert served == [{"host": EVERY_ADDRESS, "port": 8123, "threads": 8, "with_worker": True}]
    lines = out.getvalue().splitlines()
    assert "Operator console: http://127.0.0.1:8123/operator/" in lines
    assert lines[-2:] == ["Jobs: a worker runs in this process.", "Press Ctrl+C to stop."]


def test_demo_without_the_spanish_channel_fails_and_creates_nothing(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A marketplace without ES_B2C: `setup` is skipped, the database holds only FR_B2C.
    monkeypatch.setattr(setup_command.Command, "handle", lambda self, *args, **options: None)
    Channel.objects.create(code="FR_B2C", label="France - B2C", is_default=True)

    with pytest.raises(CommandError) as error:
        call_command("demo", "--no-serve", stdout=StringIO())

    assert str(error.value) == "Unknown channel ES_B2C; known channels: FR_B2C."
    assert Shop.objects.count() == 0
    assert not get_user_model().objects.filter(username=OPERATOR_USERNAME).exists()
