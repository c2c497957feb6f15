"""Frames kept in files by range, so that an import holds one range of its lines at a time.

Sorting a file's lines out against the shop's offers needs each line's keys and each offer's
(about 40 bytes apiece): held together, a file of millions of lines would take the worker's
memory with it. Split by their sku key's range, the lines and the offer of one sku always
share a range, so duplicated skus, unchanged lines and the offers a REPLACE file leaves out
are all found one range at a time. The files are Arrow IPC, written and read by polars.
"""

import shutil
from collections import defaultdict
from pathlib import Path

import polars as pl


def key_range(keys: pl.Series, count: int) -> pl.Series:
    """The range (0 to count - 1) of each sku key; a line without a sku goes to the first."""
    return (keys % count).fill_null(0).cast(pl.Int64)


class FrameFiles:
    """Frames of one kind ("keys", "offers"...) kept by number, several per number, in
    `directory`. The directory is made at the first frame kept, emptied first of what an
    earlier attempt left there (a worker killed midway)."""

    def __init__(self, directory: Path) -> None:
        self._path = directory
        self._made: Path | None = None
        self._files: dict[tuple[str, int], int] = defaultdict(int)

    @property
    def _directory(self) -> Path:
        if self._made is None:
            shutil.rmtree(self._path, ignore_errors=True)
            self._path.mkdir(parents=True)
            self._made = self._path
        return self._made

    def add(self, kind: str, frame: pl.DataFrame, numbers: pl.Series) -> None:
        """Keep each row of `frame` under its number in `numbers` (one per row)."""
        if frame.is_empty():
            return
        numbered = frame.with_columns(numbers.alias("#number"))
        for (number,), part in numbered.partition_by("#number", as_dict=True).items():
            assert isinstance(number, int)
            count = self._files[(kind, number)]
            part.drop("#number").write_ipc(self._directory / f"{kind}-{number}-{count}.arrow")
            self._files[(kind, number)] = count + 1

    def read(self, kind: str, number: int, schema: pl.Schema) -> pl.DataFrame:
        """The rows kept under `number`, in the order they were added."""
        # Read as bytes rather than mapped: a mapped file's pages would count in the
        # worker's resident memory for as long as the frame lives.
        frames = [
            pl.read_ipc((self._directory / f"{kind}-{number}-{index}.arrow").read_bytes())
            for index in range(self._files.get((kind, number), 0))
        ]
        return pl.concat(frames) if frames else pl.DataFrame(schema=schema)

    def remove(self) -> None:
        """Remove the files; the frames kept are forgotten."""
        if self._made is not None:
            shutil.rmtree(self._made, ignore_errors=True)
        self._made = None
        self._files.clear()
