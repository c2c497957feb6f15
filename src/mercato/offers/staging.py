"""An import's lines sorted out before anything is applied: which have something to do.

The file is read once for its keys: each line's number, sku key, digest and product
reference as a hash (40 bytes a line), and the file's distinct references. Meanwhile the
shop's offers are read as a stream, each kept as its sku key, id, product and row_hash. A
line whose digest is an offer's row_hash is the line that last set it (the digest hashes
every cell, the sku among them): unchanged, it is never parsed again. The other lines get
their offer by sku key at once; when their chunk is read a second time, their product by
reference (the file's distinct references looked up once) and, for a new offer, whether its
sku went to an offer deleted less than 30 days ago.

Joining here rather than in the database spares sending a million lines to it: a first
import looks up a hundred thousand references, an unchanged re-import none. Memory stays
at about 40 bytes a line and as much an offer, whatever the length of the skus; a file
larger than MERCATO_IMPORT_STAGE_BYTES keeps them in files by key range and sorts out one
range at a time (offers.key_ranges).
"""

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection, transaction

from mercato.catalog.models import Product, ProductIdentifier
from mercato.offers.bulk import copy_frame, read_frames
from mercato.offers.key_ranges import FrameFiles, key_range
from mercato.offers.models import DeletedOffer, Offer

REFERENCES = {"id_type": pl.String, "id_value": pl.String}
SKU_KEY = ["key", "key2"]
# "ref": the line's product reference as a hash, to look up only the references of the
# lines with something to do (a collision would only send a line to the rule book).
KEYS = {"line": pl.Int64, "key": pl.UInt64, "key2": pl.UInt64, "digest": pl.Int64}
KEYS["ref"] = pl.UInt64
_READ = {"sku": pl.String, "offer_id": pl.Int64, "offer_product": pl.Int64, "row_hash": pl.Int64}
_OFFER = ["offer_id", "offer_product", "row_hash"]
_OFFERS = {"key": pl.UInt64, "key2": pl.UInt64, "offer_id": pl.Int64, "offer_product": pl.Int64}
_OFFERS["row_hash"] = pl.Int64
_WORK = {"line": pl.Int64, "offer_id": pl.Int64, "offer_product": pl.Int64}
_PRODUCTS = {**REFERENCES, "product": pl.Int64}
_INSERT_ROWS = 10_000
_READ_ROWS = 20_000  # rows as Python tuples: a smaller piece, a lower peak


def sku_key(sku: pl.Expr) -> list[pl.Expr]:
    """A stripped sku as two 8-byte hashes (null for none): skus compare by them. Two
    distinct skus would have to collide on both, odds of about one in 10^26 for a file and
    a shop of a million skus each."""
    return [
        pl.when(sku != "").then(sku.hash(seed=seed)).alias(name)
        for seed, name in enumerate(SKU_KEY)
    ]


def reference_key() -> pl.Expr:
    """The hash of a frame's id_type and id_value (null without a value)."""
    both = pl.concat_str("id_type", pl.lit("\x1f"), "id_value")
    return pl.when(pl.col("id_value") != "").then(both.hash()).alias("ref")


class Stage:
    """The sorted-out lines of one import, in this process. With `ranges` above 1, the
    lines' keys and the shop's offers are kept in files by key range (offers.key_ranges)
    and sorted out one range at a time, and the lines with something to do in files by
    chunk: what the process holds no longer grows with the file."""

    def __init__(self, import_id: int, ranges: int = 1) -> None:
        self.references = f"offer_import_{import_id}_references"
        self.ranges = ranges
        self.products = pl.DataFrame(schema=_PRODUCTS)
        self.deleted = pl.Series("sku", [], dtype=pl.String)
        self.duplicated = pl.Series("line", [], dtype=pl.Int64)
        self._keys: list[pl.DataFrame] = []
        self._offers = pl.DataFrame(schema=_OFFERS)
        self._work = pl.DataFrame(schema=_WORK)
        # Under the stored files, by import: an attempt taken up again clears what the
        # one before it left.
        place = Path(settings.MEDIA_ROOT) / "staging" / f"offer-import-{import_id}"
        self._files = FrameFiles(place) if ranges > 1 else None
        self._chunk_starts: list[int] = []  # first lines of the chunks, when kept by chunk
        self._not_carried: list[int] = []
        self._looked_up = False  # the products were looked up while the file was read

    def add_keys(self, keys: pl.DataFrame) -> None:
        """Keep a chunk's lines' keys (see KEYS) for `classify`."""
        if self._files is None:
            self._keys.append(keys)
        else:
            self._files.add("keys", keys, key_range(keys["key"], self.ranges))

    def has_offers(self, shop_id: int) -> bool:
        return Offer.objects.filter(shop_id=shop_id).exists()

    def look_up(self, references: pl.DataFrame) -> None:
        """Look up now the products of `references` (id_type, id_value, ref; none of them
        given before), for an import whose every line has something to do: the file's
        products are found while it is still being read, and `classify` takes them."""
        self.products = pl.concat([self.products, self._products(references)])
        self._looked_up = True

    def read_offers(self, shop_id: int) -> None:
        """Read the shop's offers, each as its sku key, id, product and row_hash."""
        query = (
            f"SELECT sku, id, product_id, row_hash FROM {Offer._meta.db_table} "  # noqa: S608
            "WHERE shop_id = %s"
        )
        for piece in _read(query, [shop_id], _READ):
            self.add_offers(piece.select(*sku_key(pl.col("sku")), *_OFFER))

    def add_offers(self, offers: pl.DataFrame) -> None:
        """Keep offers of the shop (key, key2, offer_id, offer_product, row_hash)."""
        if self._files is None:
            self._offers = pl.concat([self._offers, offers])
        else:
            self._files.add("offers", offers, key_range(offers["key"], self.ranges))

    def classify(
        self,
        references: pl.DataFrame,
        shop_id: int,
        deleted_since: datetime,
        *,
        replace: bool,
        chunk_starts: Sequence[int] = (),
    ) -> None:
        """Sort the lines out from their keys (`add_keys`) and the file's distinct
        references (id_type, id_value, ref): the duplicated lines; the lines with something
        to do (not set last by themselves, or duplicated) with their offer; the products
        their references name and the recently deleted skus; for REPLACE, the offers the
        file does not carry. The keys and offers are let go. `chunk_starts`: the first line
        of each chunk the lines will be asked for by (`todo_between`), when kept in files."""
        duplicated, named_by, leftovers = [], [], []
        todo = 0  # lines with something to do
        self._chunk_starts = sorted(chunk_starts)
        starts = pl.Series(self._chunk_starts, dtype=pl.Int64)
        for keys, offers in self._by_range():
            found = _sort_out(keys, offers, replace=replace)
            todo += found.todo.height
            duplicated.append(found.duplicated)
            named_by.append(found.todo.select("ref").drop_nulls())
            leftovers.append(found.leftovers)
            if self._files is None:  # the one range: in line order already
                self._work = found.work
            else:
                chunk = starts.search_sorted(found.work["line"], "right").cast(pl.Int64) - 1
                self._files.add("work", found.work, chunk)
        self.duplicated = pl.concat(duplicated)
        if todo:
            if not self._looked_up:
                refs = pl.concat(named_by).unique()
                self.products = self._products(references.join(refs, on="ref", how="semi"))
            self.deleted = _deleted_skus(shop_id, deleted_since)
        if replace:
            self._not_carried = pl.concat(leftovers).sort().to_list()
        self._keys, self._offers = [], pl.DataFrame(schema=_OFFERS)

    def _by_range(self) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
        """The lines' keys and the shop's offers, a key range at a time (all at once when
        they are held in memory)."""
        if self._files is None:
            yield pl.concat([pl.DataFrame(schema=KEYS), *self._keys]), self._offers
            return
        for number in range(self.ranges):
            keys = self._files.read("keys", number, pl.Schema(KEYS))
            yield keys, self._files.read("offers", number, pl.Schema(_OFFERS))

    def todo_between(self, first: int, last: int) -> pl.DataFrame:
        """The lines from `first` to `last` that have something to do, with their offer
        (line, offer_id, offer_product); the others are unchanged. When kept by chunk,
        `first` must be a line of the chunk asked for."""
        if self._files is None:
            return self._work.filter(pl.col("line").is_between(first, last))
        chunk = bisect.bisect_right(self._chunk_starts, first) - 1
        work = self._files.read("work", chunk, pl.Schema(_WORK))
        return work.filter(pl.col("line").is_between(first, last)).sort("line")

    def work(self, lines: pl.DataFrame, todo: pl.DataFrame) -> pl.DataFrame:
        """What lines (line, sku, id_type, id_value) with something to do (`todo`, from
        todo_between) need: line, offer_id, offer_product, product, deleted (in a thread:
        polars only)."""
        new = pl.col("offer_id").is_null()
        return (
            join_lines(lines, todo)
            .join(self.products, on=list(REFERENCES), how="left", maintain_order="left")
            .select(
                "line",
                "offer_id",
                "offer_product",
                "product",
                (new & pl.col("sku").is_in(self.deleted.implode())).alias("deleted"),
            )
        )

    def _products(self, references: pl.DataFrame) -> pl.DataFrame:
        """The product (not rejected) that each distinct reference names; references that
        name none are left out."""
        references = references.filter(pl.col("id_value") != "").select(list(REFERENCES))
        if references.is_empty():
            return pl.DataFrame(schema=_PRODUCTS)
        query = (
            f"SELECT r.id_type, r.id_value, p.id FROM {self.references} r "  # noqa: S608
            f"JOIN {ProductIdentifier._meta.db_table} i "
            "ON i.type = r.id_type AND i.value = r.id_value "
            f"JOIN {Product._meta.db_table} p ON p.id = i.product_id AND p.status <> %s"
        )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.references}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {self.references} (id_type text, id_value text)"
            )
            if connection.vendor == "postgresql":
                copy_frame(self.references, list(REFERENCES), references)
            else:
                statement = f"INSERT INTO {self.references} VALUES (%s, %s)"  # noqa: S608
                for start in range(0, references.height, _INSERT_ROWS):
                    cursor.executemany(statement, references.slice(start, _INSERT_ROWS).rows())
            cursor.execute(f"ANALYZE {self.references}")
            found = [pl.DataFrame(schema=_PRODUCTS)]
            found += _read(query, [Product.Status.REJECTED], _PRODUCTS)
            cursor.execute(f"DROP TABLE {self.references}")
        return pl.concat(found)

    def offers_not_carried(self, shop_id: int, limit: int) -> list[Offer]:
        """Up to `limit` of the shop's offers whose sku no line of the file carries (as they
        stood when the lines were sorted out; those deleted since are passed over)."""
        while self._not_carried:
            batch, self._not_carried = self._not_carried[:limit], self._not_carried[limit:]
            found = list(
                Offer.objects.filter(shop_id=shop_id, id__in=batch)
                .only("id", "shop_id", "sku", "product_id")
                .order_by("id")
            )
            if found:
                return found
        return []

    def drop(self) -> None:
        self.products = self._offers = self._work = pl.DataFrame()
        self._looked_up = False
        self.duplicated = pl.Series("line", [], dtype=pl.Int64)
        self._not_carried = []
        self._keys = []
        if self._files is not None:
            self._files.remove()
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.references}")


def join_lines(left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """The rows of both frames joined on `line`, in `left`'s order: side by side, without a
    join's hashing, when both hold the same lines in the same order (a chunk whose every
    line has something to do)."""
    if left["line"].equals(right["line"]):
        return left.hstack(right.drop("line"))
    return left.join(right, on="line", maintain_order="left")


@dataclass(frozen=True)
class _Found:
    duplicated: pl.Series  # lines
    todo: pl.DataFrame  # the keys of the lines with something to do
    work: pl.DataFrame  # those lines with their offer (_WORK)
    leftovers: pl.Series  # for REPLACE, the offers no line carries


def _sort_out(keys: pl.DataFrame, offers: pl.DataFrame, *, replace: bool) -> _Found:
    """Stage.classify for lines' keys and the offers of the same skus (a key range)."""
    named = keys.filter(pl.col("key").is_not_null())
    duplicated = _duplicated(named)
    last_set = offers.select(digest="row_hash").drop_nulls()
    # No offer a line could have set last (a shop's first import): the join is skipped.
    todo = keys if last_set.is_empty() else keys.join(last_set, on="digest", how="anti")
    # A duplicated line found unchanged still has something to do: its error.
    if not duplicated.is_empty() and todo.height < keys.height:
        twice = keys.filter(pl.col("line").is_in(duplicated.implode()))
        todo = pl.concat([todo, twice]).unique("line")
    leftovers = pl.Series("offer_id", [], dtype=pl.Int64)
    if replace:
        # By the first key alone, lighter: a collision could only spare an offer.
        carried = named.select("key").unique()
        leftovers = offers.join(carried, on="key", how="anti")["offer_id"]
    return _Found(duplicated, todo, _with_offers(todo, offers), leftovers)


def _with_offers(todo: pl.DataFrame, offers: pl.DataFrame) -> pl.DataFrame:
    """The lines (line, key, key2) with their offer: line, offer_id, offer_product. Joined
    on the first key, then the second compared: a join on both keys builds a table several
    times the size of the offers."""
    if offers.is_empty():
        return todo.select(
            pl.col("line").sort(),
            pl.lit(None, dtype=pl.Int64).alias("offer_id"),
            pl.lit(None, dtype=pl.Int64).alias("offer_product"),
        )
    if todo.height < offers.height:
        # Only the offers the lines may name: a join would hash every offer of the shop.
        offers = offers.filter(pl.col("key").is_in(todo["key"].implode()))
    joined = todo.join(offers, on="key", how="left")
    matched = joined.filter(pl.col("key2") == pl.col("key2_right")).select(list(_WORK))
    unmatched = todo.join(matched, on="line", how="anti").select(
        "line",
        pl.lit(None, dtype=pl.Int64).alias("offer_id"),
        pl.lit(None, dtype=pl.Int64).alias("offer_product"),
    )
    return pl.concat([matched, unmatched]).sort("line")


def _duplicated(keys: pl.DataFrame) -> pl.Series:
    """The lines whose sku key stands on other lines too. The first key alone is sorted:
    the keys found on several lines are few, and only their lines are compared on both
    keys. Sorting every line's two keys with its number took four times the memory (100 MB
    more for two million lines), a hash table of them more still."""
    ordered = keys["key"].sort()
    repeated = ordered.filter(ordered == ordered.shift(1))
    if repeated.is_empty():
        return pl.Series("line", [], dtype=pl.Int64)
    candidates = keys.filter(pl.col("key").is_in(repeated.implode()))
    return candidates.filter(pl.len().over(SKU_KEY) > 1)["line"]


def _deleted_skus(shop_id: int, since: datetime) -> pl.Series:
    """The skus of the shop's offers deleted after `since`."""
    skus = DeletedOffer.objects.filter(shop_id=shop_id, deleted_at__gt=since)
    return pl.Series("sku", list(skus.values_list("sku", flat=True).distinct()), dtype=pl.String)


def _read(query: str, params: list[Any], schema: dict[str, Any]) -> Iterator[pl.DataFrame]:
    """A query's rows as frames of bounded size: streamed by COPY on PostgreSQL."""
    if connection.vendor == "postgresql":
        yield from read_frames(query, params, schema)
        return
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        while rows := cursor.fetchmany(_READ_ROWS):
            yield pl.DataFrame(rows, schema=schema, orient="row")
