"""Alembic migrations of the book, shipped as package data."""
