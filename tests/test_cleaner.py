"""The cleaner on the user's example capture and on small captures written for these tests."""

from __future__ import annotations

import pytest

from archivist.clean import clean_text
from archivist.clean.bylines import parse_byline
from archivist.clean.dates import find_date
from archivist.model import Cleaned
from archivist.readers.decode import read_text
from captures import DATED, EARLIER


@pytest.fixture
def seed(seed_bytes: bytes) -> Cleaned:
    return clean_text(read_text(seed_bytes))


def test_seed_title_and_dek(seed: Cleaned) -> None:
    assert seed.title == "Iran’s Soleimani Killed in Trump-Ordered Airstrike"
    assert seed.description == (
        "The stunning killing of the Quds Force leader follows Iranian-backed militia attacks on "
        "U.S. embassy in Iraq, and months of Tehran testing Washington’s stomach for violence."
    )


def test_seed_image_caption_and_credit_not_in_body(seed: Cleaned) -> None:
    assert len(seed.images) == 1
    image = seed.images[0]
    assert image.caption.startswith("Gen. Qassem Soleimani, center,")
    assert image.credit == "Office of the Iranian Supreme Leader via AP"
    assert "Gen. Qassem Soleimani, center" not in seed.body
    assert "Office of the Iranian Supreme Leader" not in seed.body


def test_seed_related_titles_and_update_note(seed: Cleaned) -> None:
    assert seed.related_titles == [
        "Iran Loses Its Indispensable Man",
        "Is US Deterrence Against Iran Doomed to Fail?",
        "In Iraq, the US Gets Hit Where It Hurts",
        "Defense One's complete coverage of Iran",
    ]
    assert "Related:" not in seed.body
    assert seed.update_note == "This story was updated at 11:45 p.m."
    assert "updated at" not in seed.body


def test_seed_outlet_from_its_own_words(seed: Cleaned) -> None:
    assert seed.outlet == "Defense One"


def test_seed_body_bounds_and_contents(seed: Cleaned) -> None:
    assert seed.paragraphs[0].startswith(
        "Qasem Soleimani, the powerful leader of Iran’s security forces"
    )
    assert seed.paragraphs[-1].endswith("consequences of its rogue adventurism.”")
    assert any(p.startswith("“At the direction of the President") for p in seed.paragraphs)
    assert any("Nebraska Republican Sen. Ben. Sasse" in p for p in seed.paragraphs)
    assert any("Tom Udall" in p for p in seed.paragraphs)
    for junk in ("cookie", "Cookie", "consent", "Consent", "Do Not Sell"):
        assert junk not in seed.body
    assert "X" not in seed.paragraphs
    assert seed.language == "en"


def test_seed_paragraphs_kept_in_order(seed: Cleaned, seed_bytes: bytes) -> None:
    text = read_text(seed_bytes)
    positions = [text.index(p[:60]) for p in seed.paragraphs]
    assert positions == sorted(positions)


def test_dated_capture_metadata() -> None:
    c = clean_text(DATED)
    assert c.title == "Harbor Bridge Reopens After Two-Year Repair"
    assert c.description.startswith("City engineers finished the work")
    assert c.authors == ["Jane Marlowe"]
    assert c.date == "2019-11-19"
    assert c.outlet == "Harbor Daily"
    assert c.related_titles == ["Harbor Bridge Repair Falls Behind Schedule"]
    assert c.images and c.images[0].credit == "Photo: Sam Ortiz/Harbor Daily"


def test_dated_capture_body_stops_before_listing_and_footer() -> None:
    c = clean_text(DATED)
    assert c.paragraphs[0].startswith("The Harbor Bridge reopened")
    assert c.paragraphs[-1].startswith("Engineers said the new deck")
    for junk in ("Share", "Tweet", "Council Approves", "©", "Menu", "Workers remove"):
        assert junk not in c.body


def test_cookie_banner_after_body_is_dropped() -> None:
    c = clean_text(EARLIER)
    assert c.date == "2019-03-03"
    assert len(c.paragraphs) == 3
    assert "cookies" not in c.body


def test_repeated_lines_are_dropped() -> None:
    para = "This sentence is long enough to be a paragraph of the article body and ends properly."
    text = f"A Headline For The Test\n{para}\nAnother paragraph that carries on the story with more words in it.\n{para}"
    c = clean_text(text)
    assert c.body.count(para) == 1


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By TOM KRISHER, AP Auto Writer", ["Tom Krisher"]),
        ("By Sarah E. Needleman", ["Sarah E. Needleman"]),
        ("By Ann Lee and Bo Chen", ["Ann Lee", "Bo Chen"]),
        ("By the way, this is a sentence", None),
    ],
)
def test_bylines(line: str, names: list[str] | None) -> None:
    assert parse_byline(line) == names


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Nov. 19, 2019 8:03 am ET", "2019-11-19"),
        ("Updated 2019-11-20", "2019-11-20"),
        ("19 de novembro de 2019", "2019-11-19"),
        ("19. November 2019", "2019-11-19"),
        ("2019年11月19日", "2019-11-19"),
        ("3 hours ago", None),
        ("February 30, 2019", None),
    ],
)
def test_dates(line: str, iso: str | None) -> None:
    found = find_date(line)
    assert (found.isoformat() if found else None) == iso
