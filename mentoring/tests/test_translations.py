"""The catalogues of every language the site offers are whole: no string of the code left untranslated or
fuzzy (read back by polib from a fresh `makemessages` over a copy of the project), every placeholder kept,
Arabic's six plural forms given, and the compiled .mo files the site reads in step with their .po."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

PROJECT = Path(__file__).resolve().parents[2]
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
# What `make messages` passes to makemessages: the runtime apps and templates, never tests or tools.
MAKEMESSAGES = ["makemessages", *(f"-l{code}" for code in TRANSLATED), "--no-obsolete", "-v0",
                "--ignore=.venv", "--ignore=tools", "--ignore=*/tests/*", "--ignore=staticfiles",
                "--ignore=test-artifacts", "--ignore=docs", "--ignore=bench"]  # fmt: skip
PLACEHOLDER = re.compile(r"%\([a-zA-Z_]+\)[sd]|%\([a-zA-Z_]+\)\.\df|%[sd]|%%|\{[a-z_]+\}")


def catalogue(code: str, root: Path = PROJECT) -> polib.POFile:
    return polib.pofile(str(root / "locale" / code / "LC_MESSAGES" / "django.po"))


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """The catalogues as makemessages would leave them now, in a copy of the project (the real ones untouched)."""
    copy = tmp_path_factory.mktemp("messages") / "project"
    left_out = shutil.ignore_patterns(".git", ".venv", "staticfiles", "test-artifacts", "docs", "bench", "node_modules",
                                      "__pycache__", "*.mo")  # fmt: skip
    shutil.copytree(PROJECT, copy, ignore=left_out)
    done = subprocess.run([sys.executable, "manage.py", *MAKEMESSAGES], cwd=copy, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return {code: catalogue(code, copy) for code in TRANSLATED}


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_string_of_the_code_is_translated_and_none_is_fuzzy(fresh_catalogues, code):
    fresh = fresh_catalogues[code]
    untranslated = [entry.msgid for entry in fresh.untranslated_entries()]
    fuzzy = [entry.msgid for entry in fresh.fuzzy_entries()]
    assert (untranslated, fuzzy) == ([], []), f"run `make messages` and translate these in locale/{code}"
    assert len(fresh) > 1800


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_placeholder_and_plural_form_is_kept(code):
    po = catalogue(code)
    forms = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    problems = []
    for entry in po:
        wanted = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural or ""))
        if entry.msgid_plural:
            if len(entry.msgstr_plural) != forms:
                problems.append((entry.msgid, f"{len(entry.msgstr_plural)} forms"))
            texts = list(entry.msgstr_plural.values())
        else:
            texts = [entry.msgstr]
            if sorted(PLACEHOLDER.findall(entry.msgstr)) != sorted(PLACEHOLDER.findall(entry.msgid)):
                problems.append((entry.msgid, entry.msgstr))
        problems += [(entry.msgid, text) for text in texts if not set(PLACEHOLDER.findall(text)) <= wanted]
        if "%d" in (entry.msgid_plural or ""):  # positional: every form must take the number
            problems += [(entry.msgid, text) for text in texts if "%d" not in text]
    assert problems == []
    if code == "ar":
        assert forms == 6  # zero, one, two, few, many, other


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalogue_is_in_step_with_its_source(code):
    source = {(entry.msgctxt, entry.msgid): entry for entry in catalogue(code) if entry.translated()}
    compiled = polib.mofile(str(PROJECT / "locale" / code / "LC_MESSAGES" / "django.mo"))
    read = {(entry.msgctxt, entry.msgid): entry for entry in compiled}
    assert set(read) == set(source), "run `make messages` (it compiles the .mo files)"
    assert all(read[key].msgstr == source[key].msgstr for key in source if not source[key].msgid_plural)
