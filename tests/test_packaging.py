"""What the package says about itself is true: its wheel holds what users need and no development script, its
version comes from git and moves caches with the code, and the system's time zone is found with tzlocal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """The wheel `pip install .` builds, from a clean copy of the source (no stale build/ folder) and without
    the network (the build tools are test extras)."""
    import shutil

    source = tmp_path_factory.mktemp("source") / "csm"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", "_version.py"))  # fmt: skip
    folder = tmp_path_factory.mktemp("wheel")
    env = {**os.environ, "SETUPTOOLS_SCM_PRETEND_VERSION": "1.2.3"}  # the copy has no git history
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(folder),
         str(source)], capture_output=True, text=True, timeout=600, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (built,) = folder.glob("*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_ships_the_example_book_and_templates_but_no_development_script(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    examples = {Path(n).name for n in names if n.startswith("csm/examples/")}
    assert {"book.toml", "accounts_salesforce.csv", "calendar_outlook.ics", "tickets_zendesk.csv"} <= examples
    assert "generate.py" not in examples and "screenshot.py" not in examples
    assert not [n for n in names if n.startswith(("tests/", "bench/", "tools/")) or n.endswith(".svg")]
    assert {"csm/templates/prep.md.j2", "csm/templates/ebr.html.j2", "csm/db/migrations/script.py.mako",
            "csm/py.typed", "csm/_version.py"} <= names  # fmt: skip


def test_the_wheel_says_its_free_name_its_licence_and_its_version(wheel: zipfile.ZipFile) -> None:
    (metadata,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    text = wheel.read(metadata).decode()
    fields = [line.split(": ", 1) for line in text.splitlines() if ": " in line and not line.startswith(" ")]
    assert ["Name", "csm-cli"] in fields and ["Version", "1.2.3"] in fields
    assert ["License-Expression", "MIT"] in fields
    assert any(key == "Classifier" for key, _ in fields)
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in wheel.namelist())
    requires = [value for key, value in fields if key == "Requires-Dist"]
    for needed in ("icalendar>=7.1", "x-wr-timezone>=2", "tzlocal>=5"):
        assert any(r.replace(" ", "").startswith(needed) for r in requires), (needed, requires)
    entry_points = wheel.read(metadata.replace("METADATA", "entry_points.txt")).decode()
    assert "csm = csm.cli:main" in entry_points


def test_csm_version_is_the_one_setuptools_scm_wrote_at_install() -> None:
    import csm
    from csm import _version

    done = subprocess.run([sys.executable, "-m", "csm", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"csm {_version.version}" == f"csm {csm.__version__}"
    assert csm.__version__ not in ("0.1.0", "0.1.0+unknown")  # from git, not a hand-kept number
    probe = (
        "import sys; import csm.cli; print(sorted(m for m in ('sqlalchemy', 'tzlocal', 'jinja2') if m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.strip() == "[]"


def test_caches_keyed_on_the_code_move_when_a_module_changes(tmp_path: Path) -> None:
    from csm import stamp_of

    package = tmp_path / "csm"
    (package / "db").mkdir(parents=True)
    (package / "db" / "rules.py").write_text("THRESHOLD = 10\n")
    before = stamp_of(str(package), "1.0")
    assert stamp_of(str(package), "1.0") == before
    (package / "db" / "rules.py").write_text("THRESHOLD = 12\n")
    os.utime(package / "db" / "rules.py", ns=(1, 2_000_000_000_000_000_000))
    assert stamp_of(str(package), "1.0") != before
    assert stamp_of(str(package), "1.1") != stamp_of(str(package), "1.0")


def test_the_config_cache_and_the_stored_evaluation_are_keyed_on_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    import csm
    from csm.config import Config, config_stamp, validated_cache

    monkeypatch.setattr(csm, "_stamp", "code-one")
    one = (validated_cache(b"owner = 'me'"), config_stamp(Config()))
    monkeypatch.setattr(csm, "_stamp", "code-two")
    two = (validated_cache(b"owner = 'me'"), config_stamp(Config()))
    assert one[0] != two[0] and one[1] != two[1]


@pytest.mark.parametrize("zone", [":/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo", "/usr/share/zoneinfo/Asia/Tokyo"])
def test_the_system_time_zone_is_found_with_tzlocal(tmp_path: Path, zone: str) -> None:
    if not Path("/usr/share/zoneinfo/Asia/Tokyo").exists():
        pytest.skip("no system zoneinfo database here")
    from csm.db.book import locate_book, open_book

    book = tmp_path / "book.db"
    open_book(locate_book(str(book))).close()
    env = {k: v for k, v in os.environ.items() if k not in ("CSM_TIMEZONE", "TZ")}
    env.update({"CSM_DB": str(book), "CSM_CONFIG": str(tmp_path / "none.toml"), "CSM_AS_OF": "2027-03-01",
                "CSM_CACHE_DIR": str(tmp_path / "cache"), "TZ": zone})  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "csm", "today", "--format", "json"], env=env, capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["timezone"] == "Asia/Tokyo"
