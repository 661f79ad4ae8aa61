"""The monthly roll-up: stored counts, idempotence, locking, and serving closed months."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection

from aa_project.celery import app as celery_app
from autoattendant.models import Enterprise, MonthlyUsage
from autoattendant.services.usage import MonthNotClosed, rollup_month, run_rollup
from autoattendant.tasks import rollup_usage

from .conftest import add_number, at

MAY = dt.date(2024, 5, 1)
NOW = at("2024-06-01T01:00")  # the beat run for May
BASE = "/autoattendant/phonenumber/usage/records"


def stored(month=MAY) -> dict[str, int]:
    return dict(MonthlyUsage.objects.filter(month=month).values_list("enterprise__sid", "count"))


@pytest.fixture
def may_numbers(enterprise_a, enterprise_b):
    """Enterprise A: 3 numbers in May (one deleted mid-May, one extension); B: none left."""
    add_number(enterprise_a, "2024-04-02")
    add_number(enterprise_a, "2024-05-05", "2024-05-25")
    add_number(enterprise_a, "2024-05-31T23:59", extension=True)
    add_number(enterprise_a, "2024-06-01")  # June's
    add_number(enterprise_b, "2024-03-01", "2024-04-30")
    return enterprise_a, enterprise_b


@pytest.mark.django_db
class TestRollupMonth:
    def test_it_stores_every_enterprises_count_zeros_included(self, may_numbers):
        a, b = may_numbers
        result = rollup_month(MAY, now=NOW)
        assert (result.ran, result.enterprises, result.numbers) == (True, 2, 3)
        assert stored() == {a.sid: 3, b.sid: 0}
        row = MonthlyUsage.objects.get(enterprise=a)
        assert (row.month, row.computed_at) == (MAY, NOW)

    def test_running_it_twice_leaves_the_same_rows(self, may_numbers):
        rollup_month(MAY, now=NOW)
        first = stored()
        rollup_month(MAY, now=NOW + dt.timedelta(hours=1))
        assert stored() == first
        assert MonthlyUsage.objects.count() == 2
        assert {r.computed_at for r in MonthlyUsage.objects.all()} == {NOW + dt.timedelta(hours=1)}

    def test_it_recomputes_rather_than_increments(self, may_numbers):
        a, _ = may_numbers
        MonthlyUsage.objects.create(enterprise=a, month=MAY, count=999, computed_at=NOW)
        rollup_month(MAY, now=NOW)
        assert stored()[a.sid] == 3

    def test_any_day_of_the_month_names_the_month(self, may_numbers):
        assert rollup_month(dt.date(2024, 5, 17), now=NOW).month == MAY

    @pytest.mark.parametrize("month", [dt.date(2024, 6, 1), dt.date(2024, 7, 1)])
    def test_it_refuses_a_month_that_has_not_ended(self, may_numbers, month):
        with pytest.raises(MonthNotClosed):
            rollup_month(month, now=NOW)
        assert not MonthlyUsage.objects.exists()

    def test_a_run_that_finds_the_lock_taken_does_nothing(self, may_numbers):
        cache.add("usage-rollup:2024-05", "another run", 60)
        result = rollup_month(MAY, now=NOW)
        assert not result.ran
        assert "already" in result.summary() or "running" in result.summary()
        assert not MonthlyUsage.objects.exists()
        cache.delete("usage-rollup:2024-05")
        assert rollup_month(MAY, now=NOW).ran

    def test_it_uses_a_bounded_number_of_queries(self, may_numbers, django_assert_max_num_queries):
        for i in range(20):
            add_number(Enterprise.objects.create(name=f"More {i}"), "2024-05-10")
        # savepoint · [advisory lock] · enterprise ids · one count · one upsert · release
        with django_assert_max_num_queries(6):
            assert rollup_month(MAY, now=NOW).enterprises == 22


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_rollups_leave_the_same_rows(enterprise_a, enterprise_b):
    for day in ("2024-05-01", "2024-05-02", "2024-05-03"):
        add_number(enterprise_a, day)
    add_number(enterprise_b, "2024-05-20", "2024-05-21")
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            outcomes.append(rollup_month(MAY, now=NOW))
        except Exception as exc:  # reported below; a thread's exception is otherwise lost
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(outcomes) == 2 and any(o.ran for o in outcomes)
    assert stored() == {enterprise_a.sid: 3, enterprise_b.sid: 1}
    assert MonthlyUsage.objects.count() == 2
    # ...and once more afterwards, still the same.
    assert rollup_month(MAY, now=NOW).ran
    assert stored() == {enterprise_a.sid: 3, enterprise_b.sid: 1}


# --- Served from the roll-up ----------------------------------------------------------------
def _without_as_of(response) -> list[dict]:
    assert response.status_code == 200, response.json()
    return [
        {k: v for k, v in r.items() if k != "asOf"} for r in response.json()["data"]["usageRecords"]
    ]


@pytest.mark.django_db
class TestServingClosedMonths:
    URLS = (
        f"{BASE}/monthly?pageSize=100",
        f"{BASE}/lastmonth",
        f"{BASE}?startDate=2024-04-01&endDate=2024-04-30",
        f"{BASE}/monthly?startDate=2024-02-10&endDate=2024-06-20",  # clipped ends: live
    )

    def test_served_from_the_rollup_equals_computed_live(
        self, operator, bg_admin, may_numbers, freeze_now
    ):
        a, _ = may_numbers
        add_number(a, "2023-11-11", "2024-02-02")
        add_number(a, "2024-01-31T23:00", extension=True)
        freeze_now("2024-06-20T10:00")
        clients = (operator.client, bg_admin.client)
        live = [_without_as_of(c.get(url)) for c in clients for url in self.URLS]
        for month in range(1, 6):
            rollup_month(dt.date(2024, month, 1), now=NOW)
        rolled = [_without_as_of(c.get(url)) for c in clients for url in self.URLS]
        assert rolled == live
        monthly = operator.client.get(self.URLS[0]).json()["data"]["usageRecords"]
        may = [r for r in monthly if r["startDate"] == "2024-05-01"]
        assert {r["asOf"] for r in may} == {"2024-06-01T01:00:00+0000"}  # when it was rolled up
        june = [r for r in monthly if r["startDate"] == "2024-06-01"]
        assert {r["asOf"] for r in june} == {"2024-06-20T10:00:00+0000"}  # live

    def test_a_closed_month_is_read_from_the_stored_row(self, bg_admin, may_numbers, freeze_now):
        a, _ = may_numbers
        freeze_now("2024-06-20T10:00")
        rollup_month(MAY, now=NOW)
        MonthlyUsage.objects.filter(enterprise=a).update(count=42)  # proves where it comes from
        (record,) = bg_admin.client.get(f"{BASE}/lastmonth").json()["data"]["usageRecords"]
        assert record["count"] == "42"
        # A part of the month, or the open month, is still counted live.
        part = bg_admin.client.get(f"{BASE}?startDate=2024-05-01&endDate=2024-05-30")
        assert part.json()["data"]["usageRecords"][0]["count"] == "2"  # not the 31st one

    def test_an_enterprise_created_after_the_rollup_has_0_for_that_month(
        self, operator, may_numbers, freeze_now
    ):
        rollup_month(MAY, now=NOW)
        late = Enterprise.objects.create(name="Late")
        freeze_now("2024-06-20T10:00")
        add_number(late, "2024-06-10")
        r = operator.client.get(f"{BASE}/lastmonth?enterpriseSid={late.sid}")
        assert [x["count"] for x in r.json()["data"]["usageRecords"]] == ["0"]


# --- The command, the task and the schedule ---------------------------------------------------
@pytest.mark.django_db
class TestCommandAndTask:
    def test_the_command_rolls_up_a_month_and_prints_a_summary(self, may_numbers, capsys):
        call_command("rollup_usage", "--month", "2024-05")
        assert capsys.readouterr().out.strip() == "Rolled up 2024-05: 2 enterprises, 3 numbers."
        assert stored()[may_numbers[0].sid] == 3

    def test_the_command_defaults_to_the_previous_month(self, may_numbers, freeze_now, capsys):
        freeze_now("2024-06-01T01:00")
        call_command("rollup_usage")
        assert "Rolled up 2024-05" in capsys.readouterr().out

    @pytest.mark.parametrize("month", ["2024-13", "May", "2024-5", "2999-01"])
    def test_the_command_rejects_a_bad_or_open_month(self, db, month):
        with pytest.raises(CommandError):
            call_command("rollup_usage", "--month", month)

    def test_the_task_runs_the_same_code(self, may_numbers, freeze_now):
        freeze_now("2024-06-01T01:00")
        result = rollup_usage.apply().get()  # in-process, whatever the broker
        assert result == {"month": "2024-05", "ran": True, "enterprises": 2, "numbers": 3}
        assert rollup_usage.apply(args=["2024-04"]).get()["month"] == "2024-04"
        before = stored()
        run_rollup("2024-05", now=NOW)  # what the command runs: the same rows again
        assert stored() == before

    def test_the_task_returns_quietly_for_an_open_month(self, may_numbers, freeze_now):
        freeze_now("2024-06-15T00:00")
        assert rollup_usage.apply(args=["2024-06"]).get() is None
        assert not MonthlyUsage.objects.exists()

    def test_the_task_returns_quietly_with_no_enterprises(self, db, freeze_now):
        freeze_now("2024-06-01T01:00")
        result = rollup_usage.apply().get()
        assert (result["ran"], result["enterprises"]) == (True, 0)


def test_beat_runs_the_rollup_on_the_1st_of_every_month_utc():
    entry = settings.CELERY_BEAT_SCHEDULE["rollup-usage"]
    assert entry["task"] == "autoattendant.tasks.rollup_usage" == rollup_usage.name
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert (schedule.day_of_month, schedule.hour, schedule.minute) == ({1}, {1}, {0})
    assert celery_app.conf.beat_schedule["rollup-usage"]["task"] == entry["task"]
    assert celery_app.conf.timezone == "UTC"
