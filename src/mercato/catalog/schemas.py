"""The catalog's `/api` responses (H11, PM11, VL11, P31), shaped as the seller contract says."""

from ninja import Schema

from mercato.catalog.localization import localized, localized_text, translations
from mercato.catalog.models import (
    Attribute,
    AttributeAttachment,
    AttributeType,
    ProductIdentifier,
    RequirementLevel,
    ValueList,
)
from mercato.catalog.selectors import (
    HierarchyNode,
    attribute_locale,
    attribute_roles,
    attribute_type_parameters,
    sorted_values,
)


class TranslationOut(Schema):
    locale: str
    value: str


class HierarchyOut(Schema):
    code: str
    label: str
    label_translations: list[TranslationOut]
    level: int
    parent_code: str


class HierarchiesOut(Schema):
    hierarchies: list[HierarchyOut]


class NameValueOut(Schema):
    name: str
    value: str


class RoleOut(Schema):
    type: str
    parameters: list[NameValueOut]


class AttributeOut(Schema):
    code: str
    label: str
    label_translations: list[TranslationOut]
    description: str | None
    description_translations: list[TranslationOut]
    hierarchy_code: str
    required: bool
    requirement_level: str
    roles: list[RoleOut]
    type: str
    type_parameter: str
    type_parameters: list[NameValueOut]
    validations: str | None
    variant: bool
    values_list: str | None
    locale: str | None


class AttributesOut(Schema):
    attributes: list[AttributeOut]


class ValueOut(Schema):
    code: str
    label: str
    label_translations: list[TranslationOut]


class ValuesListOut(Schema):
    code: str
    label: str
    label_translations: list[TranslationOut]
    values: list[ValueOut]


class ValuesListsOut(Schema):
    values_lists: list[ValuesListOut]


class ProductOut(Schema):
    product_id: str
    product_id_type: str
    product_sku: str
    product_title: str
    category_code: str
    category_label: str


class ProductsOut(Schema):
    products: list[ProductOut]
    total_count: int


def _translations(label: str, labels: dict[str, str]) -> list[TranslationOut]:
    return [TranslationOut(**t) for t in translations(label, labels)]


def hierarchies_out(nodes: list[HierarchyNode], language: str) -> HierarchiesOut:
    return HierarchiesOut(
        hierarchies=[
            HierarchyOut(
                code=node.category.code,
                label=localized(node.category.label, node.category.labels, language),
                label_translations=_translations(node.category.label, node.category.labels),
                level=node.level,
                parent_code=node.parent_code,
            )
            for node in nodes
        ]
    )


def _values_list_code(attribute: Attribute) -> str | None:
    if attribute.type not in (AttributeType.LIST, AttributeType.LIST_MULTIPLE_VALUES):
        return None
    if attribute.value_list is not None:
        return attribute.value_list.code
    return attribute.type_parameter or None


def _attribute_out(attachment: AttributeAttachment, language: str) -> AttributeOut:
    attribute = attachment.attribute
    return AttributeOut(
        code=attribute.code,
        label=localized(attribute.label, attribute.labels, language),
        label_translations=_translations(attribute.label, attribute.labels),
        # Descriptions are written in French only.
        description=attachment.description or None,
        description_translations=_translations(attachment.description, {}),
        hierarchy_code=attachment.category.code if attachment.category else "",
        required=attachment.requirement_level == RequirementLevel.REQUIRED,
        requirement_level=attachment.requirement_level,
        roles=[RoleOut(type=role, parameters=[]) for role in attribute_roles(attribute.code)],
        type=attribute.type,
        type_parameter=attribute.type_parameter,
        type_parameters=[
            NameValueOut(name=name, value=value)
            for name, value in attribute_type_parameters(attribute)
        ],
        validations=attachment.validations or None,
        variant=attachment.variant,
        values_list=_values_list_code(attribute),
        locale=attribute_locale(attribute.code),
    )


def attributes_out(attachments: list[AttributeAttachment], language: str) -> AttributesOut:
    return AttributesOut(attributes=[_attribute_out(a, language) for a in attachments])


def values_lists_out(lists: list[ValueList], language: str) -> ValuesListsOut:
    return ValuesListsOut(
        values_lists=[
            ValuesListOut(
                code=value_list.code,
                label=localized(value_list.label, value_list.labels, language),
                label_translations=_translations(value_list.label, value_list.labels),
                values=[
                    ValueOut(
                        code=value.code,
                        label=localized(value.label, value.labels, language),
                        label_translations=_translations(value.label, value.labels),
                    )
                    for value in sorted_values(value_list)
                ],
            )
            for value_list in lists
        ]
    )


def products_out(identifiers: list[ProductIdentifier], locale: str, language: str) -> ProductsOut:
    products = [
        ProductOut(
            product_id=identifier.value,
            product_id_type=identifier.type,
            product_sku=identifier.product.product_sku,
            product_title=localized_text(identifier.product.titles, locale),
            category_code=identifier.product.category.code,
            category_label=localized(
                identifier.product.category.label, identifier.product.category.labels, language
            ),
        )
        for identifier in identifiers
    ]
    return ProductsOut(products=products, total_count=len(products))
