"""The JSON text of a product's JSON columns, as the import writes and stores them.

An import encodes four JSON columns per product, a hundred thousand products at a time:
`json.dumps` builds a new C encoder for every value it is given, which cost as much again as
the encoding itself. This module builds one and reuses it. The text is json.dumps' with
`ensure_ascii=False`, which is also what polars writes (`product_columnar`), so that both
roads of the transformation give the same text.
"""

import json
from collections.abc import Mapping, Sequence
from typing import Any

try:
    from _json import encode_basestring, make_encoder
except ImportError:  # an interpreter without the C accelerator: json.dumps then
    make_encoder = None  # type: ignore[assignment, misc]

_ENCODER = (
    make_encoder(
        None,  # no check for cycles: the values come from JSON text
        json.JSONEncoder().default,
        encode_basestring,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )
    if make_encoder is not None
    else None
)


def json_text(value: Mapping[str, Any] | Sequence[Any]) -> str:
    if _ENCODER is None:
        return json.dumps(value, ensure_ascii=False)
    return "".join(_ENCODER(value, 0))
