"""The outlet of a text capture: the name it uses for itself where that is its site's."""

from __future__ import annotations

import pytest

from archivist.clean.outlet import names_site, site_outlet
from archivist.readers import read_capture


@pytest.mark.parametrize(("name", "host"), [
    ("The Harbor Gazette", "harborgazette.com"),  # its letters, "The" or not
    ("Harbor Gazette", "www.theharborgazette.com"),
    ("Quarry Magazine", "quarrymagazine.org"),
    ("Northern Valley Journal", "nvj.com"),  # initials
    ("Northern Valley Post", "nvpost.com"),  # initials and the last word
    ("Coastline Courier", "news.coastlinecourierdaily.com"),  # sits in a label
    ("Coastline Courier Weekly", "coastlinecourier.co.uk"),  # holds one
    ("Example Press", "epnews.com"),  # a label starting with its initials
    ("HGT News", "hgt.co.uk"),  # starting with a short label
])
def test_a_name_the_host_spells_is_the_site_s(name: str, host: str) -> None:
    assert names_site(name, host)


@pytest.mark.parametrize(("name", "host"), [
    ("Lakeside Holdings", "harborgazette.com"),  # the owner
    ("Media", "harborgazette.com"),
    ("All", "harborgazette.com"),
    ("Lakeside Post", "lakesidepress.com"),  # another paper of the same place
    ("Holdings Lakeside", "lak.example"),  # a short label inside it, not at its start
])
def test_a_name_the_host_does_not_spell_is_not(name: str, host: str) -> None:
    assert not names_site(name, host)


def test_the_host_replaces_a_name_that_is_not_the_site_s() -> None:
    url = "https://www.harborgazette.com/2021/story"
    assert site_outlet("Harbor Gazette", url) == "Harbor Gazette"
    assert site_outlet("Lakeside Holdings", url) == "harborgazette.com"
    assert site_outlet(None, url) == "harborgazette.com"
    assert site_outlet("Lakeside Holdings", None) == "Lakeside Holdings"  # no URL: the page's word


STORY = """Council Approves New Ferry Schedule
By Lee Park
June 2, 2021
The city council approved a new ferry schedule on Tuesday after months of debate over late-night service to the islands.
Residents who commute to the mainland said the change would cut their waits by half during the winter months.
{credit}
"""


@pytest.mark.parametrize(("credit", "outlet"), [
    ("© 2021 Lakeside Holdings. All rights reserved.", "harborgazette.com"),
    ("© 2021 Harbor Gazette. All rights reserved.", "Harbor Gazette"),
])
def test_a_text_capture_with_a_url_names_its_site(credit: str, outlet: str) -> None:
    raw = STORY.format(credit=credit).encode()
    story = read_capture(raw, "harbor/ferry.txt", {"url": "https://harborgazette.com/ferry"})
    assert story.outlet == outlet
    assert read_capture(raw, "harbor/ferry.txt", {"url": "https://harborgazette.com/ferry",
                                                  "outlet": "The Gazette"}).outlet == "The Gazette"


def test_a_saved_page_keeps_the_site_name_it_declares() -> None:
    html = ("<html><head><title>Council Approves New Ferry Schedule</title>"
            '<meta property="og:site_name" content="Lakeside Evening Post"></head><body><article>'
            "<h1>Council Approves New Ferry Schedule</h1>"
            + "".join(f"<p>{line}</p>" for line in STORY.splitlines()[3:5]) + "</article></body></html>")
    story = read_capture(html.encode(), "harbor/ferry.html", {"url": "https://harborgazette.com/ferry"})
    assert story.outlet == "Lakeside Evening Post"
