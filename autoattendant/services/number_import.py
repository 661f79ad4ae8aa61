"""Bulk import of phone numbers into one enterprise (``manage.py import_numbers``).

The rules are the phone-number service's (``services.numbers``: digits, 3-15 of them, unique
among live numbers; extension codes unique within the enterprise; only an extension has a code or
a spoken name), applied to a whole file at once so that 100 000 rows cost a handful of queries:
every row is checked in Python against one read of the enterprise's extension codes and a few
chunked reads of the numbers already live, then everything is written with ``bulk_create`` in
one transaction. All or nothing: one bad row and nothing is written, every bad row is reported
with its line as a spreadsheet shows it (the header is line 1).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ..errors import AppError
from ..models import AutoAttendantSystem, Enterprise, PhoneNumber, User
from ..sids import new_phone_number_sid
from .numbers import normalise_extension_code, normalise_number

__all__ = [
    "COLUMNS",
    "NewNumber",
    "NumberImportResult",
    "NumberRow",
    "Problem",
    "Progress",
    "check_numbers",
    "do_import_numbers",
    "import_numbers_csv",
    "parse_bool",
    "read_numbers_csv",
    "write_numbers",
]

COLUMNS = ("number", "isExtension", "extension", "extensionSpokenName")
SPOKEN_NAME_MAX = PhoneNumber._meta.get_field("extension_spoken_name").max_length
WRITE_CHUNK = 5_000
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no", ""}

# ``progress(stage, done, total)``: called now and then on long runs (commands print it).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Problem:
    """Why one row (or the file) was refused; ``line`` as a spreadsheet numbers rows."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass
class NumberRow:
    """One number to create, as read (values not yet normalised)."""

    line: int
    number: str
    is_extension: bool = False
    extension: str = ""
    spoken_name: str = ""
    system: AutoAttendantSystem | None = None
    created_by: User | None = None


@dataclass
class NumberImportResult:
    rows: int
    created: int = 0
    extensions: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _reason(error: AppError) -> str:
    """The detail of a validation error (``{"number": "'x' is not a phone number…"}``)."""
    if isinstance(error.data, dict) and error.data:
        return "; ".join(str(v) for v in error.data.values())
    return error.message


def parse_bool(raw: object) -> bool:
    """``true/false/1/0/yes/no`` in any case (empty means false); ``ValueError`` otherwise."""
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{raw!r} is not a boolean (true/false, 1/0, yes/no)")


def read_numbers_csv(stream: TextIO) -> tuple[list[NumberRow], list[Problem]]:
    """Rows of a CSV whose header row names its columns (any order; ``number`` required).

    Blank rows are skipped but still counted, so line numbers match the spreadsheet's.
    """
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        return [], [Problem(1, "the file is empty; expected a header row: " + ",".join(COLUMNS))]
    except csv.Error as exc:
        return [], [Problem(1, f"unreadable CSV: {exc}")]
    names = [h.strip().lstrip("\ufeff") for h in header]
    unknown = [n for n in names if n not in COLUMNS]
    problems = []
    if unknown:
        problems.append(
            Problem(1, f"unknown column(s) {', '.join(map(repr, unknown))}; the columns are "
                    + ",".join(COLUMNS))
        )  # fmt: skip
    if "number" not in names:
        problems.append(Problem(1, "the header row has no 'number' column"))
    if len(set(names)) != len(names):
        problems.append(Problem(1, "a column is named twice in the header row"))
    if problems:
        return [], problems

    rows: list[NumberRow] = []
    line = 1
    try:
        for record in reader:
            line += 1
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > len(names):
                problems.append(
                    Problem(line, f"{len(record)} values; the header names {len(names)} columns")
                )
                continue
            values = dict(zip(names, record, strict=False))
            try:
                is_extension = parse_bool(values.get("isExtension", ""))
            except ValueError as exc:
                problems.append(Problem(line, f"isExtension: {exc}"))
                continue
            rows.append(
                NumberRow(
                    line=line,
                    number=values.get("number", ""),
                    is_extension=is_extension,
                    extension=values.get("extension", ""),
                    spoken_name=values.get("extensionSpokenName", ""),
                )
            )
    except csv.Error as exc:
        problems.append(Problem(line + 1, f"unreadable CSV: {exc}"))
    return rows, problems


def _chunks(items: Sequence, size: int) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _live_numbers_among(digits: Sequence[str]) -> set[str]:
    """Which of ``digits`` are live numbers already (any enterprise), in chunked queries."""
    size = min(connection.features.max_query_params or 10_000, 10_000) - 10
    taken: set[str] = set()
    for chunk in _chunks(sorted(set(digits)), size):
        taken.update(
            PhoneNumber.objects.live().filter(number__in=chunk).values_list("number", flat=True)
        )
    return taken


@dataclass(slots=True)
class NewNumber:
    """A checked row, normalised and ready to insert."""

    enterprise_id: int
    number: str
    is_extension: bool
    extension: str
    spoken_name: str
    system_id: int | None
    created_by_id: int | None


def check_numbers(
    enterprise: Enterprise, rows: Sequence[NumberRow], progress: Progress | None = None
) -> tuple[list[NewNumber], list[Problem]]:
    """Every row checked against the others and the database; the numbers to insert and the
    problems found. Queries: one for the enterprise's extension codes, one per 10 000 numbers."""
    problems: list[Problem] = []
    candidates: list[tuple[NumberRow, str, str, str]] = []
    first_number: dict[str, int] = {}
    first_code: dict[str, int] = {}
    for i, row in enumerate(rows, 1):
        if progress and i % 10_000 == 0:
            progress("checked", i, len(rows))
        try:
            digits = normalise_number(row.number)
            code = normalise_extension_code(row.extension)
        except AppError as exc:
            problems.append(Problem(row.line, _reason(exc)))
            continue
        name = (row.spoken_name or "").strip()
        if not row.is_extension and (code or name):
            problems.append(
                Problem(row.line, "only an extension (isExtension true) has an extension code "
                        "or a spoken name")
            )  # fmt: skip
            continue
        if row.is_extension and row.system is not None:
            problems.append(Problem(row.line, "an extension cannot be an AA system's main number"))
            continue
        if len(name) > SPOKEN_NAME_MAX:
            problems.append(
                Problem(row.line, f"extensionSpokenName longer than {SPOKEN_NAME_MAX} characters")
            )
            continue
        if digits in first_number:
            problems.append(
                Problem(row.line, f"number {digits} is also on line {first_number[digits]}")
            )
            continue
        first_number[digits] = row.line
        if code:
            if code in first_code:
                problems.append(
                    Problem(row.line, f"extension {code} is also on line {first_code[code]}")
                )
                continue
            first_code[code] = row.line
        candidates.append((row, digits, code, name))

    existing_codes = set(
        PhoneNumber.objects.live()
        .filter(enterprise=enterprise)
        .exclude(extension="")
        .values_list("extension", flat=True)
    )
    live = _live_numbers_among([digits for _row, digits, _code, _name in candidates])
    numbers: list[NewNumber] = []
    for row, digits, code, name in candidates:
        if digits in live:
            problems.append(Problem(row.line, f"number {digits} already exists"))
        elif code in existing_codes:
            problems.append(Problem(row.line, f"extension {code} already exists in the enterprise"))
        else:
            numbers.append(
                NewNumber(
                    enterprise_id=enterprise.pk,
                    number=digits,
                    is_extension=row.is_extension,
                    extension=code,
                    spoken_name=name,
                    system_id=row.system.pk if row.system is not None else None,
                    created_by_id=row.created_by.pk if row.created_by is not None else None,
                )
            )
    problems.sort(key=lambda p: p.line)
    return numbers, problems


def _columns(number: NewNumber, now) -> dict[str, Any]:
    """A new row's value for every column of the table (by attribute name)."""
    return {
        "sid": new_phone_number_sid(),
        "enterprise_id": number.enterprise_id,
        "number": number.number,
        "is_extension": number.is_extension,
        "extension": number.extension,
        "extension_spoken_name": number.spoken_name,
        "auto_attendant_id": number.system_id,
        "created_by_id": number.created_by_id,
        "date_created": now,
        "date_updated": now,
        "date_deleted": None,
    }


def _copy_fields() -> list | None:
    """The table's columns for PostgreSQL's COPY, or None should the model have a column this
    module does not fill (then the ORM's bulk insert, which knows every default, is used)."""
    fields = [f for f in PhoneNumber._meta.concrete_fields if not f.primary_key]
    sample = _columns(NewNumber(0, "", False, "", "", None, None), None)
    return fields if {f.attname for f in fields} <= set(sample) else None


def write_numbers(numbers: Sequence[NewNumber], progress: Progress | None = None) -> None:
    """Insert checked numbers (call inside the importing transaction). On PostgreSQL through
    ``COPY`` (about ten times faster than INSERTs for 100 000 rows), elsewhere ``bulk_create``.
    A number or extension taken by a concurrent writer since the check is an IntegrityError,
    answered as a problem by the caller (the transaction is rolled back)."""
    now = timezone.now()
    fields = _copy_fields() if connection.vendor == "postgresql" else None
    done = 0
    for chunk in _chunks(numbers, WRITE_CHUNK):
        if fields is None:
            PhoneNumber.objects.bulk_create(
                [PhoneNumber(**_columns(n, now)) for n in chunk], batch_size=1_000
            )
        else:
            _copy(chunk, fields, now)
        done += len(chunk)
        if progress and len(numbers) > WRITE_CHUNK:
            progress("written", done, len(numbers))


def _copy(chunk: Sequence[NewNumber], fields: list, now) -> None:
    import psycopg  # only ever reached on PostgreSQL

    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    statement = f"COPY {quote(PhoneNumber._meta.db_table)} ({columns}) FROM STDIN"
    connection.ensure_connection()
    try:
        with connection.connection.cursor() as cursor, cursor.copy(statement) as copy:
            for number in chunk:
                values = _columns(number, now)
                copy.write_row([values[f.attname] for f in fields])
    except psycopg.IntegrityError as exc:  # the driver's: say it in Django's words
        raise IntegrityError(str(exc)) from exc


def do_import_numbers(
    enterprise: Enterprise,
    rows: Sequence[NumberRow],
    *,
    actor: User | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    known_problems: Sequence[Problem] = (),
) -> NumberImportResult:
    """Create every row's number in ``enterprise``, or none: any problem (``known_problems``
    are those found while reading the rows) or ``dry_run`` writes nothing."""
    for row in rows:
        row.created_by = row.created_by or actor
    result = NumberImportResult(rows=len(rows) + len(known_problems), dry_run=dry_run)
    numbers, problems = check_numbers(enterprise, rows, progress)
    result.problems = sorted([*known_problems, *problems], key=lambda p: p.line)
    if result.problems:
        return result
    if not dry_run:
        try:
            with transaction.atomic():
                write_numbers(numbers, progress)
        except IntegrityError:
            result.problems.append(
                Problem(0, "a number or extension was taken by someone else while importing")
            )
            return result
    result.created = len(numbers)
    result.extensions = sum(n.is_extension for n in numbers)
    return result


def import_numbers_csv(
    stream: TextIO,
    enterprise: Enterprise,
    *,
    actor: User | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> NumberImportResult:
    """Read and import a CSV; problems of the reading and of the rows are reported together
    (a bad header stops at once: the rows cannot be read without it)."""
    rows, read_problems = read_numbers_csv(stream)
    if any(p.line == 1 for p in read_problems):
        return NumberImportResult(rows=0, dry_run=dry_run, problems=read_problems)
    return do_import_numbers(
        enterprise,
        rows,
        actor=actor,
        dry_run=dry_run,
        progress=progress,
        known_problems=read_problems,
    )
