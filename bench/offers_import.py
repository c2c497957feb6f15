"""Offer import benchmark: the real pipeline in a `mercato worker`, against COPY as the floor.

Usage (from the repository, with the project's virtualenv):

    DATABASE_URL=postgresql://user@host:5432/postgres .venv/bin/python bench/offers_import.py
    .venv/bin/python bench/offers_import.py --sqlite
    ... --products 2000 --offers 20000        # a quick run

It generates products and an offer file (with ES_B2C prices) with ../shared/bench/, loads
the products through the catalog loader (`mercato setup` on a copy of the reference
marketplace whose products.csv is the generated one), opens a shop on FR_B2C and ES_B2C,
starts a `mercato worker` subprocess and times, in one run:

1. `COPY` of the offer file into an unindexed table of text columns (PostgreSQL only): the
   floor that the other times are divided by;
2. the NORMAL import of the file (every offer new);
3. the same file again (every offer unchanged);
4. the file with 1% of its prices changed.

Each import is uploaded with `create_offer_import`, run by the worker, and timed from the
import's start to its end as the worker records them. The worker's peak RSS is read from
/proc/<pid>/status (VmHWM, reset before each import). On PostgreSQL the benchmark works in a
database of its own (`mercato_bench` on DATABASE_URL's server), created at the start and
dropped at the end; it refuses to reuse a database of that name that it did not create.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
GENERATORS = REPO.parent / "shared" / "bench"
MARKER = "mercato offers_import benchmark"
CHANGED_EVERY = 100  # one line in a hundred gets a new price: 1%
SHOP_NAME = "Boutique Benchmark"


@dataclass
class Step:
    name: str
    seconds: float
    peak_rss_kb: int | None = None
    counters: str = ""
    peak_exact: bool = True  # VmHWM after a reset, not the highest sampled VmRSS


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000, help="default: %(default)s")
    parser.add_argument("--offers", type=int, default=1_000_000, help="default: %(default)s")
    parser.add_argument("--sqlite", action="store_true", help="Run on a SQLite file instead.")
    parser.add_argument("--database", default="mercato_bench", help="default: %(default)s")
    parser.add_argument("--keep", action="store_true", help="Keep the database and files.")
    parser.add_argument("--timeout", type=float, default=7200, help="Seconds per import.")
    return parser.parse_args()


# --- the benchmark's own PostgreSQL database ----------------------------------------------


def bench_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path="/" + name))


def _database_comment(cursor: Any, name: str) -> str | None:
    cursor.execute(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
        (name,),
    )
    row = cursor.fetchone()
    return None if row is None else (row[0] or "")


def create_database(server_url: str, name: str) -> None:
    """A new database marked as the benchmark's; a leftover of an earlier run is replaced."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url, autocommit=True) as admin, admin.cursor() as cursor:
        comment = _database_comment(cursor, name)
        if comment is not None and comment != MARKER:
            sys.exit(
                f"Database {name!r} exists and is not this benchmark's: refusing to touch it. "
                "Choose another name with --database."
            )
        if comment == MARKER:
            cursor.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        cursor.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(name), sql.Literal(MARKER)
            )
        )


def drop_database(server_url: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url, autocommit=True) as admin, admin.cursor() as cursor:
        if _database_comment(cursor, name) == MARKER:
            cursor.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))


def settle() -> None:
    """Write out the dirty pages of earlier steps (PostgreSQL), so that no timed step pays
    for the one before it: loading the products alone fills a checkpoint's worth of WAL,
    which PostgreSQL would otherwise write out during the next step. Each step still pays
    for its own writes and the checkpoints they start. Needs a superuser or pg_checkpoint;
    without either, the steps run as they come."""
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError:  # not allowed to
        return


def copy_floor(url: str, offers: Path) -> float:
    """COPY the file into an unindexed table of text columns; the seconds it took."""
    import psycopg
    from psycopg import sql

    with offers.open(encoding="utf-8") as f:
        columns = f.readline().rstrip("\n").split(";")
    table = sql.Identifier("bench_copy_floor")
    definition = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(c)) for c in columns)
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE TABLE {} ({})").format(table, definition))
        connection.commit()
        start = time.perf_counter()
        copy = sql.SQL("COPY {} FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)")
        with offers.open("rb") as f, cursor.copy(copy.format(table)) as stream:
            while chunk := f.read(1 << 20):
                stream.write(chunk)
        connection.commit()
        seconds = time.perf_counter() - start
        cursor.execute(sql.SQL("DROP TABLE {}").format(table))
        connection.commit()
    return seconds


# --- files --------------------------------------------------------------------------------


def generate(workdir: Path, products: int, offers: int) -> tuple[Path, Path]:
    products_csv = workdir / "products.csv"
    offers_csv = workdir / "offers.csv"
    for script, args in (
        ("gen_products.py", [str(products), str(products_csv)]),
        ("gen_offers.py", [str(offers), str(offers_csv), "--products", str(products)]),
    ):
        extra = ["--channels"] if script == "gen_offers.py" else []
        # Our own generator scripts, run with this interpreter: no untrusted input.
        command = [sys.executable, str(GENERATORS / script), *args, *extra]
        subprocess.run(command, check=True)  # noqa: S603
    return products_csv, offers_csv


def with_changed_prices(offers: Path, out: Path) -> int:
    """A copy of `offers` where one line in CHANGED_EVERY costs 1.00 more; lines changed."""
    changed = 0
    with offers.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as target:
        header = source.readline()
        target.write(header)
        price = header.rstrip("\n").split(";").index("price")
        for number, line in enumerate(source):
            if number % CHANGED_EVERY == 0:
                cells = line.rstrip("\n").split(";")
                cells[price] = f"{float(cells[price]) + 1:.2f}"
                line = ";".join(cells) + "\n"
                changed += 1
            target.write(line)
    return changed


def marketplace_with(products_csv: Path, workdir: Path) -> Path:
    """The reference marketplace with the generated products in place of its own."""
    from django.conf import settings

    directory = workdir / "marketplace"
    shutil.copytree(settings.REFERENCE_MARKETPLACE_DIR, directory)
    shutil.copyfile(products_csv, directory / "products.csv")
    return directory


# --- the worker and its memory ------------------------------------------------------------


def rss_kb(pid: int, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


class PeakRss:
    """The worker's peak resident memory over one import.

    VmHWM after a reset of the peak (`5` to /proc/<pid>/clear_refs); where the kernel does
    not allow the reset, the highest VmRSS sampled every 20 ms.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.reset = False
        self.sampled = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "PeakRss":
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
            self.reset = True
        except OSError:
            self.reset = False
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.sampled = max(self.sampled, rss_kb(self.pid, "VmRSS") or 0)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peak_kb(self) -> int:
        return (rss_kb(self.pid, "VmHWM") or 0) if self.reset else self.sampled


@contextmanager
def worker(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    command = [sys.executable, "-m", "mercato", "worker", "--interval", "0.1"]
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 (this interpreter, fixed arguments)
            command, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            yield process
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


# --- the mercato side (Django configured for the benchmark's database) --------------------


def prepare_catalog(products_csv: Path, workdir: Path) -> tuple[int, float, list[str]]:
    """Load the products through `mercato setup`, open the shop: its id, the load's time and
    what `setup` said of the products."""
    import io

    from django.core.management import call_command
    from django.db import transaction

    from mercato.shops.services import create_shop

    call_command("migrate", verbosity=0)
    out = io.StringIO()
    start = time.perf_counter()
    call_command("setup", marketplace=marketplace_with(products_csv, workdir), stdout=out)
    seconds = time.perf_counter() - start
    said = [line.strip() for line in out.getvalue().splitlines() if "products" in line]
    with transaction.atomic():
        shop, _ = create_shop(SHOP_NAME, channels=["FR_B2C", "ES_B2C"])
    return shop.id, seconds, said


def run_import(
    shop_id: int, offers: Path, process: subprocess.Popen[bytes], timeout: float
) -> Step:
    """Upload `offers`, let the worker run it, and wait for its end."""
    from django.db import transaction

    from mercato.imports.models import ImportStatus, OfferImport
    from mercato.imports.services import create_offer_import
    from mercato.shops.models import Shop

    shop = Shop.objects.get(id=shop_id)
    settle()
    with PeakRss(process.pid) as peak:
        with transaction.atomic(), offers.open("rb") as content:
            offer_import, _ = create_offer_import(
                shop, content=content, file_name=offers.name, mode="NORMAL", origin="API"
            )
        deadline = time.monotonic() + timeout
        while offer_import.status not in (ImportStatus.COMPLETE, ImportStatus.FAILED):
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"The worker stopped or timed out on import {offer_import.id}.")
            time.sleep(0.1)
            offer_import = OfferImport.objects.get(id=offer_import.id)
    if offer_import.status == ImportStatus.FAILED:
        sys.exit(f"Import {offer_import.id} failed: {offer_import.reason_status}")
    assert offer_import.started_at and offer_import.finished_at
    seconds = (offer_import.finished_at - offer_import.started_at).total_seconds()
    counters = (
        f"read {offer_import.lines_read}, inserted {offer_import.offer_inserted}, "
        f"updated {offer_import.offer_updated}, errors {offer_import.lines_in_error}"
    )
    return Step("", seconds, peak.peak_kb(), counters, peak.reset)


# --- the run ------------------------------------------------------------------------------


def configure(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mercato.settings")
    import django

    django.setup()


def imports(
    shop_id: int, offers: Path, workdir: Path, env: dict[str, str], timeout: float
) -> list[Step]:
    changed = workdir / "offers-1pct-changed.csv"
    count = with_changed_prices(offers, changed)
    # Each file under its own name, so that no upload is taken for a duplicate of another.
    again = workdir / "offers-again.csv"
    shutil.copyfile(offers, again)
    steps = []
    with worker(env, workdir / "worker.log") as process:
        for name, path in (
            ("NORMAL import, all offers new", offers),
            ("same file again, unchanged", again),
            (f"{count} prices changed (1%)", changed),
        ):
            step = run_import(shop_id, path, process, timeout)
            step.name = name
            steps.append(step)
    return steps


def print_table(title: str, steps: list[Step], floor: float | None) -> None:
    print(title)
    print("| step | time | x COPY | worker peak RSS (VmHWM) | counters |\n|---|---|---|---|---|")
    for step in steps:
        ratio = f"{step.seconds / floor:.1f}" if floor else "-"
        rss = f"{step.peak_rss_kb / 1024:.0f} MB" if step.peak_rss_kb else "-"
        rss += "" if step.peak_exact else " (sampled)"
        print(f"| {step.name} | {step.seconds:.2f} s | {ratio} | {rss} | {step.counters} |")


def main() -> None:
    bench_main(parse_args(), run, prefix="mercato-bench-")


def bench_main(
    args: argparse.Namespace,
    run: Callable[[argparse.Namespace, Path, dict[str, str]], None],
    prefix: str,
) -> None:
    """Run a benchmark in a work directory and, on PostgreSQL, a database of its own; both
    are removed at the end unless --keep."""
    server = os.environ.get("DATABASE_URL", "")
    if not args.sqlite and not server.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (or pass --sqlite).")
    if not args.sqlite:
        create_database(server, args.database)
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    env = {**os.environ, "MERCATO_HOME": str(workdir / "home")}
    env.pop("DATABASE_URL", None)
    if not args.sqlite:
        env["DATABASE_URL"] = bench_url(server, args.database)
    try:
        run(args, workdir, env)
    finally:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if not args.sqlite and not args.keep:
            drop_database(server, args.database)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, workdir: Path, env: dict[str, str]) -> None:
    start = time.perf_counter()
    products_csv, offers = generate(workdir, args.products, args.offers)
    print(
        f"generated {args.products} products, {args.offers} offers "
        f"({offers.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.1f} s"
    )
    configure(env)
    shop_id, load, said = prepare_catalog(products_csv, workdir)
    print(f"products loaded through `mercato setup` in {load:.1f} s ({'; '.join(said)})")
    settle()
    floor = None if args.sqlite else copy_floor(env["DATABASE_URL"], offers)
    steps = [Step("COPY into a text table (the floor)", floor)] if floor else []
    steps += imports(shop_id, offers, workdir, env, args.timeout)
    engine = "SQLite" if args.sqlite else "PostgreSQL"
    print_table(f"\n{engine}, {args.offers} offers, {args.products} products:", steps, floor)


if __name__ == "__main__":
    main()
