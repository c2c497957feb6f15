"""Helpers to write offer files in tests."""


def ean13(n: int) -> str:
    """The EAN of reference product n (as ../shared/bench/gen_products.py numbers them)."""
    body = f"{300000000000 + n:012d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def csv_file(header: str, *lines: str) -> str:
    return "\n".join([header, *lines]) + "\n"
