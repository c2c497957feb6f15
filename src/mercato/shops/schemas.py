"""The shops' `/api` responses (A01, CH11), shaped as the seller contract says.

A01 declares many required fields that mercato has no data for (billing, KYC, payments):
they are present with a null value, never left out, so that clients written against the
contract find every key they expect.
"""

from datetime import datetime

from ninja import Schema

from mercato.catalog.localization import localized
from mercato.shops.models import Channel
from mercato.shops.selectors import ShopAccount


class ContactInformationsOut(Schema):
    civility: str | None
    firstname: str | None
    lastname: str | None
    email: str | None
    street1: str | None
    street2: str | None
    zip_code: str | None
    city: str | None
    country: str | None
    phone: str | None


class RegistrationAddressOut(Schema):
    street_1: str | None
    street_2: str | None
    zip_code: str | None
    city: str | None
    state: str | None
    country_iso_code: str | None


class CorporateInformationOut(Schema):
    company_registration_name: str | None
    company_registration_number: str | None


class DefaultBillingInformationOut(Schema):
    id: str | None
    default_language: str
    corporate_information: CorporateInformationOut
    registration_address: RegistrationAddressOut


class BillingInfoOut(Schema):
    owner: str | None
    bank_name: str | None
    bank_street: str | None
    bank_city: str | None
    zip_code: str | None
    iban: str | None
    bic: str | None


class ProDetailsOut(Schema):
    corporate_name: str | None
    identification_number: str | None
    tax_identification_number: str | None
    VAT_number: str | None


class PaymentDetailsOut(Schema):
    paid_balance: float
    payable_balance: float
    pending_balance: float


class ShippingOut(Schema):
    lead_time_to_ship: int | None


class AccountOut(Schema):
    shop_id: int
    shop_name: str
    shop_state: str
    channels: list[str]
    currency_iso_code: str
    date_created: datetime
    last_updated_date: datetime
    is_professional: bool
    premium: bool
    description: str | None
    contact_informations: ContactInformationsOut
    default_billing_information: DefaultBillingInformationOut
    billing_info: BillingInfoOut
    pro_details: ProDetailsOut
    domains: list[str]
    model: str
    free_shipping: bool
    evaluations_count: int
    offers_count: int
    orders_count: int
    payment_details: PaymentDetailsOut
    payment_method_mandatory: bool
    shipping: ShippingOut
    shipping_types: list[str]
    shipping_zones: list[str]
    shop_additional_fields: list[dict[str, str]]


class ChannelOut(Schema):
    code: str
    label: str
    description: str


class ChannelsOut(Schema):
    channels: list[ChannelOut]


def _blank_to_none(value: str) -> str | None:
    return value or None


def _contact(account: ShopAccount) -> ContactInformationsOut:
    shop = account.shop
    return ContactInformationsOut(
        civility=None,
        firstname=_blank_to_none(shop.contact_firstname),
        lastname=_blank_to_none(shop.contact_lastname),
        email=_blank_to_none(shop.email),
        street1=_blank_to_none(shop.street1),
        street2=None,
        zip_code=_blank_to_none(shop.zip_code),
        city=_blank_to_none(shop.city),
        country=_blank_to_none(shop.country_iso_code),
        phone=None,
    )


def _billing(account: ShopAccount) -> DefaultBillingInformationOut:
    shop = account.shop
    return DefaultBillingInformationOut(
        id=None,
        default_language=shop.default_language,
        corporate_information=CorporateInformationOut(
            company_registration_name=None, company_registration_number=None
        ),
        registration_address=RegistrationAddressOut(
            street_1=_blank_to_none(shop.street1),
            street_2=None,
            zip_code=_blank_to_none(shop.zip_code),
            city=_blank_to_none(shop.city),
            state=None,
            country_iso_code=_blank_to_none(shop.country_iso_code),
        ),
    )


def account_out(account: ShopAccount) -> AccountOut:
    shop = account.shop
    return AccountOut(
        shop_id=shop.id,
        shop_name=shop.name,
        shop_state=shop.state,
        channels=account.channel_codes,
        currency_iso_code=shop.currency_iso_code,
        date_created=shop.date_created,
        last_updated_date=shop.last_updated_date,
        is_professional=shop.is_professional,
        premium=shop.premium,
        description=_blank_to_none(shop.description),
        contact_informations=_contact(account),
        default_billing_information=_billing(account),
        billing_info=BillingInfoOut(
            owner=None,
            bank_name=None,
            bank_street=None,
            bank_city=None,
            zip_code=None,
            iban=None,
            bic=None,
        ),
        pro_details=ProDetailsOut(
            corporate_name=None,
            identification_number=None,
            tax_identification_number=None,
            VAT_number=None,
        ),
        # Sellers sell products on a marketplace; shipping zones, evaluations and payouts
        # are not managed by mercato, hence the neutral values.
        domains=["PRODUCT"],
        model="MARKETPLACE",
        free_shipping=False,
        evaluations_count=0,
        offers_count=account.offers_count,
        orders_count=account.orders_count,
        payment_details=PaymentDetailsOut(paid_balance=0, payable_balance=0, pending_balance=0),
        payment_method_mandatory=False,
        shipping=ShippingOut(lead_time_to_ship=shop.lead_time_to_ship),
        shipping_types=[],
        shipping_zones=[],
        shop_additional_fields=[],
    )


def channels_out(channels: list[Channel], language: str) -> ChannelsOut:
    out = []
    for channel in channels:
        label = localized(channel.label, channel.labels, language)
        out.append(ChannelOut(code=channel.code, label=label, description=label))
    return ChannelsOut(channels=out)
