"""Product import benchmark: the real pipeline (transformation, then integration), in this
process, against COPY of the same file as the floor.

Usage (from the repository, with the project's virtualenv):

    DATABASE_URL=postgresql://user@host:5432/postgres .venv/bin/python bench/products_import.py
    .venv/bin/python bench/products_import.py --sqlite
    ... --products 10000 --errors 0.05        # a quick run, 5% of lines with a defect

It generates an operator-format product file with ../shared/bench/gen_products.py (EANs
outside the reference catalog's), loads the reference marketplace (`mercato setup`), opens a
shop and times, in one run:

1. `COPY` of the file into an unindexed table of text columns (PostgreSQL only): the floor;
2. the import of the file (every product new): transformation, then integration;
3. the same file again: every product is found by its EAN, the shop's own and still waiting
   for review, so its content is replaced (sent again) rather than duplicated.

On PostgreSQL the benchmark works in a database of its own (`mercato_products_bench` on
DATABASE_URL's server, see offers_import.py), created at the start and dropped at the end.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from offers_import import (
    GENERATORS,
    bench_main,
    configure,
    copy_floor,
)

SHOP_NAME = "Boutique Benchmark Produits"
# Past the reference catalog's EANs (ean13(0) to ean13(199)): every product is new.
FIRST_EAN = 1_000_000


@dataclass
class Step:
    name: str
    seconds: float
    transformation: float | None = None
    counters: str = ""
    # CPU seconds of this process (every thread; of which the transformation) and of its
    # PostgreSQL backend: less moved than times by the other work of a shared machine.
    cpu: tuple[float, float, float | None] | None = None


def backend_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend, when the server runs here."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000, help="default: %(default)s")
    parser.add_argument("--errors", type=float, default=0.05, help="default: %(default)s")
    parser.add_argument("--sqlite", action="store_true", help="Run on a SQLite file instead.")
    parser.add_argument("--database", default="mercato_products_bench")
    parser.add_argument("--keep", action="store_true", help="Keep the database and files.")
    return parser.parse_args()


def generate(workdir: Path, products: int, errors: float) -> Path:
    path = workdir / "products.csv"
    command = [
        sys.executable,
        str(GENERATORS / "gen_products.py"),
        str(products),
        str(path),
        "--start",
        str(FIRST_EAN),
        "--errors",
        str(errors),
    ]
    subprocess.run(command, check=True)  # noqa: S603 (our generator, this interpreter)
    return path


def prepare() -> int:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction

    from mercato.shops.services import create_shop

    call_command("migrate", verbosity=0)
    call_command("setup", marketplace=Path(settings.REFERENCE_MARKETPLACE_DIR), verbosity=0)
    with transaction.atomic():
        shop, _ = create_shop(SHOP_NAME)
    return shop.id


def run_import(shop_id: int, path: Path, name: str) -> Step:
    from django.db import transaction

    from mercato.imports.models import ProductImport
    from mercato.imports.services import create_product_import, run_product_import
    from mercato.shops.models import Shop

    shop = Shop.objects.get(id=shop_id)
    with transaction.atomic(), path.open("rb") as content:
        product_import = create_product_import(
            shop, content=content, file_name=path.name, operator_format=True, enqueue=False
        )
    cpu_start, db_start = time.process_time(), backend_cpu()
    start = time.perf_counter()
    transformed: list[float] = []

    def progress(current: ProductImport) -> None:
        # The transformation's last batch: the integration reports only once its own first
        # batch is written, which is no part of the transformation.
        if current.status == "TRANSFORMATION_RUNNING":
            transformed[:] = (time.perf_counter() - start, time.process_time() - cpu_start)

    run_product_import(product_import.id, progress)
    seconds = time.perf_counter() - start
    db_end = backend_cpu()
    db = db_end - db_start if db_end is not None and db_start is not None else None
    cpu = (time.process_time() - cpu_start, transformed[1] if transformed else 0.0, db)
    done = ProductImport.objects.get(id=product_import.id)
    if done.status != "COMPLETE":
        sys.exit(f"Import {done.id} ended {done.status}: {done.reason_status}")
    counters = (
        f"read {done.transform_lines_read}, transformed {done.transform_lines_in_success}, "
        f"in error {done.transform_lines_in_error}, created {done.products_created}, "
        f"matched {done.products_matched}, sent again {done.products_updated}, "
        f"refused {done.products_invalid}"
    )
    return Step(name, seconds, transformed[0] if transformed else None, counters, cpu)


def print_table(title: str, steps: list[Step], floor: float | None) -> None:
    print(title)
    print(
        "| step | time | x COPY | of which transformation "
        "| CPU: Python (transformation), PostgreSQL | counters |"
        "\n|---|---|---|---|---|---|"
    )
    for step in steps:
        ratio = f"{step.seconds / floor:.1f}" if floor else "-"
        part = f"{step.transformation:.2f} s" if step.transformation is not None else "-"
        cpu = "-"
        if step.cpu is not None:
            python, transformation, database = step.cpu
            cpu = f"{python:.2f} s ({transformation:.2f} s), "
            cpu += f"{database:.2f} s" if database is not None else "-"
        print(
            f"| {step.name} | {step.seconds:.2f} s | {ratio} | {part} | {cpu} | {step.counters} |"
        )


def run(args: argparse.Namespace, workdir: Path, env: dict[str, str]) -> None:
    path = generate(workdir, args.products, args.errors)
    configure(env)
    shop_id = prepare()
    floor = None if args.sqlite else copy_floor(env["DATABASE_URL"], path)
    steps = [Step("COPY into a text table (the floor)", floor)] if floor else []
    steps.append(run_import(shop_id, path, "import, every product new"))
    again = workdir / "products-again.csv"
    shutil.copyfile(path, again)
    steps.append(run_import(shop_id, again, "same file again, every product sent again"))
    engine = "SQLite" if args.sqlite else "PostgreSQL"
    size = path.stat().st_size / 1e6
    print_table(f"\n{engine}, {args.products} products ({size:.1f} MB):", steps, floor)


def main() -> None:
    bench_main(parse_args(), run, prefix="mercato-products-bench-")


if __name__ == "__main__":
    main()
