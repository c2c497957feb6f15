"""The contract checker must reject what the contract rejects, or it proves nothing."""

import pytest

from contract import assert_matches_contract, contract_errors

VALID_STATES = {"offer_states": [{"code": "11", "label": "Neuf"}], "total_count": 1}
VALID_HIERARCHIES = {
    "hierarchies": [
        {
            "code": "telephonie",
            "label": "Téléphonie",
            "label_translations": [{"locale": "fr", "value": "Téléphonie"}],
            "level": 1,
            "parent_code": "",
        }
    ]
}


def test_a_valid_body_passes() -> None:
    assert contract_errors("OF61", 200, VALID_STATES) == []
    assert_matches_contract("H11", 200, VALID_HIERARCHIES)


def test_every_property_also_accepts_null() -> None:
    body = {"offer_states": [{"code": None, "label": None}], "total_count": None}
    assert contract_errors("OF61", 200, body) == []


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"offer_states": [{"code": "11"}], "total_count": 1},
            ["offer_states/0: 'label' is a required property"],
        ),
        ({"offer_states": []}, ["<body>: 'total_count' is a required property"]),
        (
            {"offer_states": [], "total_count": "1"},
            ["total_count: '1' is not of type 'integer', 'null'"],
        ),
        (
            {"offer_states": [{"code": 11, "label": "Neuf"}], "total_count": 1},
            ["offer_states/0/code: 11 is not of type 'string', 'null'"],
        ),
        (
            {"offer_states": {"code": "11"}, "total_count": 1},
            ["offer_states: {'code': '11'} is not of type 'array', 'null'"],
        ),
    ],
)
def test_a_missing_key_or_a_wrong_type_fails(body: object, errors: list[str]) -> None:
    assert contract_errors("OF61", 200, body) == errors
    with pytest.raises(AssertionError, match="OF61 200 breaks the contract"):
        assert_matches_contract("OF61", 200, body)


def test_nested_required_keys_behind_references_are_checked() -> None:
    hierarchy = dict(VALID_HIERARCHIES["hierarchies"][0])
    del hierarchy["parent_code"]
    assert contract_errors("H11", 200, {"hierarchies": [hierarchy]}) == [
        "hierarchies/0: 'parent_code' is a required property"
    ]


def test_a_null_body_fails() -> None:
    assert contract_errors("OF61", 200, None) == ["<body>: None is not of type 'object'"]


def test_an_operation_without_such_a_response_is_an_error() -> None:
    with pytest.raises(AssertionError, match="no JSON response 201 for OF61"):
        contract_errors("OF61", 201, VALID_STATES)


def test_a_referenced_object_of_the_wrong_type_names_the_type() -> None:
    body = {"hierarchies": [{**VALID_HIERARCHIES["hierarchies"][0], "label_translations": "fr"}]}
    assert contract_errors("H11", 200, body) == [
        "hierarchies/0/label_translations: 'fr' is not of type 'array', 'null'"
    ]
    body = {"hierarchies": [{**VALID_HIERARCHIES["hierarchies"][0], "label_translations": ["fr"]}]}
    assert contract_errors("H11", 200, body) == [
        "hierarchies/0/label_translations/0: 'fr' is not of type 'object'"
    ]
