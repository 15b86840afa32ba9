"""Cross-capture site template: lines shared by several stories of one outlet are not body."""

from __future__ import annotations

from archivist.clean import clean_text
from archivist.clean.template import template_keys

ABOUT = ("Gazette Media is an independent publisher of local news, founded in 1952 and owned by "
         "its readers through a cooperative that anyone in the county may join.")


def _story(title: str, first: str, second: str) -> str:
    return f"""Menu
{title}
By Ruth Ellery
June 3, 2021
{first}
{second}
{ABOUT}
Sign up for our daily newsletter
"""


POOL = _story("Council Votes to Close the Old Pool",
              "The town council voted on Tuesday to close the old swimming pool at the end of the summer, citing repair costs.",
              "Residents asked the council to keep the pool open for one more season, but the motion failed by two votes.")
LIBRARY = _story("Library Extends Its Opening Hours",
                 "The library will stay open until nine in the evening on weekdays from next month, the council said.",
                 "A survey found that most readers wanted later hours during the week rather than on Saturdays.")


def test_shared_lines_are_template_and_stories_are_not() -> None:
    keys = template_keys([POOL, LIBRARY])
    assert ABOUT.casefold() in keys and "menu" in keys
    assert not any("swimming pool" in key for key in keys)


def test_the_same_story_twice_is_not_template() -> None:
    assert not any("swimming pool" in key for key in template_keys([POOL, POOL + "\nExtra line"]))


def test_template_lines_leave_the_body_but_bylines_stay() -> None:
    assert ABOUT in clean_text(POOL).body  # alone, the publisher blurb reads like prose
    cleaned = clean_text(POOL, template_keys([POOL, LIBRARY]))
    assert ABOUT not in cleaned.body
    assert cleaned.paragraphs[0].startswith("The town council voted")
    assert cleaned.authors == ["Ruth Ellery"]  # recurring bylines are kept


def test_an_updated_version_does_not_turn_the_story_into_template() -> None:
    updated = POOL.replace("failed by two votes.", "failed by two votes, after a long debate.")
    updated = updated.replace("Sign up", "The pool will close on 31 August, the clerk said later.\nSign up")
    keys = template_keys([POOL, updated, LIBRARY])
    assert not any("swimming pool" in key for key in keys)
    assert ABOUT.casefold() in keys
    assert "The town council voted" in clean_text(updated, keys).body
