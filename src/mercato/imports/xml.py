"""XML files: `<import><offers><offer>…</offer></offers></import>`, one element per column.

Parsed with lxml without entity expansion, DTD loading or network access, streamed element by
element. Nested Mirakl forms are flattened to the CSV column names: `<discount>` with
`<price>`, `<start-date>`, `<end-date>`, and `<offer-additional-fields>` with `<code>`/`<value>`.
"""

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from mercato.imports.readers import FileFormat, SourceFile, SourceLine, UnreadableFile

RECORD_TAGS = ("offer", "product")
_DISCOUNT = {
    "price": "discount-price",
    "start-date": "discount-start-date",
    "end-date": "discount-end-date",
}


def _parser_events(path: Path, tag: str) -> Iterator[tuple[str, etree._Element]]:
    return etree.iterparse(
        str(path),
        events=("end",),
        tag=tag,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )


def _record_tag(path: Path) -> str:
    try:
        for _, element in etree.iterparse(
            str(path), events=("start",), resolve_entities=False, no_network=True, load_dtd=False
        ):
            if element.tag in RECORD_TAGS:
                return str(element.tag)
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile("xml-malformed", detail=str(exc)) from None
    raise UnreadableFile("xml-no-record")


def flatten(element: etree._Element) -> dict[str, str]:
    cells: dict[str, str] = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue  # comments and processing instructions
        if child.tag == "discount":
            for part in child:
                if part.tag in _DISCOUNT:
                    cells[_DISCOUNT[part.tag]] = (part.text or "").strip()
        elif child.tag == "offer-additional-fields":
            for field in child:
                code = (field.findtext("code") or "").strip()
                if code:
                    cells[code] = (field.findtext("value") or "").strip()
        else:
            cells[str(child.tag)] = (child.text or "").strip()
    return cells


def read_xml(path: Path) -> SourceFile:
    tag = _record_tag(path)
    header: list[str] = []
    seen: set[str] = set()
    try:
        # First pass: the union of the columns, so the header can be checked before any line.
        for _, element in _parser_events(path, tag):
            for name in flatten(element):
                if name not in seen:
                    seen.add(name)
                    header.append(name)
            element.clear(keep_tail=True)
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile("xml-malformed", detail=str(exc)) from None
    return SourceFile(FileFormat.XML, header, lambda: _lines(path, tag, header))


def _lines(path: Path, tag: str, header: list[str]) -> Iterator[SourceLine]:
    for _, element in _parser_events(path, tag):
        cells = flatten(element)
        values = [cells.get(name, "") for name in header]
        yield SourceLine(element.sourceline or 0, header, values, cells)
        element.clear(keep_tail=True)
        while element.getprevious() is not None:
            del element.getparent()[0]
