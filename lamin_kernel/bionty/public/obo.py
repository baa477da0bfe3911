"""A small, fast OBO 1.2/1.4 reader for [Term] stanzas.

It keeps what the ontology table needs: id, name, def, EXACT synonyms, parents
(is_a, plus `relationship:` types the caller names, e.g. part_of) and
is_obsolete. It reads hp.obo (10 MB) in well under a second, where the general
parsers take several.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from lamin_kernel.bionty.public.frames import TermColumns, ontology_frame

if TYPE_CHECKING:
    import pandas as pd

QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"\s*(\S*)')
PROGRESS_STANZAS = 20_000


class OboTerm:
    """The fields of one [Term] stanza being read."""

    __slots__ = ("id", "name", "definition", "synonyms", "parents", "obsolete")

    def __init__(self) -> None:
        self.id: str | None = None
        self.name: str | None = None
        self.definition: str | None = None
        self.synonyms: list[str] = []
        self.parents: list[str] = []
        self.obsolete = False


def unescape(text: str) -> str:
    """Undo OBO escapes inside quoted strings (\\" and \\\\)."""
    return re.sub(r"\\(.)", r"\1", text) if "\\" in text else text


def first_token(value: str) -> str:
    """The id at the start of a value such as `HP:0000118 ! Phenotypic abnormality`."""
    return value.split(None, 1)[0] if value.strip() else ""


def read_tag(term: OboTerm, tag: str, value: str, relations: tuple[str, ...]) -> None:
    """Put one `tag: value` line of a stanza into term."""
    if tag == "id":
        term.id = first_token(value)
    elif tag == "name":
        term.name = value.strip()
    elif tag == "def":
        match = QUOTED.match(value)
        term.definition = unescape(match.group(1)) if match else value.strip()
    elif tag == "synonym":
        match = QUOTED.match(value)
        if match and match.group(2) == "EXACT":
            term.synonyms.append(unescape(match.group(1)))
    elif tag == "is_a" and "is_a" in relations:
        term.parents.append(first_token(value))
    elif tag == "relationship":
        parts = value.split()
        if len(parts) >= 2 and parts[0] in relations:
            term.parents.append(parts[1])
    elif tag == "is_obsolete":
        term.obsolete = value.strip() == "true"


def parse_stanza(lines: list[str], relations: tuple[str, ...]) -> OboTerm:
    """One [Term] stanza's lines (without the header line) as an OboTerm."""
    term = OboTerm()
    for line in lines:
        tag, sep, value = line.partition(":")
        if sep:
            read_tag(term, tag, value.strip(), relations)
    return term


def split_stanzas(text: str) -> list[list[str]]:
    """The [Term] stanzas of an OBO text, each as its list of lines."""
    stanzas = []
    for block in re.split(r"^\[", text, flags=re.MULTILINE)[1:]:
        header, _, body = block.partition("\n")
        if header.strip() == "Term]":
            stanzas.append(body.splitlines())
    return stanzas


def read_obo(path: str | Path, relations: tuple[str, ...] = ("is_a",)) -> pd.DataFrame:
    """The standard ontology table of an OBO file; obsolete terms are flagged deprecated."""
    stanzas = split_stanzas(Path(path).read_text(encoding="utf-8"))
    if len(stanzas) > PROGRESS_STANZAS:
        from tqdm.auto import tqdm

        stanzas = tqdm(stanzas, desc=f"loading {Path(path).name}", leave=False)
    columns = TermColumns()
    for lines in stanzas:
        term = parse_stanza(lines, relations)
        if term.id:
            columns.add(
                term.id, term.name, term.definition, term.synonyms, term.parents, term.obsolete
            )
    return ontology_frame(columns)
