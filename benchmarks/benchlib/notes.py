"""The notes column of BENCHMARKS.md: short facts from both sides' results."""

from __future__ import annotations

from collections.abc import Callable

from .targets import fmt

Note = Callable[[dict | None, dict | None], str]


def dig(step: dict | None, path: str):  # noqa: ANN201
    """``step["a"]["b"]`` for ``"a.b"``, or None."""
    cur = step
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return None
        cur = cur[part]
    return cur


def _measured(step: dict | None) -> str:
    if step and step.get("n") and step.get("n_nominal") and step["n"] != step["n_nominal"]:
        return f"measured with {step['n']:,} instead of {step['n_nominal']:,}"
    return ""


def _scaled(step: dict | None) -> str:
    text = _measured(step)
    return f"{text}, total scaled linearly" if text else ""


def _side_notes(kernel: dict | None, lamindb: dict | None, fn: Callable[[dict], str]) -> str:
    parts = []
    for name, step in (("lamin_kernel", kernel), ("LaminDB", lamindb)):
        text = fn(step) if step else ""
        if text:
            parts.append(f"{name}: {text}")
    return "; ".join(parts)


def big_file_note(kernel: dict | None, ldb: dict | None) -> str:
    def one(s: dict) -> str:
        if "cp_mb_per_s" not in s:
            return ""
        every = s.get("hash_sees_middle_byte")
        seen = (
            ""
            if every is None
            else (
                ", hash sees every byte"
                if every
                else ", hash misses a changed middle byte (sampled)"
            )
        )
        durable = s.get("cp_fsync_mb_per_s")
        with_fsync = f", cp + fsync {fmt(durable, 'MB/s')}" if durable else ""
        return (
            f"{s['ratio_to_cp']:.0%} of cp ({fmt(s['cp_mb_per_s'], 'MB/s')}{with_fsync}), "
            f"hash {s.get('hash_type')}{seen}"
        )

    return _side_notes(kernel, ldb, one)


def rows_note(key: str) -> Note:
    return lambda kernel, ldb: _side_notes(
        kernel, ldb, lambda s: f"{dig(s, key)} rows" if dig(s, key) is not None else ""
    )


def n_total_note(kernel: dict | None, ldb: dict | None) -> str:
    return _side_notes(
        kernel, ldb, lambda s: f"{s['n_total']:,} artifacts" if "n_total" in s else ""
    )


def scaled_note(kernel: dict | None, ldb: dict | None) -> str:
    return _side_notes(kernel, ldb, _scaled)


def measured_note(kernel: dict | None, ldb: dict | None) -> str:
    return _side_notes(kernel, ldb, _measured)


def typo_note(kernel: dict | None, ldb: dict | None) -> str:
    def one(s: dict) -> str:
        raised = s.get("typo_raised_validation_error")
        return (
            ""
            if raised is None
            else ("a typo raises ValidationError" if raised else "a typo was NOT rejected")
        )

    return _side_notes(kernel, ldb, one)


def genes_note(kernel: dict | None, ldb: dict | None) -> str:
    def one(s: dict) -> str:
        bits = [f"ids: {s['gene_ids'].split(' (')[0]}"] if s.get("gene_ids") else []
        if "n_validated" in s:
            bits.append(f"{s['n_validated']:,} of {s['n_validate']:,} validated")
        if s.get("registry_filled_by_hand"):
            bits.append("registry filled by hand")
        return ", ".join(bits)

    return _side_notes(kernel, ldb, one)


def from_values_note(kernel: dict | None, ldb: dict | None) -> str:
    return _side_notes(kernel, ldb, lambda s: s.get("from_values_note", ""))


def label_hits_note(kernel: dict | None, ldb: dict | None) -> str:
    return _side_notes(kernel, ldb, lambda s: f"{s['hits']} hits" if "hits" in s else "")


def public_note(kernel: dict | None, ldb: dict | None) -> str:
    return _side_notes(
        kernel,
        ldb,
        lambda s: (
            f"{s['n_terms']:,} terms, search → {s.get('search_first')}" if "n_terms" in s else ""
        ),
    )


def rest_note(kernel: dict | None, ldb: dict | None) -> str:
    def one(s: dict) -> str:
        reqs = s.get("requests") or {}
        return ", ".join(
            f"{n} {fmt(r['p95_s'], 'ms')}" if "p95_s" in r else f"{n} HTTP {r.get('status')}"
            for n, r in reqs.items()
        )

    return _side_notes(kernel, ldb, one)


def sidebar_note(kernel: dict | None, ldb: dict | None) -> str:
    def one(s: dict) -> str:
        if "first_s" not in s:
            return ""
        quick = s.get("immediate") or {}
        now = f", clicked while /lab loads {fmt(quick['median_s'], 's')}" if quick else ""
        return (
            f"{s['n_total']:,} artifacts, first load {fmt(s['first_s'], 's')}{now}, "
            f"Playwright's clock {fmt(s['playwright_median_s'], 's')}"
        )

    return _side_notes(kernel, ldb, one)


def artifact_page_note(kernel: dict | None, ldb: dict | None) -> str:
    def one(s: dict) -> str:
        if "first_s" not in s:
            return ""
        return (
            f"{s['n_total']:,} artifacts, first click {fmt(s['first_s'], 's')}, "
            f"Playwright's clock {fmt(s['playwright_median_s'], 's')}"
        )

    return _side_notes(kernel, ldb, one)


def live_update_note(kernel: dict | None, ldb: dict | None) -> str:
    def one(s: dict) -> str:
        return f"slowest of {s['reps']} {fmt(s['max_s'], 's')}" if "max_s" in s else ""

    return _side_notes(kernel, ldb, one)


def lineage_page_note(kernel: dict | None, ldb: dict | None) -> str:
    def one(s: dict) -> str:
        if "n_nodes" not in s or "interactive_median_s" not in s:
            return ""
        laid_out = f"laid out {fmt(s['median_s'], 's')}" if "median_s" in s else ""
        playwright = (
            f", Playwright's clock {fmt(s['playwright_median_s'], 's')}"
            if "playwright_median_s" in s
            else ""
        )
        return (
            f"{s['n_nodes']} nodes, {laid_out} (median), first open {fmt(s['first_s'], 's')}"
            f"{playwright}"
        )

    return _side_notes(kernel, ldb, one)


def mapped_note(kernel: dict | None, ldb: dict | None) -> str:
    def one(s: dict) -> str:
        if "rows_read" not in s:
            return ""
        rss = f", peak RSS {s['peak_rss_mb']:,.0f} MB" if "peak_rss_mb" in s else ""
        return f"{s['rows_read']:,} rows of {s['n_obs']:,} x {s['n_vars']:,}{rss}"

    return _side_notes(kernel, ldb, one)


def search_note(prefix: str = "") -> Note:
    """Median of each searched text (and the rows of the first page) at one size."""

    def one(s: dict) -> str:
        texts = dig(s, f"{prefix}texts") or {}
        return ", ".join(
            f"{name} {fmt(t['median_s'], 'ms')} ({t['rows']} rows)" for name, t in texts.items()
        )

    return lambda kernel, ldb: _side_notes(kernel, ldb, one)
