"""csm: a Customer Success Manager's day on the command line."""

__version__ = "0.1.0"
