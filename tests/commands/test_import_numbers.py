"""``manage.py import_numbers CSV --enterprise EN… [--dry-run]``."""

from __future__ import annotations

import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from autoattendant.models import PhoneNumber

HEADER = "number,isExtension,extension,extensionSpokenName\n"


def write_csv(tmp_path: Path, text: str, name: str = "numbers.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_numbers", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_numbers", *args, stdout=out, stderr=err)
    return str(failure.value), err.getvalue()


def test_it_imports_numbers_and_extensions(tmp_path, enterprise_a):
    path = write_csv(
        tmp_path,
        HEADER
        + "+1 555 0100 100,false,,\n"
        + "15550100101,TRUE,101,Dr. Sarah Lee\n"
        + "15550100102,yes,102-0, Billing \n"
        + "15550100103,0,,\n",
    )
    out, _err = run(path, "--enterprise", enterprise_a.sid)

    assert "Imported 4 number(s), 2 of them extensions" in out
    rows = {
        n.number: (n.is_extension, n.extension, n.extension_spoken_name)
        for n in PhoneNumber.objects.filter(enterprise=enterprise_a)
    }
    assert rows == {
        "15550100100": (False, "", ""),
        "15550100101": (True, "101", "Dr. Sarah Lee"),
        "15550100102": (True, "1020", "Billing"),
        "15550100103": (False, "", ""),
    }


def test_columns_may_come_in_any_order_and_only_number_is_required(tmp_path, enterprise_a):
    path = write_csv(tmp_path, "extension,number,isExtension\n7,15550100100,1\n,15550100101,\n")
    run(path, "--enterprise", enterprise_a.sid)
    assert PhoneNumber.objects.get(number="15550100100").extension == "7"
    assert PhoneNumber.objects.get(number="15550100101").is_extension is False


def test_each_bad_row_is_named_with_its_spreadsheet_line_and_nothing_is_imported(
    tmp_path, enterprise_a, enterprise_b
):
    PhoneNumber.objects.create(enterprise=enterprise_b, number="15559990000")
    PhoneNumber.objects.create(enterprise=enterprise_a, number="15559990001", extension="300",
                               is_extension=True)  # fmt: skip
    path = write_csv(
        tmp_path,
        HEADER
        + "15550100100,false,,\n"  # line 2: fine
        + "12,false,,\n"  # line 3: too short
        + "15550100101,maybe,,\n"  # line 4: not a boolean
        + "\n"  # line 5: blank, skipped but counted
        + "15550100100,false,,\n"  # line 6: repeats line 2
        + "15559990000,false,,\n"  # line 7: live in another enterprise
        + "15550100102,true,300,Taken\n"  # line 8: the enterprise's extension already
        + "15550100103,false,104,Not an extension\n"  # line 9: code without isExtension
        + '"15550100104","true","1x",""\n',  # line 10: a code of digits only
    )
    message, err = run_failing(path, "--enterprise", enterprise_a.sid)

    assert message == "7 bad row(s) of 8; nothing was imported."
    assert err.strip().splitlines() == [
        f"{path}: line 3: '12' is not a phone number (3 to 15 digits).",
        f"{path}: line 4: isExtension: 'maybe' is not a boolean (true/false, 1/0, yes/no)",
        f"{path}: line 6: number 15550100100 is also on line 2",
        f"{path}: line 7: number 15559990000 already exists",
        f"{path}: line 8: extension 300 already exists in the enterprise",
        f"{path}: line 9: only an extension (isExtension true) has an extension code or a "
        "spoken name",
        f"{path}: line 10: '1x' is not an extension code (1 to 15 digits).",
    ]
    assert not PhoneNumber.objects.filter(number="15550100100").exists()


def test_a_bad_header_is_line_1(tmp_path, enterprise_a):
    path = write_csv(tmp_path, "phone,isExtension\n15550100100,false\n")
    message, err = run_failing(path, "--enterprise", enterprise_a.sid)
    assert "line 1: unknown column(s) 'phone'" in err
    assert "line 1: the header row has no 'number' column" in err
    assert "nothing was imported" in message


def test_a_row_with_too_many_values_is_reported(tmp_path, enterprise_a):
    path = write_csv(tmp_path, "number\n15550100100,extra\n")
    _message, err = run_failing(path, "--enterprise", enterprise_a.sid)
    assert "line 2: 2 values; the header names 1 columns" in err


def test_dry_run_checks_everything_and_writes_nothing(tmp_path, enterprise_a):
    good = write_csv(tmp_path, HEADER + "15550100100,false,,\n15550100101,true,101,Lee\n")
    out, _err = run(good, "--enterprise", enterprise_a.sid, "--dry-run")
    assert "Would import 2 number(s), 1 of them extensions" in out
    assert "dry run: nothing was written" in out
    assert not PhoneNumber.objects.exists()

    bad = write_csv(tmp_path, HEADER + "15550100100,false,,\nnope,false,,\n", "bad.csv")
    _message, err = run_failing(bad, "--enterprise", enterprise_a.sid, "--dry-run")
    assert "line 3:" in err
    assert not PhoneNumber.objects.exists()


def test_an_unknown_enterprise_or_file_is_an_error(tmp_path, enterprise_a):
    path = write_csv(tmp_path, HEADER)
    message, _err = run_failing(path, "--enterprise", "EN" + "0" * 32)
    assert message.startswith("No enterprise")
    message, _err = run_failing(str(tmp_path / "missing.csv"), "--enterprise", enterprise_a.sid)
    assert message.startswith("Cannot read")


def test_one_bad_row_among_10000_imports_nothing_and_names_it(tmp_path, enterprise_a):
    rows = [f"1555{i:07d},{'true' if i % 10 == 0 else 'false'},"
            f"{i if i % 10 == 0 else ''},{f'Person {i}' if i % 10 == 0 else ''}"
            for i in range(10_000)]  # fmt: skip
    rows[7_776] = "1555-CALL-NOW,false,,"  # spreadsheet line 7 778
    path = write_csv(tmp_path, HEADER + "\n".join(rows) + "\n")

    started = time.monotonic()
    message, err = run_failing(path, "--enterprise", enterprise_a.sid)
    assert time.monotonic() - started < 10

    assert message == "1 bad row(s) of 10000; nothing was imported."
    reports = [line for line in err.splitlines() if line.startswith(path)]
    assert reports == [
        f"{path}: line 7778: '1555-CALL-NOW' is not a phone number (3 to 15 digits)."
    ]
    assert not PhoneNumber.objects.exists()

    # Dry run of the same file: the same report, nothing written.
    message, err = run_failing(path, "--enterprise", enterprise_a.sid, "--dry-run")
    assert "line 7778" in err
    assert not PhoneNumber.objects.exists()

    # Fixed, it imports all 10 000 rows, quickly.
    rows[7_776] = "15559999999,false,,"
    write_csv(tmp_path, HEADER + "\n".join(rows) + "\n")
    started = time.monotonic()
    out, _err = run(path, "--enterprise", enterprise_a.sid)
    assert time.monotonic() - started < 10
    assert "Imported 10000 number(s), 1000 of them extensions" in out
    assert PhoneNumber.objects.filter(enterprise=enterprise_a).count() == 10_000


def test_large_files_report_progress_on_stderr(tmp_path, enterprise_a):
    rows = [f"1777{i:07d},false,," for i in range(12_000)]
    path = write_csv(tmp_path, HEADER + "\n".join(rows) + "\n")
    out, err = run(path, "--enterprise", enterprise_a.sid)
    assert "checked 10000/12000" in err
    assert "written 12000/12000 (100%)" in err
    assert "written" not in out
