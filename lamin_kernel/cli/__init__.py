"""The `lamin` command; each subcommand calls the function a user would call in Python."""

from .main import app, main

__all__ = ["app", "main"]
