"""Rendering: report models to Rich, Markdown, HTML and JSON."""
