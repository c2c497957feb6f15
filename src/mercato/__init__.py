"""mercato: a self-hostable marketplace integration platform."""

import os

__version__ = "0.1.0"

# polars allocates with jemalloc, which keeps freed pages for seconds by default. An offer
# import frees and allocates hundreds of MB in turn (reading the file, the shop's offers,
# each chunk), and the worker's resident memory would hold the sum: returning freed pages
# within 200 ms keeps its peak under 512 MB for a million lines (bench/README.md). Set
# before polars is first imported; an operator's own setting wins.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:200,muzzy_decay_ms:0")
