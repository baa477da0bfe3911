"""Text matching over an ontology table: ranked search, synonym maps, closest names.

Search ranks every row by its best text (its name or one of its synonyms):
exact name > exact synonym > name prefix > phrase at word boundaries > fuzzy
(rapidfuzz WRatio), ties broken by the fuzzy score, then by shorter names.
Texts are compared after rapidfuzz's default processing (lowercase, punctuation
to spaces), so "Gamma Delta T-cell" meets "gamma-delta T cell". rapidfuzz is
imported on first use, so importing the registries stays cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

EXACT_NAME, EXACT_SYNONYM, NAME_PREFIX, WORD_MATCH, FUZZY = 4, 3, 2, 1, 0
FUZZY_CUTOFF = 70.0


@dataclass
class SearchIndex:
    """Every searchable text of a table, processed once: row position, text, whether a name."""

    rows: np.ndarray
    texts: list[str]
    is_name: np.ndarray

    @classmethod
    def build(cls, names: pd.Series, synonyms: pd.Series | None) -> SearchIndex:
        """Index the names and the "|"-joined synonyms of a table."""
        import numpy as np
        from rapidfuzz.utils import default_process

        rows = list(range(len(names)))
        texts = [default_process(n) if isinstance(n, str) else "" for n in names]
        is_name = [True] * len(names)
        if synonyms is not None:
            for row, joined in enumerate(synonyms):
                if isinstance(joined, str):
                    for synonym in joined.split("|"):
                        rows.append(row)
                        texts.append(default_process(synonym))
                        is_name.append(False)
        return cls(np.asarray(rows), texts, np.asarray(is_name))


def tiers(index: SearchIndex, query: str) -> np.ndarray:
    """The match tier of each indexed text for a processed query."""
    import numpy as np

    padded = f" {query} "
    tier = np.full(len(index.texts), FUZZY, dtype=np.int8)
    for i, text in enumerate(index.texts):
        if text == query:
            tier[i] = EXACT_NAME if index.is_name[i] else EXACT_SYNONYM
        elif query in text:
            if index.is_name[i] and text.startswith(query):
                tier[i] = NAME_PREFIX
            elif padded in f" {text} ":
                tier[i] = WORD_MATCH
    return tier


def rank(index: SearchIndex, name_lengths: np.ndarray, query: str) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of the matches, best first, and their fuzzy scores (0-100)."""
    import numpy as np
    from rapidfuzz import fuzz, process
    from rapidfuzz.utils import default_process

    processed = default_process(query)
    if not processed:
        return np.empty(0, dtype=np.intp), np.empty(0)
    scores = process.cdist(
        [processed], index.texts, scorer=fuzz.WRatio, dtype=np.float32, workers=-1
    )[0]
    tier = tiers(index, processed)
    keep = (tier > FUZZY) | (scores >= FUZZY_CUTOFF)
    key = tier.astype(np.float64) * 1000 + scores
    best = np.full(len(name_lengths), -1.0)
    np.maximum.at(best, index.rows[keep], key[keep])
    found = np.flatnonzero(best >= 0)
    rows = found[np.lexsort((name_lengths[found], -best[found]))]
    return rows, np.round(best[rows] % 1000, 1)


def closest(query: str, choices: list[str], limit: int = 3) -> list[str]:
    """The names most similar to query, for error messages."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.utils import default_process

    matches = process.extract(
        query, choices, scorer=fuzz.WRatio, processor=default_process, limit=limit
    )
    return [match[0] for match in matches]


def lookup_key(name: str) -> str:
    """An attribute name for a term name: lowercase, non-alphanumerics to "_"."""
    key = re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")
    return f"_{key}" if key[:1].isdigit() else key
