"""The counting rule and the periods each resource answers with, without HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from autoattendant.errors import AppError
from autoattendant.services import usage
from autoattendant.services.usage import (
    Period,
    PeriodSeries,
    count_numbers,
    parse_usage_date,
    usage_series,
)

from .conftest import add_number

D = dt.date
MAY = Period(D(2024, 5, 1), D(2024, 5, 31))
JUNE = Period(D(2024, 6, 1), D(2024, 6, 30))
APRIL = Period(D(2024, 4, 1), D(2024, 4, 30))


def counts(periods, enterprise):
    return [c.get(enterprise.pk, 0) for c in count_numbers(periods, [enterprise.pk])]


@pytest.mark.django_db
class TestCountingRule:
    def test_a_number_added_on_the_5th_and_deleted_on_the_25th_counts_for_that_month_only(
        self, enterprise_a
    ):
        add_number(enterprise_a, "2024-05-05T09:00", "2024-05-25T17:00")
        assert counts([APRIL, MAY, JUNE], enterprise_a) == [0, 1, 0]

    def test_a_number_never_deleted_counts_every_month_after_it_was_added(self, enterprise_a):
        add_number(enterprise_a, "2024-05-20")
        later = [Period(D(2025, m, 1), D(2025, m, 28)) for m in range(1, 13)]
        assert counts([APRIL, MAY, JUNE, *later], enterprise_a) == [0, 1, 1, *[1] * 12]

    def test_extensions_count_like_main_numbers(self, enterprise_a):
        add_number(enterprise_a, "2024-05-01")
        add_number(enterprise_a, "2024-05-02", extension=True)
        add_number(enterprise_a, "2024-05-03", extension=True)
        assert counts([MAY], enterprise_a) == [3]

    def test_the_bounds_are_start_inclusive_and_end_exclusive(self, enterprise_a):
        add_number(enterprise_a, "2024-05-01T00:00", "2024-05-01T00:00")  # deleted at the start
        add_number(enterprise_a, "2024-06-01T00:00")  # created at the first instant after May
        add_number(enterprise_a, "2024-04-01", "2024-04-30T23:59:59")  # gone before May
        assert counts([MAY], enterprise_a) == [1]
        assert counts([JUNE], enterprise_a) == [1]

    def test_a_day_counts_numbers_that_existed_at_any_moment_of_it(self, enterprise_a):
        add_number(enterprise_a, "2024-05-10T23:59", "2024-05-11T00:01")
        days = [Period(D(2024, 5, d), D(2024, 5, d)) for d in (9, 10, 11, 12)]
        assert counts(days, enterprise_a) == [0, 1, 1, 0]

    def test_it_counts_per_enterprise_in_one_query(
        self, enterprise_a, enterprise_b, django_assert_num_queries
    ):
        add_number(enterprise_a, "2024-05-01")
        add_number(enterprise_a, "2024-05-02")
        add_number(enterprise_b, "2024-05-03")
        with django_assert_num_queries(1):
            (result,) = count_numbers([MAY])
        assert result == {enterprise_a.pk: 2, enterprise_b.pk: 1}

    def test_many_periods_give_the_same_counts_as_one_at_a_time(self, enterprise_a, monkeypatch):
        add_number(enterprise_a, "2024-05-03", "2024-05-09")
        add_number(enterprise_a, "2024-05-07")
        add_number(enterprise_a, "2024-05-08", "2024-05-08T12:00", extension=True)
        days = list(PeriodSeries(D(2024, 5, 1), D(2024, 5, 12), "day"))
        monkeypatch.setattr(usage, "PERIODS_PER_QUERY", 5)  # three chunked queries
        chunked = counts(days, enterprise_a)
        assert chunked == [counts([day], enterprise_a)[0] for day in days]
        assert chunked == [0, 0, 1, 1, 1, 1, 2, 3, 2, 1, 1, 1]

    def test_no_enterprises_means_no_query(self, django_assert_num_queries):
        with django_assert_num_queries(0):
            assert count_numbers([MAY, JUNE], []) == [{}, {}]


TODAY = D(2024, 3, 15)


def spans(series):
    return [(p.first.isoformat(), p.last.isoformat()) for p in series]


class TestDefaultPeriods:
    def test_the_base_resource_runs_from_the_1st_of_the_month_to_today(self):
        assert spans(usage_series("records", TODAY)) == [("2024-03-01", "2024-03-15")]

    def test_daily_gives_30_days_ending_today(self):
        days = spans(usage_series("daily", TODAY))
        assert len(days) == 30
        assert days[0] == ("2024-02-15", "2024-02-15")
        assert days[-1] == ("2024-03-15", "2024-03-15")

    def test_monthly_gives_12_months_ending_with_the_current_one(self):
        months = spans(usage_series("monthly", TODAY))
        assert len(months) == 12
        assert months[0] == ("2023-04-01", "2023-04-30")
        assert months[10] == ("2024-02-01", "2024-02-29")
        assert months[-1] == ("2024-03-01", "2024-03-15")

    def test_yearly_gives_last_year_and_this_one(self):
        assert spans(usage_series("yearly", TODAY)) == [
            ("2023-01-01", "2023-12-31"),
            ("2024-01-01", "2024-03-15"),
        ]

    @pytest.mark.parametrize(
        ("kind", "expected"),
        [
            ("today", ("2024-03-15", "2024-03-15")),
            ("yesterday", ("2024-03-14", "2024-03-14")),
            ("thismonth", ("2024-03-01", "2024-03-15")),
            ("lastmonth", ("2024-02-01", "2024-02-29")),
        ],
    )
    def test_fixed_subresources(self, kind, expected):
        assert spans(usage_series(kind, TODAY)) == [expected]

    def test_across_a_new_year(self):
        new_year = D(2025, 1, 1)
        assert spans(usage_series("yesterday", new_year)) == [("2024-12-31", "2024-12-31")]
        assert spans(usage_series("lastmonth", new_year)) == [("2024-12-01", "2024-12-31")]
        assert spans(usage_series("monthly", new_year))[0] == ("2024-02-01", "2024-02-29")

    def test_given_dates_clip_the_first_and_last_month(self):
        series = usage_series("monthly", TODAY, D(2024, 1, 20), D(2024, 3, 5))
        assert spans(series) == [
            ("2024-01-20", "2024-01-31"),
            ("2024-02-01", "2024-02-29"),
            ("2024-03-01", "2024-03-05"),
        ]

    def test_only_an_end_date_keeps_the_default_length(self):
        days = spans(usage_series("daily", TODAY, None, D(2024, 1, 31)))
        assert (days[0][0], days[-1][1], len(days)) == ("2024-01-02", "2024-01-31", 30)

    def test_a_start_after_the_end_is_a_612(self):
        with pytest.raises(AppError) as caught:
            usage_series("daily", TODAY, D(2024, 3, 10), D(2024, 3, 1))
        assert caught.value.error_code == 612

    def test_a_long_daily_series_is_lazy(self):
        series = usage_series("daily", TODAY, D(1, 1, 1), D(9999, 12, 31))
        assert len(series) == 3652059
        assert spans(series[-1:]) == [("9999-12-31", "9999-12-31")]


class TestDates:
    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("2019-07-01", D(2019, 7, 1)),
            ("-30days", D(2024, 2, 14)),
            ("+30days", D(2024, 4, 14)),
            ("-1day", D(2024, 3, 14)),
            ("2024-03-01T23:30:00-02:00", D(2024, 3, 2)),  # the UTC date
        ],
    )
    def test_it_reads_dates_and_offsets_to_today(self, raw, expected):
        assert parse_usage_date("startDate", raw, TODAY) == expected

    @pytest.mark.parametrize("raw", ["2019-13-01", "yesterday", "-30weeks", "+9999999days"])
    def test_it_rejects_anything_else_with_612_naming_the_parameter(self, raw):
        with pytest.raises(AppError) as caught:
            parse_usage_date("endTime", raw, TODAY)
        assert caught.value.error_code == 612
        assert "endTime" in caught.value.data
