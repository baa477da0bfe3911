"""Registry terms for one validation, read once, and suggestions for terms that did not validate.

Suggestions rank synonyms first (score 100), then names by rapidfuzz's WRatio.
"""

from __future__ import annotations

from typing import Any

from .registries import FETCH_ALL_ABOVE, Scope, all_terms, present_terms, public_ontology

MAX_SUGGESTED_TERMS = 20
SUGGESTIONS_PER_TERM = 3
MIN_SCORE = 50.0


class TermCache:
    """Terms of a scope (registry, field, type, filters) read at most once per validation."""

    def __init__(self) -> None:
        self._full: dict[Scope, set[Any]] = {}
        self._choices: dict[Scope, list[str]] = {}

    def present(self, scope: Scope, values: list[Any]) -> set[Any]:
        """The values the scope holds (a superset may be returned: test membership)."""
        if scope in self._full:
            return self._full[scope]
        if len(values) > FETCH_ALL_ABOVE:
            self._full[scope] = present_terms(scope, values)
            return self._full[scope]
        return present_terms(scope, values)

    def choices(self, scope: Scope) -> list[str]:
        """Every term suggestions can come from: the registry, plus its public ontology."""
        if scope not in self._choices:
            terms = all_terms(scope)
            ontology = public_ontology(scope.model) if scope.type_id is None else None
            if ontology is not None:
                try:
                    public = ontology.to_dataframe()
                    column = (
                        public.index
                        if public.index.name == scope.field
                        else public.get(scope.field)
                    )
                    if column is not None:
                        terms += [v for v in column if isinstance(v, str)]
                except Exception:  # suggestions are a help; a broken source must not fail them
                    pass
            self._choices[scope] = list(dict.fromkeys(terms))
        return self._choices[scope]


def suggest(
    terms: list[Any], synonyms: dict[str, str], choices: list[str]
) -> dict[str, list[dict[str, Any]]]:
    """term -> [{"value", "score"}], best first, for at most MAX_SUGGESTED_TERMS terms."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.utils import default_process

    result: dict[str, list[dict[str, Any]]] = {}
    for term in terms[:MAX_SUGGESTED_TERMS]:
        found: list[dict[str, Any]] = []
        if term in synonyms:
            found.append({"value": synonyms[term], "score": 100.0})
        if isinstance(term, str) and choices:
            matches = process.extract(
                term,
                choices,
                scorer=fuzz.WRatio,
                processor=default_process,
                limit=SUGGESTIONS_PER_TERM + 1,
                score_cutoff=MIN_SCORE,
            )
            for value, score, _ in matches:
                if all(f["value"] != value for f in found):
                    found.append({"value": value, "score": round(float(score), 1)})
        result[str(term)] = found[:SUGGESTIONS_PER_TERM]
    return result
