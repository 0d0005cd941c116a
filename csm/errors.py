"""Errors a CSM can act on: each says what went wrong, where, and what to do next."""


class CsmError(Exception):
    """A problem with the user's data or request; the CLI turns it into exit code 1."""


class ConfigError(CsmError):
    """The config file is unreadable or holds an invalid value."""


class BookError(CsmError):
    """The book (database) cannot be opened, created or migrated."""


class ForeignFileError(BookError):
    """The file named as the book belongs to another program; csm leaves it untouched."""


class NotFoundError(CsmError):
    """An account, contact, to-do or other record named by the user does not exist."""


class AmbiguousError(CsmError):
    """A name matches more than one record."""


class InputError(CsmError):
    """A value typed by the user or read from a file is invalid."""
