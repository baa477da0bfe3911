"""Alembic environment: runs migrations on the engine handed over in the config."""

from __future__ import annotations

from alembic import context

engine = context.config.attributes["engine"]

with engine.connect() as connection:
    # One transaction for all steps: on PostgreSQL a failed step rolls back the whole upgrade.
    context.configure(
        connection=connection,
        target_metadata=context.config.attributes.get("target_metadata"),
        transaction_per_migration=False,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
