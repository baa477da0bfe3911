"""The SQLAlchemy and SQLModel releases that records.orm_internals was checked against.

A release outside the range fails here on purpose: read the module's docstring, check each
fast route against the new release (tests/integration/test_orm_internals.py compares them
with the public routes), then widen ``VERIFIED``.
"""

from __future__ import annotations

from lamin_kernel.records import orm_internals


def test_installed_releases_are_the_verified_ones() -> None:
    for package, (low, high) in orm_internals.VERIFIED.items():
        installed = orm_internals.release(package)
        assert low <= installed < high, (
            f"{package} {installed} is outside the range {low}..{high} that the fast routes in "
            "lamin_kernel/records/orm_internals.py were checked against"
        )
    assert orm_internals.fast_routes_verified()


def test_release_numbers_are_read_as_numbers() -> None:
    assert orm_internals.release("sqlalchemy")[0] == 2
    assert all(isinstance(n, int) for n in orm_internals.release("sqlmodel"))
