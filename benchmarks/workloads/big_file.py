"""Part d: one 1 GB file saved as an artifact, next to a plain ``cp`` of the same file."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ._child import Ctx, import_ln, main, median, now, optional, try_finish, try_track


def flip_byte(path: Path, offset: int) -> None:
    """Invert one byte of the file in place (doing it twice restores it)."""
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(-1, os.SEEK_CUR)
        f.write(bytes([b[0] ^ 0xFF]))


def flip_middle_byte(path: Path) -> None:
    flip_byte(path, path.stat().st_size // 2)


def rep_offset(rep: int) -> int:
    """Where rep N changes the file so each save is new content; in the first MB, which a
    sampled hash (LaminDB's) reads too, so no side gets a same-hash shortcut."""
    return 4096 * rep + 1


def time_cp(src: Path, dst: Path, reps: int) -> tuple[list[float], list[float]]:
    """Wall times of ``cp src dst``, and of the same followed by an fsync of the copy."""
    plain, durable = [], []
    for _ in range(reps):
        os.sync()
        t0 = now()
        subprocess.run(["cp", str(src), str(dst)], check=True)
        t1 = now()
        fd = os.open(dst, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)
        t2 = now()
        plain.append(t1 - t0)
        durable.append(t2 - t0)
        dst.unlink()
    return plain, durable


def check_first(artifact, src: Path, res: dict) -> dict:  # noqa: ANN001 - either package
    """The first saved copy: its hash type, whether all bytes arrived, and its hash."""
    res["hash_type"] = getattr(artifact, "_hash_type", None) or getattr(artifact, "hash_type", None)
    with optional(res, "stored_size"):
        res["stored_size_ok"] = Path(str(artifact.path)).stat().st_size == src.stat().st_size
    return {"hash": artifact.hash}


def big_file(ctx: Ctx) -> None:
    assert ctx.data is not None, "the orchestrator passes --data with big.bin in it"
    src = ctx.data / "big.bin"
    size_mb = src.stat().st_size / 1e6
    ln = import_ln(ctx.impl)
    try_track(ln, ctx.res)
    warm = ctx.sandbox / "warmup.txt"  # one-time costs (storage checks, imports) are not timed
    warm.write_text("warm-up")
    ln.Artifact(str(warm), key="bench_big/warmup.txt").save()

    cp, cp_fsync = time_cp(src, ctx.sandbox / "cp_copy.bin", ctx.size("cp_reps"))
    cp_s = median(cp)
    construct, save, totals = [], [], []
    first: dict = {}
    reps = ctx.size("big_file_reps")
    try:
        for rep in range(reps):
            if rep:
                flip_byte(src, rep_offset(rep))  # new content: hashed and copied in full
            os.sync()
            t0 = now()
            saved = ln.Artifact(str(src), key=f"bench_big/big_{rep}.bin")  # hashing
            t1 = now()
            saved.save()  # copy into storage + insert
            t2 = now()
            construct.append(t1 - t0)
            save.append(t2 - t1)
            totals.append(t2 - t0)
            if not first:
                first = check_first(saved, src, ctx.res)
            # like cp's copies, each stored copy goes before the next run: every run then
            # writes into page-cache memory the VM already holds (first-touch pages cost the
            # VM several times more, and would penalise whichever side runs first)
            with optional(ctx.res, "delete"):
                saved.delete(permanent=True)
    finally:
        for rep in range(1, reps):
            flip_byte(src, rep_offset(rep))
    total = median(totals)
    ctx.res.update(
        size_mb=round(size_mb, 1),
        cp_s=cp_s,
        cp_runs_s=[round(t, 4) for t in cp],
        cp_mb_per_s=round(size_mb / cp_s, 1),
        cp_fsync_mb_per_s=round(size_mb / median(cp_fsync), 1),
        construct_s=median(construct),
        save_s=median(save),
        total_s=round(total, 4),
        total_runs_s=[round(t, 4) for t in totals],
        mb_per_s=round(size_mb / total, 1),
        ratio_to_cp=round(cp_s / total, 3),
    )
    # does the hash see a byte in the middle? (a sampled hash does not)
    with optional(ctx.res, "hash_every_byte"):
        flip_middle_byte(src)
        try:
            t0 = now()
            changed = ln.Artifact(str(src), key="bench_big/big_flipped.bin")
            ctx.res["rehash_s"] = round(now() - t0, 4)
            ctx.res["hash_sees_middle_byte"] = changed.hash != first["hash"]
        finally:
            flip_middle_byte(src)
    try_finish(ln, ctx.res)


if __name__ == "__main__":
    raise SystemExit(main({"big_file": big_file}))
