"""Real servers and instances for the tests: PostgreSQL, moto's S3 server, temporary instances."""
