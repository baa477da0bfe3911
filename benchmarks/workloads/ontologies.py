"""Issue 4: public ontology ready (CL), validate 60,000 Ensembl ids, ``from_values`` of 20,000 genes."""

from __future__ import annotations

from types import ModuleType

from ._child import Ctx, import_bt, import_ln, main, now, optional, short_error, status_of

SEARCH_TERM = "gamma-delta T cell"


def _public_cell_types(ctx: Ctx) -> None:
    """Time until the CL terms are in hand: ``public()`` and its first ``to_dataframe()``."""
    import_ln(ctx.impl)
    bt = import_bt(ctx.impl)
    t0 = now()
    ontology = bt.CellType.public()
    t1 = now()
    terms = ontology.to_dataframe()
    t2 = now()
    ctx.res.update(
        public_s=round(t1 - t0, 4),
        first_dataframe_s=round(t2 - t1, 4),
        ready_s=round(t2 - t0, 4),
        n_terms=len(terms),
    )
    with optional(ctx.res, "search"):
        t0 = now()
        hits = ontology.search(SEARCH_TERM)
        ctx.res["search_s"] = round(now() - t0, 4)
        ctx.res["search_first"] = str(hits.index[0]) if len(hits) else None


def public_cold(ctx: Ctx) -> None:
    """First ``bt.CellType.public()`` with an empty cache (parse + cache)."""
    _public_cell_types(ctx)


def public_warm(ctx: Ctx) -> None:
    """``bt.CellType.public()`` in a fresh process once the cache exists."""
    _public_cell_types(ctx)


def _human(ln: ModuleType, bt: ModuleType, res: dict):  # noqa: ANN202
    try:
        return bt.Organism.from_source(name="human").save()
    except Exception as e:  # noqa: BLE001
        res["organism_from_source"] = {"status": status_of(e), "error": short_error(e)}
    return bt.Organism(name="human", ontology_id="NCBITaxon:9606").save()


def _gene_ids(bt: ModuleType, n: int, res: dict) -> list[str]:
    """Real human Ensembl ids from the public source, else synthetic ones of the same shape."""
    try:
        df = bt.Gene.public(organism="human").to_dataframe()
        col = df["ensembl_gene_id"] if "ensembl_gene_id" in df.columns else df.index.to_series()
        ids = [x for x in col.astype(str).unique() if x.startswith("ENSG")]
        res["gene_ids"] = f"public ({len(ids)} human ids)"
    except Exception as e:  # noqa: BLE001
        res["gene_ids"] = f"synthetic (public genes: {status_of(e)}: {short_error(e)})"
        ids = []
    ids += [f"ENSG9{i:010d}" for i in range(max(0, n - len(ids)))]
    return ids[:n]


def genes(ctx: Ctx) -> None:
    """``from_values`` of 20,000 genes, then validate 60,000 ids against the registry."""
    ln = import_ln(ctx.impl)
    bt = import_bt(ctx.impl)
    human = _human(ln, bt, ctx.res)
    n_fv, n_val = ctx.size("genes_from_values"), ctx.size("genes_validate")
    ids = _gene_ids(bt, n_val, ctx.res)
    wanted = ids[:n_fv]
    records = []
    with optional(ctx.res, "from_values"):
        t0 = now()
        records = bt.Gene.from_values(wanted, field=bt.Gene.ensembl_gene_id, organism="human")
        t1 = now()
        ln.save(records)
        t2 = now()
        ctx.res.update(
            from_values_s=round(t1 - t0, 4),
            from_values_save_s=round(t2 - t1, 4),
            from_values_total_s=round(t2 - t0, 4),
            from_values_records=len(records),
        )
        if len(records) < len(wanted):
            ctx.res["from_values_note"] = f"returned {len(records)} of {len(wanted)} records"
            ctx.res.setdefault("errors", {})["from_values"] = {
                "status": "incomplete",
                "error": ctx.res["from_values_note"],
            }
    if len(records) < len(wanted):  # fill the registry by hand so that validation has a target
        have = (
            set(
                bt.Gene.filter(ensembl_gene_id__in=wanted).to_dataframe(limit=None)[
                    "ensembl_gene_id"
                ]
            )
            if records
            else set()
        )
        ln.save(
            [
                bt.Gene(ensembl_gene_id=g, symbol=f"SYM{i}", organism=human)
                for i, g in enumerate(wanted)
                if g not in have
            ]
        )
        ctx.res["registry_filled_by_hand"] = True
    t0 = now()
    validated = bt.Gene.validate(ids, field=bt.Gene.ensembl_gene_id, organism="human")
    ctx.res.update(
        validate_registry_s=round(now() - t0, 4),
        n_validate=len(ids),
        n_validated=int(sum(bool(v) for v in validated)),
    )
    with optional(ctx.res, "validate_public"):
        public = bt.Gene.public(organism="human")
        t0 = now()
        ok = public.validate(ids, field="ensembl_gene_id")
        ctx.res["validate_public_s"] = round(now() - t0, 4)
        ctx.res["n_validated_public"] = int(sum(bool(v) for v in ok))


if __name__ == "__main__":
    raise SystemExit(main({"public_cold": public_cold, "public_warm": public_warm, "genes": genes}))
