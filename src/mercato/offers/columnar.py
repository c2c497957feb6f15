"""The offer line checks over a whole column frame at once, for the lines that pass them.

`validation.validate_line` is the rule book: it finds and words every error of a line. A
first import of a million lines cannot afford it line by line, so this module recognises,
column by column, the lines whose every cell is plainly right and computes their values
exactly as `validate_line` and `importing.merged_values` would for a new offer. Everything
else (an error, a label instead of a code, a number written `1.` or `+5`) is left to the
rule book, which words the messages: this side only ever says "plainly right", so a line it
does not recognise is never wrongly accepted, only checked the slow way. The tests hold both
sides to the same values for every case of the rule tables.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl

from mercato.offers.importing import BatchContext, _discount_errors, merged_values
from mercato.offers.validation import (
    CHANNEL_FIELDS,
    SKU_MAX_LENGTH,
    ChannelPrice,
    FieldRule,
    Mode,
    OfferLine,
    OfferRules,
    channel_of,
)

IDENTIFIER_TYPES = ("EAN", "UPC", "ISBN")
_LOWER_TYPES = tuple(t.lower() for t in IDENTIFIER_TYPES)
_PRICE = r"^[0-9]{1,12}([.,][0-9]{1,2})?$"
_COUNT = r"^[0-9]{1,9}$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_CENTS, _OK, _TEXT = "#cents", "#ok", "#text"  # suffixes of the prepared price columns
_SKU, _STATE, _LOGISTIC = "#sku", "#state", "#logistic"  # prepared columns
_PRICE_KEYS = ("price", "discount_price", "discount_start", "discount_end")


@dataclass(frozen=True)
class _Price:
    cents: pl.Expr  # null when empty
    ok: pl.Expr
    text: pl.Expr  # "19.9" or "19.90" (a channel's, as JSON stores it), null when empty


class _Cells:
    """The frame's columns by header name, "" for a column the file lacks.

    Codes and numbers are checked as sent: one with spaces around it is left to the rule
    book (which strips them), sparing a copy of every column.
    """

    def __init__(self, header: list[str]) -> None:
        self.index = {name: i for i, name in enumerate(header)}

    def has(self, name: str) -> bool:
        return name in self.index

    def __call__(self, name: str) -> pl.Expr:
        if name not in self.index:
            return pl.lit("")
        return pl.col(f"c{self.index[name]}")

    def text(self, name: str) -> pl.Expr:
        """Free text, stripped as the rule book does."""
        return self(name).str.strip_chars()


def plain_offers(
    frame: pl.DataFrame, header: list[str], rules: OfferRules, keep: Sequence[str] = ()
) -> pl.DataFrame:
    """The frame's lines that are plainly right for a new offer, with its values: line,
    sku, product_id_type, product_id and the Offer columns (JSON columns as text), then the
    frame's columns named in `keep`, as they are."""
    cells = _Cells(header)
    # Computed once, before the filter: its checks and the values share them.
    shared = {
        _SKU: cells.text("sku"),
        _STATE: _coded(cells("state"), rules.states),
        _LOGISTIC: pl.when(cells("logistic-class") == "")
        .then(pl.lit(""))
        .otherwise(_coded(cells("logistic-class"), rules.logistic_classes)),
        **_prepared(cells, header),
    }
    sku, state, logistic_code = pl.col(_SKU), pl.col(_STATE), pl.col(_LOGISTIC)
    ok: list[pl.Expr] = [pl.col("extra") == ""]
    ok += [sku != "", sku.str.len_chars() <= SKU_MAX_LENGTH]
    ok.append(cells("update-delete").is_in(["", "update", "UPDATE"]))
    ok.append(cells.text("product-id") != "")
    ok.append(cells("product-id-type").is_in([*IDENTIFIER_TYPES, *_LOWER_TYPES]))
    ok.append(state.is_not_null())
    quantity = cells("quantity")
    ok.append((quantity == "") | quantity.str.contains(_COUNT))
    ok.append(logistic_code.is_not_null())
    ok.append(_leadtime_ok(cells("leadtime-to-ship"), logistic_code, rules))
    price_checks, prices = _prices(cells, rules)
    ok += price_checks
    field_checks, fields_json = _fields(cells, rules.fields)
    ok += field_checks
    ok.append(cells.text("price-additional-info").str.len_chars() <= 500)
    leadtime = cells("leadtime-to-ship")
    return (
        frame.lazy()
        .with_columns(**shared)
        .filter(pl.all_horizontal(ok))
        .select(
            pl.col("line"),
            sku.alias("sku"),
            cells("product-id-type").str.to_uppercase().alias("product_id_type"),
            cells.text("product-id").alias("product_id"),
            state.alias("state"),
            pl.when(quantity == "")
            .then(0)
            .otherwise(quantity.cast(pl.Int64, strict=False))
            .alias("quantity"),
            *prices,
            logistic_code.alias("logistic_class"),
            pl.when(leadtime == "")
            .then(None)
            .otherwise(leadtime.cast(pl.Int64, strict=False))
            .alias("leadtime_to_ship"),
            cells.text("description").alias("description"),
            cells.text("internal-description").alias("internal_description"),
            cells.text("price-additional-info").alias("price_additional_info"),
            fields_json.alias("additional_fields"),
            *keep,
        )
        # A chunk is in memory already: the in-memory engine checks one in about 60 ms of
        # CPU where the streaming one, polars' default, takes about 70 (50,000 lines).
        .collect(engine="in-memory")
    )


def _coded(raw: pl.Expr, spellings: Mapping[str, str]) -> pl.Expr:
    """The code a cell spells exactly, null otherwise."""
    return raw.replace_strict(dict(spellings), default=None, return_dtype=pl.String)


def _leadtime_ok(raw: pl.Expr, logistic_code: pl.Expr, rules: OfferRules) -> pl.Expr:
    bounded = {code: limit for code, limit in rules.max_leadtime.items() if limit is not None}
    value = raw.cast(pl.Int64, strict=False)
    limit = logistic_code.replace_strict(bounded, default=None, return_dtype=pl.Int64)
    within = limit.is_null() | (value <= limit)
    return (raw == "") | (raw.str.contains(_COUNT) & within)


def _prepared(cells: "_Cells", header: list[str]) -> dict[str, pl.Expr]:
    """Each price column's cents and text (null when empty or not plain) and validity,
    computed once for the checks and values that share them."""
    columns: dict[str, pl.Expr] = {}
    for name in header:
        channel = channel_of(name)
        if (channel[0] if channel else name) not in ("price", "discount-price"):
            continue
        raw = cells(name)
        # Exact: the pattern allows 12 digits and 2 decimals, far within a float's 53 bits.
        dotted = raw.str.replace(",", ".", literal=True)
        cents = (dotted.cast(pl.Float64, strict=False) * 100).round().cast(pl.Int64)
        plain = raw.str.contains(_PRICE) & (cents > 0)
        columns[name + _CENTS] = pl.when(plain).then(cents)
        # A price of a column of its own goes as written ("19.9", "007": the database reads
        # the decimal it is); a channel's, in its JSON, as the rule book stores it: "19.90"
        # from "19,9" (a decimal of 2 places holds every plain price exactly).
        exact = dotted.cast(pl.Decimal(14, 2), strict=False).cast(pl.String)
        columns[name + _TEXT] = pl.when(plain).then(exact if channel else dotted)
        columns[name + _OK] = (raw == "") | plain
    return columns


def _price(cells: "_Cells", name: str) -> _Price:
    if not cells.has(name):
        return _Price(pl.lit(None, dtype=pl.Int64), pl.lit(True), pl.lit(None, dtype=pl.String))
    return _Price(pl.col(name + _CENTS), pl.col(name + _OK), pl.col(name + _TEXT))


def _date(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(ok, the date as aaaa-mm-jj text or null)."""
    parsed = raw.str.to_date("%Y-%m-%d", strict=False)
    ok = (raw == "") | (raw.str.contains(_DATE) & parsed.is_not_null())
    return ok, pl.when(raw == "").then(None).otherwise(raw)


def _channel(
    cells: _Cells, suffix: str, fallback: pl.Expr | None
) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """Checks and (price, discount, start, end) texts of one channel's columns."""
    price = _price(cells, "price" + suffix)
    discount = _price(cells, "discount-price" + suffix)
    start_ok, start = _date(cells("discount-start-date" + suffix))
    end_ok, end = _date(cells("discount-end-date" + suffix))
    origin = price.cents if fallback is None else pl.coalesce(price.cents, fallback)
    dated = start.is_not_null() | end.is_not_null()
    checks = [
        price.ok,
        discount.ok,
        start_ok,
        end_ok,
        start.is_null() | end.is_null() | (start <= end),
        discount.cents.is_not_null() | ~dated,
        discount.cents.is_null() | origin.is_null() | (discount.cents < origin),
    ]
    return checks, [price.text, discount.text, start, end]


def _prices(cells: _Cells, rules: OfferRules) -> tuple[list[pl.Expr], list[pl.Expr]]:
    checks, (price, discount, start, end) = _channel(cells, "", None)
    checks.append(price.is_not_null())  # the price is mandatory for a new offer
    default_cents = _price(cells, "price").cents
    entries = []
    for channel in sorted(rules.channels - {rules.default_channel}):
        suffix = f"[channel={channel}]"
        if not any(cells.has(name + suffix) for name in CHANNEL_FIELDS):
            continue
        used = pl.any_horizontal([cells(name + suffix) != "" for name in CHANNEL_FIELDS])
        own_checks, texts = _channel(cells, suffix, default_cents)
        if channel not in rules.shop_channels:
            checks.append(~used)
            continue
        checks += [~used | check for check in own_checks]
        # Only the values the channel has; prices and aaaa-mm-jj dates need no escaping.
        members = [
            pl.when(text.is_not_null()).then(
                pl.concat_str(pl.lit(f'"{key}": "'), text, pl.lit('"'))
            )
            for key, text in zip(_PRICE_KEYS, texts, strict=True)
        ]
        inner = pl.concat_str(members, separator=", ", ignore_nulls=True)
        entry = pl.concat_str(pl.lit(f'"{channel}": {{'), inner, pl.lit("}"))
        entries.append(pl.when(used).then(entry))
    return checks, [
        price.alias("price"),
        discount.alias("discount_price"),
        start.alias("discount_start"),
        end.alias("discount_end"),
        _json_object(entries).alias("channel_prices"),
    ]


def _fields(cells: _Cells, rules: tuple[FieldRule, ...]) -> tuple[list[pl.Expr], pl.Expr]:
    checks: list[pl.Expr] = []
    entries = []
    for rule in rules:
        if not cells.has(rule.code):
            continue
        raw = cells(rule.code)
        if rule.allowed is not None:
            value = _coded(raw, rule.allowed)
            checks.append((raw == "") | value.is_not_null())
        elif rule.type == "INTEGER":
            number = raw.cast(pl.Int64, strict=False)
            within = raw.str.contains(_COUNT)
            if rule.minimum is not None:
                within = within & (number >= float(rule.minimum))
            if rule.maximum is not None:
                within = within & (number <= float(rule.maximum))
            checks.append((raw == "") | within)
            value = number.cast(pl.String)
        else:
            value = cells.text(rule.code)
            raw = value
        if _json_safe(rule.code, *(rule.allowed or {}).values()) and (
            rule.allowed is not None or rule.type == "INTEGER"
        ):
            pair = pl.concat_str(pl.lit(f'"{rule.code}": "'), value, pl.lit('"'))
        else:
            encoded = pl.struct(value.alias(rule.code)).struct.json_encode()
            pair = encoded.str.slice(1).str.strip_suffix("}")
        entries.append(pl.when(raw != "").then(pair))
    return checks, _json_object(entries)


def _json_safe(*texts: str) -> bool:
    return all(json.dumps(text) == f'"{text}"' for text in texts)


def _json_object(entries: Sequence[pl.Expr]) -> pl.Expr:
    if not entries:
        return pl.lit("{}")
    inner = pl.concat_str(entries, separator=", ", ignore_nulls=True).fill_null("")
    return pl.concat_str([pl.lit("{"), inner, pl.lit("}")])


# --- changed lines of existing offers ------------------------------------------------------


def plain_line(values: Mapping[str, Any], rules: OfferRules) -> OfferLine:
    """The OfferLine that validate_line gives for a plainly right line of a NORMAL or
    REPLACE file, from its values as plain_offers computed them (`filled`, which only a
    PARTIAL_UPDATE reads, is left empty)."""
    prices = {}
    default = _channel_price(
        {key: values[key] for key in ("price", "discount_price", "discount_start", "discount_end")}
    )
    if default is not None:
        prices[rules.default_channel] = default
    for channel, entry in json.loads(values["channel_prices"]).items():
        prices[channel] = _channel_price(entry) or ChannelPrice(None, None, None, None)
    return OfferLine(
        line=values["line"],
        sku=values["sku"],
        delete=False,
        product_id=values["product_id"],
        product_id_type=values["product_id_type"],
        filled=frozenset(),
        state=values["state"],
        quantity=values["quantity"],
        description=values["description"],
        internal_description=values["internal_description"],
        price_additional_info=values["price_additional_info"],
        logistic_class=values["logistic_class"] or None,
        leadtime_to_ship=values["leadtime_to_ship"],
        prices=prices,
        fields=json.loads(values["additional_fields"]),
    )


def _channel_price(texts: Mapping[str, str | None]) -> ChannelPrice | None:
    price, discount = texts.get("price"), texts.get("discount_price")
    start, end = texts.get("discount_start"), texts.get("discount_end")
    if price is None and discount is None and start is None and end is None:
        return None
    return ChannelPrice(
        None if price is None else Decimal(price),
        None if discount is None else Decimal(discount),
        None if start is None else date.fromisoformat(start),
        None if end is None else date.fromisoformat(end),
    )


@dataclass
class Merged:
    """Plainly right lines of existing offers merged with them, as the rule book would."""

    updated: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # id, values
    unchanged: int = 0
    rehashed: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # id, row_hash
    doubtful: list[int] = field(default_factory=list)  # lines for the rule book


def merged_updates(
    rows: Sequence[Mapping[str, Any]],
    current: Mapping[int, tuple[int | None, dict[str, Any]]],
    context: BatchContext,
) -> Merged:
    """Merge each row of plain_offers (with its `offer_id` and `digest`) into its offer
    (`current`: row_hash and values by id), by importing.merged_values. A line whose merged
    discounts are wrong, or whose offer is gone, is left to the rule book, which words it."""
    if context.mode == Mode.PARTIAL_UPDATE:
        raise ValueError("A partial update changes only filled cells: use the rule book.")
    merged = Merged()
    for row in rows:
        found = current.get(row["offer_id"])
        if found is None:
            merged.doubtful.append(row["line"])
            continue
        row_hash, base = found
        values = merged_values(plain_line(row, context.rules), base, context)
        if _discount_errors(values):
            merged.doubtful.append(row["line"])
        elif values == base:
            # Same values written differently (19.9 for 19.90): only the digest changes.
            merged.unchanged += 1
            if row_hash != row["digest"]:
                merged.rehashed.append((row["offer_id"], {"row_hash": row["digest"]}))
        else:
            values.update(row_hash=row["digest"], updated_at=context.now)
            merged.updated.append((row["offer_id"], values))
    return merged
