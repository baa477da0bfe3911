"""Issue 7: ``collection.mapped()`` read with shuffled batches of 256, rows per second."""

from __future__ import annotations

from ._child import Ctx, import_ln, main, now, optional

BATCH_SIZE = 256
TIME_CAP_S = 60.0
COLLECTION_KEY = "bench_mapped_collection"


def prepare(ctx: Ctx) -> None:
    """Register the shared h5ad as an artifact and make a one-member collection."""
    assert ctx.data is not None, "the orchestrator passes --data with mapped.h5ad in it"
    ln = import_ln(ctx.impl)
    t0 = now()
    artifact = ln.Artifact(str(ctx.data / "mapped.h5ad"), key="bench_mapped/cells.h5ad").save()
    ln.Collection([artifact], key=COLLECTION_KEY).save()
    ctx.res["save_s"] = round(now() - t0, 3)


def _row(x):  # noqa: ANN001, ANN202
    return x.toarray().ravel() if hasattr(x, "toarray") else x


def iterate(ctx: Ctx) -> None:
    """Shuffled batches, collated as a DataLoader with ``batch_size=256`` would (no torch)."""
    import numpy as np

    ln = import_ln(ctx.impl)
    collection = ln.Collection.get(key=COLLECTION_KEY)
    t0 = now()
    dataset = collection.mapped(obs_keys=["cell_type"])
    ctx.res["open_s"] = round(now() - t0, 4)
    order = np.random.default_rng(0).permutation(len(dataset))
    batches = min(ctx.size("mapped_batches"), len(order) // BATCH_SIZE)
    rows, t0 = 0, now()
    for b in range(batches):
        items = [dataset[int(i)] for i in order[b * BATCH_SIZE : (b + 1) * BATCH_SIZE]]
        x = np.stack([_row(it["X"]) for it in items])
        y = np.asarray([it["cell_type"] for it in items])
        rows += len(y)
        if now() - t0 > TIME_CAP_S:
            break
    elapsed = now() - t0
    ctx.res.update(
        n_obs=len(dataset),
        n_vars=int(x.shape[1]),
        rows_read=rows,
        read_s=round(elapsed, 3),
        rows_per_s=round(rows / elapsed, 1),
        loader=f"shuffled index batches of {BATCH_SIZE}, np.stack collate, one process",
    )
    with optional(ctx.res, "label_weights"):
        t0 = now()
        weights = dataset.get_label_weights("cell_type")
        ctx.res["label_weights_s"] = round(now() - t0, 4)
        ctx.res["label_weights_len"] = len(weights)
    with optional(ctx.res, "close"):
        dataset.close()


if __name__ == "__main__":
    raise SystemExit(main({"prepare": prepare, "iterate": iterate}))
