"""Reading a marketplace directory: every kind of configuration issue, exactly reported."""

from pathlib import Path

import pytest
from catalog_configuration_cases import CASES, Edit, broken_copy

from mercato.catalog.configuration import ConfigurationError, read_marketplace
from mercato.catalog.configuration_types import ConfigurationIssue, Validations, parse_validations


def issues_of(directory: Path) -> list[tuple[str, int, str, str]]:
    with pytest.raises(ConfigurationError) as raised:
        read_marketplace(directory)
    return [(i.file, i.line, i.column, i.message) for i in raised.value.issues]


@pytest.mark.parametrize(("edits", "expected"), CASES)
def test_configuration_issues(
    reference_dir: Path, tmp_path: Path, edits: list[Edit], expected: list[tuple]
) -> None:
    assert issues_of(broken_copy(reference_dir, tmp_path, edits)) == expected


def test_missing_file(reference_dir: Path, tmp_path: Path) -> None:
    directory = broken_copy(reference_dir, tmp_path, [])
    (directory / "channels.csv").unlink()
    assert issues_of(directory) == [
        ("channels.csv", 0, "", f"missing file: create channels.csv in {directory}")
    ]


@pytest.mark.parametrize("content", ["", "\n\n", "\ncode;label\n11;Neuf\n"])
def test_empty_file_or_no_header_on_line_1(
    reference_dir: Path, tmp_path: Path, content: str
) -> None:
    directory = broken_copy(reference_dir, tmp_path, [])
    (directory / "offer-states.csv").write_text(content, encoding="utf-8")
    assert issues_of(directory) == [
        ("offer-states.csv", 1, "", "empty file: the first line must be the header")
    ]


def test_not_a_directory(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    assert issues_of(missing) == [
        (str(missing), 0, "", "not a directory: give a marketplace directory")
    ]


def test_file_that_is_not_utf8(reference_dir: Path, tmp_path: Path) -> None:
    directory = broken_copy(reference_dir, tmp_path, [])
    path = directory / "hierarchies.csv"
    lines = path.read_bytes().split(b"\n")
    lines[3] = "coques;Coques et étuis;Cases and covers;Fundas;telephonie".encode("latin-1")
    path.write_bytes(b"\n".join(lines))
    # The attachments to the unreadable file's categories are not reported on top of it.
    assert issues_of(directory) == [
        ("hierarchies.csv", 4, "", "not valid UTF-8: save the file with the UTF-8 encoding")
    ]


def test_utf8_byte_order_mark_is_accepted(reference_dir: Path, tmp_path: Path) -> None:
    directory = broken_copy(reference_dir, tmp_path, [])
    path = directory / "channels.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert [c.code for c in read_marketplace(directory).channels] == ["FR_B2C", "ES_B2C"]


def test_error_message_lists_every_issue() -> None:
    error = ConfigurationError(
        [
            ConfigurationIssue("channels.csv", 3, "default", "more than one default channel"),
            ConfigurationIssue("products.csv", 0, "", "missing file"),
        ]
    )
    assert error.message == (
        "The marketplace configuration has 2 issue(s):\n"
        "channels.csv:3: default: more than one default channel\n"
        "products.csv: missing file"
    )
    assert error.status == 400


@pytest.mark.parametrize(
    ("raw", "validations", "problems"),
    [
        ("", Validations(), []),
        ("MAX_LENGTH|40", Validations(max_length=40), []),
        ("MIN|0,MAX|10", Validations(minimum=0, maximum=10), []),  # type: ignore[arg-type]
        ("MIN|-1.5", Validations(minimum=-1.5), []),  # type: ignore[arg-type]
        ("MAX_ITEMS|5", Validations(max_items=5), []),
        ("EAN13", Validations(ean13=True), []),
        ("MAX_SIZE_KB|10244", Validations(max_size_kb=10244), []),
        (
            "MAX_LENGTH|0",
            Validations(),
            ["malformed validation 'MAX_LENGTH|0': write MAX_LENGTH|n with n a positive integer"],
        ),
        (
            "MAX|ten",
            Validations(),
            ["malformed validation 'MAX|ten': write MAX|x with x a number written with '.'"],
        ),
        (
            "MAX_ITEMS|2.5",
            Validations(),
            ["malformed validation 'MAX_ITEMS|2.5': write MAX_ITEMS|n with n a positive integer"],
        ),
        (
            "EAN13|1",
            Validations(),
            ["malformed validation 'EAN13|1': write EAN13, without argument"],
        ),
        (
            "MAX_SIZE_KB|",
            Validations(),
            ["malformed validation 'MAX_SIZE_KB|': write MAX_SIZE_KB|n with n a positive integer"],
        ),
        (
            "MIN|1,UNIQUE",
            Validations(minimum=1),  # type: ignore[arg-type]
            [
                "unknown validation 'UNIQUE': use one of MAX_LENGTH, MIN, MAX, MAX_ITEMS, "
                "EAN13, MAX_SIZE_KB"
            ],
        ),
    ],
)
def test_parse_validations(raw: str, validations: Validations, problems: list[str]) -> None:
    assert parse_validations(raw) == (validations, problems)


def test_reference_marketplace_reads_whole(reference_dir: Path) -> None:
    config = read_marketplace(reference_dir)
    assert [c.code for c in config.channels] == ["FR_B2C", "ES_B2C"]
    assert [c.is_default for c in config.channels] == [True, False]
    assert [s.code for s in config.offer_states] == ["11", "10", "12", "13"]
    assert [(c.code, c.max_leadtime_to_ship) for c in config.logistic_classes] == [
        ("S", 10),
        ("M", 10),
        ("L", 15),
        ("XL", 20),
    ]
    assert len(config.categories) == 16
    smartphones = next(c for c in config.categories if c.code == "smartphones")
    assert (smartphones.parent_code, smartphones.level, smartphones.position) == (
        "telephonie",
        2,
        1,
    )
    assert dict(smartphones.labels) == {"en": "Smartphones", "es": "Smartphones"}
    assert [(v.code, len(v.values)) for v in config.value_lists] == [
        ("brands", 18),
        ("colors", 12),
        ("storage-capacities", 6),
        ("operating-systems", 6),
        ("energy-classes", 7),
        ("case-materials", 4),
        ("case-finishes", 3),
        ("resolutions", 4),
        ("connectivity", 5),
        ("yes-no", 2),
        ("warehouse-locations", 4),
    ]
    assert (len(config.attributes), len(config.attachments), len(config.products)) == (45, 63, 200)
    assert [f.code for f in config.offer_fields] == ["warranty", "warehouse-location"]
    assert config.product_columns[:3] == ("category", "sku", "ean")


@pytest.mark.skipif(
    not (Path(__file__).resolve().parents[2].parent / "shared" / "marketplace").is_dir(),
    reason="the shared reference marketplace is not available here",
)
def test_bundled_copy_equals_the_shared_reference(reference_dir: Path) -> None:
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "marketplace"
    csv_files = sorted(p.name for p in shared.glob("*.csv"))
    assert sorted(p.name for p in reference_dir.glob("*.csv")) == csv_files
    for name in csv_files:
        assert (reference_dir / name).read_bytes() == (shared / name).read_bytes(), name
