"""Inviting a list: a coordinator's CSV or XLSX of people (name, email, role) read into a preview with
each row's problems, then sent as invitations in one go (matching.invitations.invite_many).

Written for the files people really upload, and the hostile ones: a file over MAX_BYTES, not UTF-8 (a
CSV saved by an old Excel), with a repeated or missing header, more than MAX_ROWS rows, or a million
empty ones, is refused whole, with a sentence saying what to do; a cell that starts like a spreadsheet
formula is refused on its row (it would run when someone opens an export). Nothing is saved here.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import normalise_email
from accounts.text_screening import validate_single_line

from .invitations import enrolled_and_invited
from .models import Programme, Role

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
# Blank rows in a row before the reading stops: a sheet padded with a million empty rows is read in a blink.
MAX_BLANK_RUN = 1_000
NAME_LENGTH = 100
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = {"name", "email", "role"}
_ROLE_WORDS = {"mentor": Role.MENTOR, "mentors": Role.MENTOR, "mentee": Role.MENTEE, "mentees": Role.MENTEE}


NOT_UTF8 = _lazy(
    "The file is not in UTF-8. In Excel choose Save As, then “CSV UTF-8 (Comma delimited)”, and upload it again."
)


class FileRefused(Exception):
    """The whole file cannot be read; the message says why and what to do."""


@dataclass
class Row:
    line: int
    name: str
    email: str
    role: str
    answers: dict = field(default_factory=dict)  # {question id (str): answer}, from columns named as questions
    problems: list[str] = field(default_factory=list)
    # Nothing wrong, but nothing to send: already enrolled, or already invited.
    skip_reason: str = ""

    @property
    def to_invite(self) -> bool:
        return not self.problems and not self.skip_reason

    def kept(self) -> dict:
        """As an InvitationList keeps it until the list is sent (`Row(**kept)` reads it back)."""
        return {"line": self.line, "name": self.name, "email": self.email, "role": self.role, "answers": self.answers}


@dataclass
class Preview:
    rows: list[Row]

    @property
    def to_invite(self) -> list[Row]:
        return [row for row in self.rows if row.to_invite]

    @property
    def with_problems(self) -> list[Row]:
        return [row for row in self.rows if row.problems]

    @property
    def skipped(self) -> list[Row]:
        return [row for row in self.rows if row.skip_reason and not row.problems]


def _cells_from_csv(raw: bytes):
    if b"\x00" in raw:
        raise FileRefused(_("This does not look like a CSV file. Upload a CSV (UTF-8) or an Excel .xlsx file."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused(str(NOT_UTF8)) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.reader(io.StringIO(text), dialect)


def _cells_from_xlsx(raw: bytes):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise FileRefused(_("This Excel file could not be read. Save it again as .xlsx, or as CSV UTF-8.")) from error
    sheet = workbook.worksheets[0]
    return (
        ["" if value is None else str(value) for value in row]
        for row in sheet.iter_rows(max_row=MAX_ROWS + MAX_BLANK_RUN + 1, values_only=True)
    )


def _question_columns(names: dict[str, int], programme: Programme) -> dict:
    """Columns named as one of the programme's questions (its text, case aside): {index: question}."""
    from .models import EnrolmentQuestion

    by_text = {" ".join(q.text.split()).casefold(): q for q in EnrolmentQuestion.objects.filter(programme=programme)}
    return {index: by_text[name] for name, index in names.items() if name in by_text}


def _answer(question, text: str):
    """The cell as the question's answer, or raise ValueError saying what it should be."""
    if question.kind == "text":
        return text[:100]
    if question.kind == "scale":
        if text not in {"1", "2", "3", "4", "5"}:
            raise ValueError(_("“%(question)s” takes a number from 1 to 5.") % {"question": question.text[:60]})
        return int(text)
    given = [part.strip() for part in (text.split(";") if question.kind == "multiple" else [text]) if part.strip()]
    by_fold = {choice.casefold(): choice for choice in question.choices}
    unknown = [part for part in given if part.casefold() not in by_fold]
    if unknown:
        raise ValueError(_("“%(value)s” is not a choice of “%(question)s”.") % {"value": unknown[0][:40],
                         "question": question.text[:60]})  # fmt: skip
    chosen = [by_fold[part.casefold()] for part in given]
    return chosen if question.kind == "multiple" else chosen[0]


def _header(cells) -> dict[str, int]:
    names = [str(cell).strip().lower() for cell in cells]
    seen: dict[str, int] = {}
    for index, name in enumerate(names):
        if not name:
            continue
        if name in seen:
            raise FileRefused(
                _("The column “%(name)s” appears twice: keep one and upload again.") % {"name": name[:40]}
            )
        seen[name] = index
    if "email" not in seen:
        raise FileRefused(_("The first row must name the columns, with at least “email” (and “name”, “role”)."))
    return seen


def read(filename: str, raw: bytes, programme: Programme, default_role: str = "") -> Preview:
    if len(raw) > MAX_BYTES:
        raise FileRefused(_("The file is larger than 5 MB: split it, or keep only the name, email and role columns."))
    is_xlsx = filename.lower().endswith((".xlsx", ".xlsm")) or raw[:2] == b"PK"
    cells = _cells_from_xlsx(raw) if is_xlsx else _cells_from_csv(raw)
    try:
        header = _header(next(cells))
    except StopIteration:
        raise FileRefused(_("The file is empty.")) from None
    questions = _question_columns({" ".join(name.split()).casefold(): index for name, index in header.items()},
                                  programme)  # fmt: skip
    rows: list[Row] = []
    blank_run = 0
    try:
        for line, values in enumerate(cells, start=2):
            if not any(str(value).strip() for value in values):
                blank_run += 1
                if blank_run > MAX_BLANK_RUN:
                    break
                continue
            blank_run = 0
            if len(rows) >= MAX_ROWS:
                raise FileRefused(
                    _("The file has more than %(n)s people: split it into smaller files.") % {"n": f"{MAX_ROWS:,}"}
                )
            rows.append(_row(line, values, header, default_role, questions))
    except csv.Error as error:
        raise FileRefused(_("The CSV file is malformed near line %(line)s.") % {"line": line}) from error
    if not rows:
        raise FileRefused(_("The file names its columns but has nobody in it."))
    _mark_duplicates_and_known(rows, programme)
    return Preview(rows)


def _cell(values, header, name) -> str:
    index = header.get(name)
    return str(values[index]).strip() if index is not None and index < len(values) else ""


def _row(line: int, values, header, default_role: str, questions=None) -> Row:
    name, email, role_text = (_cell(values, header, column) for column in ("name", "email", "role"))
    row = Row(line=line, name=name[:NAME_LENGTH], email=normalise_email(email)[:254], role="")
    for value in (name, email, role_text):
        if value.startswith(_FORMULA_START):
            row.problems.append(_("A cell starts like a spreadsheet formula (=, +, -, @)."))
            break
    try:
        validate_email(row.email)
    except ValidationError:
        row.problems.append(_("“%(value)s” is not an e-mail address.") % {"value": email[:60]})
    if len(name) > NAME_LENGTH:
        row.problems.append(_("The name is longer than %(n)s characters.") % {"n": NAME_LENGTH})
    try:
        validate_single_line(name)
    except ValidationError:
        row.problems.append(_("The name has a line break or a control character in it."))
    row.role = _ROLE_WORDS.get(role_text.lower(), "") if role_text else default_role
    if not row.role:
        row.problems.append(_("The role must be mentor or mentee."))
    for index, question in (questions or {}).items():
        text = str(values[index]).strip() if index < len(values) else ""
        if not text or not question.asked_of(row.role):
            continue
        if text.startswith(_FORMULA_START):
            row.problems.append(_("A cell starts like a spreadsheet formula (=, +, -, @)."))
            continue
        try:
            validate_single_line(text)
            row.answers[str(question.pk)] = _answer(question, text)
        except (ValueError, ValidationError) as error:
            row.problems.append(error.messages[0] if isinstance(error, ValidationError) else str(error))
    return row


def _mark_duplicates_and_known(rows: list[Row], programme: Programme) -> None:
    """Twice in the file, already enrolled here, or already invited: two queries for any number of rows."""
    enrolled, invited = enrolled_and_invited(programme, {row.email for row in rows if not row.problems})
    first_line: dict[str, int] = {}
    for row in rows:
        if row.problems:
            continue
        if row.email in first_line:
            row.problems.append(_("The same address is on line %(line)s.") % {"line": first_line[row.email]})
        elif row.email in enrolled:
            row.skip_reason = _("Already enrolled in this programme.")
        elif row.email in invited:
            row.skip_reason = _("Already invited: not invited twice.")
        first_line.setdefault(row.email, row.line)
