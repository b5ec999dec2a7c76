"""The file lists' reads: a type filter fills its page from a bounded number of Query pages,
and name/size sorts cover the whole well up to a cap."""

from __future__ import annotations

import pytest

from files import selectors
from files.tests.helpers import recorded_files
from welltrack.dynamodb import counting_requests


@pytest.fixture
def every_tenth_a_pdf(org_world, well):
    """30 files, oldest first: f-00 … f-29; f-00, f-10 and f-20 are PDFs, the rest CSV."""
    specs = [
        (f"f-{n:02}.{'pdf' if n % 10 == 0 else 'csv'}", "application/pdf" if n % 10 == 0 else "text/csv", 100 + n)
        for n in range(30)
    ]
    return recorded_files(well, specs, user_id=org_world.users["EDITOR"].user_id)


def _names(files) -> list[str]:
    return [f.file_name for f in files]


def test_a_type_filter_fills_its_page_from_several_query_pages(well, every_tenth_a_pdf, monkeypatch):
    monkeypatch.setattr(selectors, "FILTER_PAGE_SIZE", 4)
    with counting_requests() as counter:
        first, cursor = selectors.well_files(well_id=well.well_id, file_type="pdf", limit=2)
    assert _names(first) == ["f-20.pdf", "f-10.pdf"]  # 5 requests of 4 files: 29 … 10
    assert counter["requests"] == 5
    rest, end = selectors.well_files(well_id=well.well_id, file_type="pdf", limit=2, cursor=cursor)
    assert _names(rest) == ["f-00.pdf"]  # resumed after f-10, not after the last file read
    assert end is None


def test_a_rare_type_costs_a_bounded_number_of_requests_and_still_offers_more(well, every_tenth_a_pdf, monkeypatch):
    monkeypatch.setattr(selectors, "FILTER_PAGE_SIZE", 4)
    monkeypatch.setattr(selectors, "FILTER_MAX_REQUESTS", 2)
    with counting_requests() as counter:
        empty, cursor = selectors.well_files(well_id=well.well_id, file_type="pdf", limit=2)
    assert (empty, counter["requests"]) == ([], 2)  # files 29 … 22 hold no PDF
    assert cursor is not None
    found, _ = selectors.well_files(well_id=well.well_id, file_type="pdf", limit=2, cursor=cursor)
    assert _names(found) == ["f-20.pdf"]


def test_a_cursor_of_another_well_is_refused_by_name(org_world, well, project, every_tenth_a_pdf):
    from wells.testing import make_well
    from welltrack.errors import ValidationFailed

    other = make_well(org_world, project, name="Other-9")
    _, cursor = selectors.well_files(well_id=well.well_id, limit=5)
    with pytest.raises(ValidationFailed) as error:
        selectors.well_files(well_id=other.well_id, limit=5, cursor=cursor)
    assert "cursor" in error.value.errors


def test_sort_by_name_covers_every_file_not_only_the_newest_page(well, every_tenth_a_pdf):
    page = selectors.well_files_sorted(well_id=well.well_id, sort="name", descending=False, limit=5)
    assert _names(page.files) == ["f-00.pdf", "f-01.csv", "f-02.csv", "f-03.csv", "f-04.csv"]
    assert not page.capped
    last = selectors.well_files_sorted(
        well_id=well.well_id,
        sort="name",
        descending=False,
        limit=5,
        cursor=selectors.well_files_sorted(well_id=well.well_id, sort="name", descending=False, limit=25).cursor,
    )
    assert _names(last.files) == ["f-25.csv", "f-26.csv", "f-27.csv", "f-28.csv", "f-29.csv"]
    assert last.cursor is None


def test_sort_by_size_with_a_type_filter(well, every_tenth_a_pdf):
    page = selectors.well_files_sorted(well_id=well.well_id, sort="size", descending=True, file_type="pdf")
    assert _names(page.files) == ["f-20.pdf", "f-10.pdf", "f-00.pdf"]


def test_sort_beyond_the_cap_says_so_and_sorts_the_newest(well, every_tenth_a_pdf, monkeypatch):
    monkeypatch.setattr(selectors, "SORT_MAX_FILES", 12)
    page = selectors.well_files_sorted(well_id=well.well_id, sort="name", descending=False, limit=50)
    assert page.capped
    assert _names(page.files) == [f"f-{n:02}.{'pdf' if n % 10 == 0 else 'csv'}" for n in range(18, 30)]
