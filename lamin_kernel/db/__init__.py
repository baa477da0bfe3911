"""Database plumbing: engines, sessions, migrations, uids."""
