"""mercato: a self-hostable marketplace integration platform."""

import os

__version__ = "0.1.0"

# polars allocates with jemalloc, which keeps freed pages for seconds by default. An offer
# import frees and allocates hundreds of MB in turn (reading the file, the shop's offers,
# each chunk), and the worker's resident memory would hold the sum: returning freed pages
# after 2 s keeps its peak under 512 MB for a million lines, while a chunk (written every
# 0.2-0.3 s) still reuses the pages of the chunks before it. At 200 ms they went back to
# the system just before the next chunk took them again: 405,000 page faults in a first
# import against 210,000, about half a second of CPU (bench/README.md). Set before polars
# is first imported; an operator's own setting wins.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:2000,muzzy_decay_ms:0")
