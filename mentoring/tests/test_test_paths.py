"""Every app's tests run: pytest only looks in pytest.ini's testpaths, and richtext's tests once sat
outside them, unseen (a new app's tests would be skipped the same way)."""

import configparser
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def test_every_package_with_tests_is_in_testpaths():
    config = configparser.ConfigParser()
    config.read(PROJECT / "pytest.ini")
    testpaths = set(config["pytest"]["testpaths"].split())
    with_tests = {path.parent.parent.name for path in PROJECT.glob("*/tests/__init__.py")}
    assert with_tests - testpaths == set()
