"""Jinja2 templates for documents (packaged as csm.templates); copy one and pass --template to change it."""
