"""`mercato shop create|key|list`: output, default ids, errors that leave nothing behind."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from mercato.errors import Unauthorized
from mercato.shops.management.commands.shop import Command as ShopCommand
from mercato.shops.models import ApiKey, Channel, Shop, ShopMembership
from mercato.shops.selectors import user_for_api_key


@pytest.fixture
def channels(db: None) -> None:
    Channel.objects.create(code="FR_B2C", label="France - B2C", is_default=True)
    Channel.objects.create(code="ES_B2C", label="Espagne - B2C")


def shop_command(*args: str) -> list[str]:
    out = StringIO()
    call_command("shop", *args, stdout=out)
    return out.getvalue().splitlines()


def counts() -> tuple[int, int, int, int]:
    return (
        Shop.objects.count(),
        get_user_model().objects.count(),
        ShopMembership.objects.count(),
        ApiKey.objects.count(),
    )


def test_create_prints_the_shop_then_a_key_that_authenticates_on_the_last_line(
    channels: None,
) -> None:
    lines = shop_command("create", "Boutique Un")

    shop = Shop.objects.get()
    assert lines[:2] == [
        "Created shop 2000 'Boutique Un'.",
        "API key (shown once, copy it now):",
    ]
    assert len(lines) == 3
    assert user_for_api_key(lines[-1]) == shop.users.get()
    assert (shop.id, shop.name, shop.state) == (2000, "Boutique Un", Shop.State.OPEN)
    assert list(shop.channels.values_list("code", flat=True)) == ["FR_B2C"]


def test_default_ids_follow_from_2000(channels: None) -> None:
    first = shop_command("create", "Boutique Un")
    second = shop_command("create", "Boutique Deux")

    assert first[0] == "Created shop 2000 'Boutique Un'."
    assert second[0] == "Created shop 2001 'Boutique Deux'."
    assert list(Shop.objects.values_list("id", flat=True)) == [2000, 2001]


def test_explicit_id_channels_and_email(channels: None) -> None:
    lines = shop_command(
        "create",
        "Boutique Trois",
        "--id",
        "3100",
        "--channels",
        "FR_B2C,ES_B2C",
        "--email",
        "a@b.fr",
    )

    shop = Shop.objects.get(id=3100)
    assert lines[0] == "Created shop 3100 'Boutique Trois'."
    assert shop.email == "a@b.fr"
    assert sorted(shop.channels.values_list("code", flat=True)) == ["ES_B2C", "FR_B2C"]
    assert user_for_api_key(lines[-1]) == shop.users.get()


def test_unknown_channel_is_an_error_and_creates_nothing(channels: None) -> None:
    before = counts()

    with pytest.raises(CommandError) as error:
        shop_command("create", "Boutique Un", "--channels", "FR_B2C,IT_B2C")

    assert str(error.value) == "Unknown channel IT_B2C; known channels: ES_B2C, FR_B2C."
    assert counts() == before


def test_taken_id_and_taken_name_are_errors(channels: None) -> None:
    shop_command("create", "Boutique Un")
    before = counts()

    with pytest.raises(CommandError) as taken_id:
        shop_command("create", "Boutique Deux", "--id", "2000")
    with pytest.raises(CommandError) as taken_name:
        shop_command("create", "Boutique Un")

    assert str(taken_id.value) == (
        "Shop id 2000 is taken; leave --id out to get the next free one."
    )
    assert str(taken_name.value) == "A shop named 'Boutique Un' already exists."
    assert counts() == before


def test_errors_exit_non_zero_with_the_message_on_stderr(
    channels: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # run_from_argv closes the connections on its way out: here they hold the test's transaction.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    before = counts()

    with pytest.raises(SystemExit) as exit_info:
        ShopCommand().run_from_argv(["mercato", "shop", "create", "X", "--channels", "IT_B2C"])

    assert exit_info.value.code == 1
    assert capsys.readouterr().err == (
        "CommandError: Unknown channel IT_B2C; known channels: ES_B2C, FR_B2C.\n"
    )
    assert counts() == before


def test_key_replaces_the_previous_key(channels: None) -> None:
    old_key = shop_command("create", "Boutique Un")[-1]

    lines = shop_command("key", "2000")

    assert lines[0] == "New API key for shop 2000; its previous keys are revoked."
    assert len(lines) == 2
    assert user_for_api_key(lines[-1]) == Shop.objects.get(id=2000).users.get()
    with pytest.raises(Unauthorized):
        user_for_api_key(old_key)
    assert ApiKey.objects.filter(revoked_at__isnull=True).count() == 1


def test_key_of_an_unknown_shop_is_an_error(channels: None) -> None:
    before = counts()

    with pytest.raises(CommandError) as error:
        shop_command("key", "4242")

    assert str(error.value) == "Shop 4242 does not exist."
    assert counts() == before


def test_list_shows_id_name_state_and_channels(channels: None) -> None:
    shop_command("create", "Boutique Un", "--channels", "FR_B2C,ES_B2C")
    shop_command("create", "Boutique Deux")
    Shop.objects.filter(id=2001).update(state=Shop.State.SUSPENDED)

    lines = shop_command("list")

    assert [line.split() for line in lines] == [
        ["ID", "NAME", "STATE", "CHANNELS"],
        ["2000", "Boutique", "Un", "OPEN", "ES_B2C,FR_B2C"],
        ["2001", "Boutique", "Deux", "SUSPENDED", "FR_B2C"],
    ]
