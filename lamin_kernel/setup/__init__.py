"""Instances, users and settings: init, connect, delete; the current session."""
