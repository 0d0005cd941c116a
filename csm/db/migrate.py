"""Alembic, driven from code: the migration scripts ship inside the package."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from csm.errors import BookError

if TYPE_CHECKING:
    from alembic.config import Config as AlembicConfig

    from csm.db.book import BookLocation

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config() -> AlembicConfig:
    from alembic.config import Config as AlembicConfig

    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(location: BookLocation, revision: str = "head") -> None:
    """Bring the book's schema to `revision` in one transaction."""
    from alembic import command
    from sqlalchemy.exc import SQLAlchemyError

    from csm.db.book import create_engine

    engine = create_engine(location)
    config = alembic_config()
    try:
        with engine.begin() as connection, warnings.catch_warnings():
            # batch mode on SQLite reflects the tables it rebuilds; it cannot reflect the expression index
            # on lower(owner) (left untouched), and says so on stderr
            warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index")
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except SQLAlchemyError as exc:
        raise BookError(f"cannot migrate the book {location.describe()}: {exc}") from exc
    finally:
        engine.dispose()


def script_revisions() -> list[str]:
    """Every revision in the scripts, oldest first (for the test that guards csm.db.REVISIONS)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return [script.revision for script in reversed(list(scripts.walk_revisions()))]
