"""A stateful test of "nothing lost, ever" (issue 12): random sequences of saves, versions,
deletes, restores, labels, failing calls, interrupts and `check --fix` in one long-lived
process, with the invariants checked after every step.

The machine keeps a model (which artifacts exist, on which branch, with what content; which
labels exist) and drives a `Target`: this process (`InProcess`) or a Jupyter kernel
(`test_state_machine_kernel.py`). Each step is one call of `machine_ops` in the target; the
machine sees only JSON values and error class names, so both targets run the same machine.

After every step:
- every artifact row's bytes exist and match its hash (`lamin check` finds nothing missing
  or altered), and hold exactly the content that was saved;
- the rows are the model's: nothing lost, nothing written by a refused call, labels unique;
- the session answers the next call (a query and a save) and the tracked run is usable;
- no staged file of this process is left behind once its objects are gone.
After `check --fix`, no orphan is left.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from tests.reliability.digests import content_digest as digest_of
from tests.reliability.machine_support import (
    Counters,
    Intended,
    Stored,
    Target,
    hypothesis_settings,
    model_difference,
    recorded,
    without_staged,
)

MAIN, TRASH = 1, -1
FILE_KEYS = ("a.txt", "b.txt", "nested/c.txt")
FOLDER_KEYS = ("folder_a", "nested/folder_b")
FRAME_KEYS = ("frame_a.parquet", "frame_b.parquet")
LABEL_NAMES = ("alpha", "beta", "gamma delta")
BAD_INPUTS = (
    "key_outside",
    "key_absolute",
    "missing_path",
    "unsupported_object",
    "nul_label",
    "nul_in_bulk",
    "not_a_record_in_bulk",
    "unknown_field",
)
# a handful of contents, so that saving the same bytes twice (and under another key) happens
CONTENTS = st.sampled_from([b"one", b"two", b"three"]) | st.binary(min_size=1, max_size=12)
FRAME_9_2 = "the frame of seed 9 with 2 rows"  # a DataFrame's stored bytes: checked by loading
BIG_FILE_SIZE = 256 * 1024  # bigger than the size limit below: the copy fails part-way
SIZE_LIMIT = 96 * 1024
# how far into an operation an interrupt may land, counted in calls of watched functions:
# an operation makes ~100-650 calls of project functions, ~1000-6000 with SQLAlchemy's
INTERRUPT_AT = {"lamin_kernel": 240, "lamin_kernel+sqlalchemy": 2400}
MAX_CHECKS_ELSEWHERE = 3
MAX_KILLS = 2  # a killed saver is another process too (~4 s to start)
KILL_POINTS = ("after_set_aside", "before_insert", "after_commit")
INTERRUPT_POINT = st.tuples(st.sampled_from(tuple(INTERRUPT_AT)), st.integers(0, 2400))
KEYS = st.lists(st.sampled_from(FILE_KEYS), min_size=1, max_size=4)
PICK = st.integers(min_value=0, max_value=63)  # which artifact, modulo how many there are
INTERRUPTIBLE_SAVES = ("save_path", "save_dataframe", "save_bulk", "save_label")
INTERRUPTIBLE = (
    *INTERRUPTIBLE_SAVES,
    "save_revision",
    "label_artifact",
    "trash",
    "delete_permanently",
    "restore",
)


_sequence_numbers = itertools.count()


class LoseNothing(RuleBasedStateMachine):
    """Set `target`, `workdir` and `counters` on a subclass (see `machine_for`)."""

    target: Target
    workdir: Path
    counters: Counters

    def __init__(self) -> None:
        """A sequence starts with an empty instance, in the process the last one left."""
        super().__init__()
        number = next(_sequence_numbers)
        self.counters.sequences += 1
        self.counters.log = [f"a new sequence (number {number})"]
        self.files = self.workdir / f"inputs-{number}"
        self.files.mkdir(parents=True)
        self.file_numbers = itertools.count()
        now = self.ok("clear")
        assert now["artifacts"] == {} and now["labels"] == [], now
        self.artifacts: dict[str, Stored] = {}
        self.labels: dict[str, str] = {}  # name -> uid
        self.run_uid = self.ok("start", f"sequence_{number}.py")

    # --- helpers ---------------------------------------------------------------------------

    def ok(self, operation: str, *args: Any) -> Any:
        outcome = self.target.call(operation, *args)
        assert outcome.error is None, f"{operation}{args!r} raised {outcome.detail}"
        return outcome.value

    def write_file(self, content: bytes, suffix: str = ".txt") -> Path:
        path = self.files / f"f{next(self.file_numbers)}{suffix}"
        path.write_bytes(content)
        return path

    def write_folder(self, contents: list[bytes]) -> Path:
        folder = self.files / f"d{next(self.file_numbers)}"
        for i, content in enumerate(contents):
            (folder / ("sub" if i % 2 else "")).mkdir(parents=True, exist_ok=True)
            (folder / ("sub" if i % 2 else "") / f"part{i}.txt").write_bytes(content)
        return folder

    def pick(self, pick: int, where: Callable[[Stored], bool] = lambda _: True) -> str | None:
        """The `pick`-th artifact (modulo) that `where` accepts, in the order they were made.

        Every rule draws the same data whatever the state (no preconditions, no draws sized
        by the model): with an interrupt the state of a replay may differ, and hypothesis
        refuses a test whose draws depend on it.
        """
        candidates = [u for u, s in self.artifacts.items() if where(s)]
        return candidates[pick % len(candidates)] if candidates else None

    def adopt_saved(self, saved: dict[str, Any], key: str, digest: str) -> None:
        """A save returned this artifact: new, or the existing one with the same content."""
        assert saved["run_uid"] == self.run_uid, "a saved artifact is not linked to the run"
        known = self.artifacts.get(saved["uid"])
        if known is None:
            assert saved["key"] == key
            self.artifacts[saved["uid"]] = Stored(key, digest, saved["branch_id"])
        else:
            assert known.digest == digest, "a save returned an artifact of other content"
            known.branch_id = saved["branch_id"]

    def expect_refused(self, value: str) -> None:
        assert value not in ("accepted",) and not value.startswith("not an ln.errors"), value

    # --- saving ----------------------------------------------------------------------------

    @rule(key=st.sampled_from(FILE_KEYS), content=CONTENTS)
    @recorded
    def save_file(self, key: str, content: bytes) -> None:
        path = self.write_file(content)
        saved = self.ok("save_path", str(path), key)
        self.adopt_saved(saved, key, digest_of(path))
        self.counters.count("save_file")

    @rule(key=st.sampled_from(FOLDER_KEYS), contents=st.lists(CONTENTS, min_size=1, max_size=3))
    @recorded
    def save_folder(self, key: str, contents: list[bytes]) -> None:
        folder = self.write_folder(contents)
        saved = self.ok("save_path", str(folder), key)
        self.adopt_saved(saved, key, digest_of(folder))
        self.counters.count("save_folder")

    @rule(key=st.sampled_from(FRAME_KEYS), seed=st.integers(0, 3), rows=st.integers(1, 3))
    @recorded
    def save_dataframe(self, key: str, seed: int, rows: int) -> None:
        saved = self.ok("save_dataframe", seed, rows, key)
        digest = self.ok("stored_digest", saved["uid"])
        self.adopt_saved(saved, key, digest)
        self.counters.count("save_dataframe")

    @rule(items=st.lists(st.tuples(st.sampled_from(FILE_KEYS), CONTENTS), min_size=2, max_size=4))
    @recorded
    def save_bulk(self, items: list[tuple[str, bytes]]) -> None:
        paths = [self.write_file(content) for _, content in items]
        saved = self.ok("save_bulk", [str(p) for p in paths], [k for k, _ in items])
        for one, path, (key, _) in zip(saved, paths, items, strict=True):
            self.adopt_saved(one, key, digest_of(path))
        self.counters.count("save_bulk")

    @rule(pick=PICK, content=CONTENTS)
    @recorded
    def save_revision(self, pick: int, content: bytes) -> None:
        previous = self.pick(pick, lambda s: s.key in FILE_KEYS)
        if previous is None:
            return
        path = self.write_file(content)
        saved = self.ok("save_revision", str(path), previous)
        self.adopt_saved(saved, self.artifacts[previous].key, digest_of(path))
        self.counters.count("save_revision")

    # --- labels ----------------------------------------------------------------------------

    @rule(name=st.sampled_from(LABEL_NAMES))
    @recorded
    def save_label(self, name: str) -> None:
        saved = self.ok("save_label", name)
        assert self.labels.setdefault(name, saved["uid"]) == saved["uid"], "same name, new label"
        self.counters.count("save_label")

    @rule(pick=PICK, name=st.sampled_from(LABEL_NAMES))
    @recorded
    def label_artifact(self, pick: int, name: str) -> None:
        uid = self.pick(pick)
        if uid is None:
            return
        names = self.ok("label_artifact", uid, name)
        self.artifacts[uid].labels.add(name)
        assert set(names) == self.artifacts[uid].labels
        self.labels.setdefault(name, self.ok("label_uid", name))
        self.counters.count("label_artifact")

    # --- deleting and restoring ------------------------------------------------------------

    @rule(pick=PICK)
    @recorded
    def trash(self, pick: int) -> None:
        uid = self.pick(pick, lambda s: s.branch_id == MAIN)
        if uid is None:
            return
        assert self.ok("trash", uid) == 1
        self.artifacts[uid].branch_id = TRASH
        self.counters.count("trash")

    @rule(pick=PICK)
    @recorded
    def delete_permanently(self, pick: int) -> None:
        uid = self.pick(pick)
        if uid is None:
            return
        assert self.ok("delete_permanently", uid) == 0
        key = self.artifacts.pop(uid).key
        if key in FOLDER_KEYS:  # the latest of a store versions share takes its family along
            left = set(self.ok("uids_of_family", uid[:16]))
            for gone in [u for u in self.artifacts if u[:16] == uid[:16] and u not in left]:
                del self.artifacts[gone]
        self.counters.count("delete_permanently")

    @rule(pick=PICK)
    @recorded
    def restore(self, pick: int) -> None:
        uid = self.pick(pick, lambda s: s.branch_id == TRASH)
        if uid is None:
            return
        assert self.ok("restore", uid) == MAIN
        self.artifacts[uid].branch_id = MAIN
        self.counters.count("restore")

    # --- failing calls ---------------------------------------------------------------------

    @rule(kind=st.sampled_from(BAD_INPUTS), content=CONTENTS)
    @recorded
    def bad_input(self, kind: str, content: bytes) -> None:
        path = self.write_file(content)
        before = without_staged(self.ok("snapshot"))
        self.expect_refused(self.ok("bad_input", kind, str(path)))
        assert without_staged(self.ok("snapshot")) == before, (
            f"a refused call ({kind}) wrote something"
        )
        self.counters.count("bad_input")

    @rule(key=st.sampled_from(FILE_KEYS))
    @recorded
    def save_fails_midway(self, key: str) -> None:
        path = self.write_file(os.urandom(BIG_FILE_SIZE))
        before = without_staged(self.ok("snapshot"))
        self.expect_refused(self.ok("save_past_size_limit", str(path), key, SIZE_LIMIT))
        assert without_staged(self.ok("snapshot")) == before, (
            "a save that failed part-way wrote something"
        )
        self.counters.count("save_fails_midway")

    # --- interrupts ------------------------------------------------------------------------

    @initialize(
        operation=st.sampled_from(INTERRUPTIBLE_SAVES),
        at=INTERRUPT_POINT,
        keys=KEYS,
        name=st.sampled_from(LABEL_NAMES),
        content=CONTENTS,
    )
    @recorded
    def first_interrupt(
        self, operation: str, at: tuple[str, int], keys: list[str], name: str, content: bytes
    ) -> None:
        """Every sequence starts with an interrupted save, so that each run has some."""
        self.interrupted(operation, at, 0, keys, name, content)

    @rule(
        operation=st.sampled_from(INTERRUPTIBLE),
        at=INTERRUPT_POINT,
        pick=PICK,
        keys=KEYS,
        name=st.sampled_from(LABEL_NAMES),
        content=CONTENTS,
    )
    @recorded
    def interrupt(
        self,
        operation: str,
        at: tuple[str, int],
        pick: int,
        keys: list[str],
        name: str,
        content: bytes,
    ) -> None:
        """Ctrl+C at the n-th call of a project (or also SQLAlchemy) function of an operation;
        the database then differs from the model only as far as the operation got."""
        self.interrupted(operation, at, pick, keys, name, content)

    def interrupted(
        self,
        operation: str,
        at: tuple[str, int],
        pick: int,
        keys: list[str],
        name: str,
        content: bytes,
    ) -> None:
        scope, draw = at
        nth = 1 + draw % INTERRUPT_AT[scope]
        plan = self.plan(operation, pick, keys, name, content)
        if plan is None:
            return
        args, intended = plan
        outcome = self.ok("interrupted", nth, scope, operation, *args)
        if outcome["interrupted"]:
            self.counters.interrupts_landed += 1
        else:
            self.counters.interrupts_missed += 1
        self.reconcile(intended)
        self.counters.count(f"interrupt {operation}")

    def plan(self, operation: str, pick: int, keys: list[str], name: str, content: bytes) -> Any:
        """The arguments of an interrupted operation and what it may change."""
        if operation == "save_path":
            path = self.write_file(content)
            return (str(path), keys[0]), Intended(saves={keys[0]: {digest_of(path)}})
        if operation == "save_dataframe":
            key = FRAME_KEYS[pick % len(FRAME_KEYS)]
            return (9, 2, key), Intended(saves={key: {FRAME_9_2}})
        if operation == "save_bulk":
            paths = [self.write_file(content + bytes([i])) for i in range(len(keys))]
            saves: dict[str, set[str]] = {}
            for key, path in zip(keys, paths, strict=True):
                saves.setdefault(key, set()).add(digest_of(path))
            return ([str(p) for p in paths], keys), Intended(saves=saves)
        if operation == "save_label":
            return (name,), Intended(labels={name})
        accepts: dict[str, Callable[[Stored], bool]] = {
            "save_revision": lambda s: s.key in FILE_KEYS,
            "trash": lambda s: s.branch_id == MAIN,
            "restore": lambda s: s.branch_id == TRASH,
        }
        uid = self.pick(pick, accepts.get(operation, lambda _: True))
        if uid is None:
            return None
        if operation == "save_revision":
            path = self.write_file(content)
            key = self.artifacts[uid].key
            return (str(path), uid), Intended(saves={key: {digest_of(path)}})
        if operation == "label_artifact":
            return (uid, name), Intended(labels={name}, labelled={uid: name})
        if operation == "delete_permanently":
            return (uid,), Intended(deleted={uid})
        return (uid,), Intended(moved={uid})

    def reconcile(self, intended: Intended) -> None:
        """After an interrupt: the database differs from the model only as the call intended."""
        now = self.ok("snapshot")
        rows = now["artifacts"]
        known = set(self.artifacts)
        for uid, row in rows.items():
            if uid not in self.artifacts:
                digests = intended.saves.get(row["key"], set())
                if FRAME_9_2 in digests and self.ok("holds_frame", uid, 9, 2):
                    digests = {row["digest"]}
                assert row["digest"] in digests, (
                    f"artifact {uid} ({row['key']}) appeared after an interrupt, "
                    "not one the call was saving"
                )
                self.artifacts[uid] = Stored(
                    row["key"], row["digest"], row["branch_id"], set(row["labels"])
                )
        # a new version that committed owns its family's shared store now
        self.follow_shared_stores(rows)
        for uid, stored in [(u, s) for u, s in self.artifacts.items() if u in known]:
            if uid not in rows:
                assert uid in intended.deleted, f"artifact {uid} lost after an interrupt"
                del self.artifacts[uid]
                continue
            row = rows[uid]
            if row["branch_id"] != stored.branch_id:
                assert uid in intended.moved, f"artifact {uid} moved by an interrupted call"
                stored.branch_id = row["branch_id"]
            assert row["digest"] == stored.digest, f"artifact {uid}'s bytes changed"
            if uid in intended.labelled:
                stored.labels = set(row["labels"])
        for name in set(now["labels"]) - set(self.labels):
            assert name in intended.labels, f"label {name!r} appeared after an interrupt"
            self.labels[name] = self.ok("label_uid", name)

    @rule(
        key=st.sampled_from(FOLDER_KEYS),
        contents=st.lists(CONTENTS, min_size=1, max_size=2),
        point=st.sampled_from(KILL_POINTS),
    )
    @recorded
    def killed_while_replacing(self, key: str, contents: list[bytes], point: str) -> None:
        """Another process saving a new version of a folder is killed (SIGKILL) while it
        replaces the store the versions share, then `check --fix` runs: the database differs
        from the model only as far as the killed save got, every store holds its owner's
        bytes."""
        if self.counters.kills >= MAX_KILLS:
            return
        self.counters.kills += 1
        folder = self.write_folder(contents)
        code = self.ok("killed_while_replacing", str(folder), key, point)
        assert code == -9, f"the saver was not killed at {point} (exit code {code})"
        self.reconcile(Intended(saves={key: {digest_of(folder)}}))
        self.counters.count("killed_while_replacing")

    # --- checking --------------------------------------------------------------------------

    @rule(elsewhere=st.sampled_from([False] * 9 + [True]))
    @recorded
    def check_fix(self, elsewhere: bool) -> None:
        """`lamin check --fix` here or, now and then, in another process (which takes ~4 s
        to start here, hence at most a few times a run)."""
        elsewhere = elsewhere and self.counters.checks_elsewhere < MAX_CHECKS_ELSEWHERE
        self.counters.checks_elsewhere += int(elsewhere)
        found = self.ok("check", True, elsewhere)
        if elsewhere:  # this process's own abandoned replacements are its to settle: the
            self.ok("check", True)  # other process sees their writer (this one) alive
        after = self.ok("check", False)
        assert after["orphans"] == [], f"orphans survived check --fix: {after['orphans']}"
        assert "Traceback" not in found.get("stderr", ""), found["stderr"]
        self.counters.orphans_removed += len(found["removed"])
        staged = self.ok("snapshot", True)["staged"]
        assert staged == [], f"staged files outlived their objects after check --fix: {staged}"
        self.counters.count("check_fix")

    @invariant()
    @recorded
    def every_row_has_its_bytes(self) -> None:
        found = self.ok("check", False)
        assert found["missing"] == [] and found["altered"] == [], found

    @invariant()
    @recorded
    def rows_are_the_model(self) -> None:
        now = self.ok("snapshot")
        rows = now["artifacts"]
        self.follow_shared_stores(rows)
        expected = {uid: stored.as_row() for uid, stored in self.artifacts.items()}
        actual = {uid: {k: row[k] for k in Stored.FIELDS} for uid, row in rows.items()}
        assert actual == expected, model_difference(actual, expected)
        assert now["labels"] == sorted(self.labels), "labels differ (a duplicate or a loss)"
        families: dict[str, int] = {}
        for uid, row in rows.items():
            families[uid[:16]] = families.get(uid[:16], 0) + int(row["is_latest"])
        assert all(n <= 1 for n in families.values()), f"two latest versions: {families}"

    def follow_shared_stores(self, rows: dict[str, Any]) -> None:
        """Versions of a folder share one store (LaminDB's overwrite_versions): an older
        version holds what the newest version of its family holds."""
        for uid, row in rows.items():
            if row["overwrite_versions"] and not row["is_latest"] and uid in self.artifacts:
                newest = max(u for u in self.artifacts if u[:16] == uid[:16])
                self.artifacts[uid].digest = self.artifacts[newest].digest

    @invariant()
    @recorded
    def session_and_run_answer(self) -> None:
        answer = self.ok("session_answers")
        assert answer["probe_found"]
        assert answer["run_uid"] == self.run_uid and answer["run_status"] == "started", answer
        assert answer["probe_in_run"], answer

    def teardown(self) -> None:
        assert self.ok("finish") == "completed"


def run_machine(machine: type[LoseNothing], ci_examples: int, ci_steps: int) -> None:
    """Run the sequences; a failure is reported as it first happened, with its steps."""
    try:
        run_state_machine_as_test(machine, settings=hypothesis_settings(ci_examples, ci_steps))
    except BaseException:
        if machine.counters.first_failure is not None:
            raise AssertionError(machine.counters.first_failure) from None
        raise
    finally:
        print(machine.counters.summary())


def machine_for(target: Target, workdir: Path, counters: Counters) -> type[LoseNothing]:
    """A LoseNothing bound to one target (connected to the instance) and working folder."""
    return type(
        f"LoseNothing_{uuid.uuid4().hex[:6]}",
        (LoseNothing,),
        {"target": target, "workdir": workdir, "counters": counters},
    )
