"""Unit tests for every linking rule: title and URL resolution, related stories, versions, tags."""

from __future__ import annotations

from collections import Counter

from archivist.link.archive import link_archive
from archivist.link.entities import entity_tags, fold_names, mentions
from archivist.link.related import LinkDoc, related_stories
from archivist.link.titles import TitleIndex, url_key, urls_in
from archivist.link.versions import containment, version_groups
from archivist.model import Capture, Cleaned, Story
from linking_captures import EVENTS, LONELY, _paragraphs


def story(path: str, title: str, paragraphs: list[str], *, date: str | None = None,
          outlet: str | None = None, url: str | None = None, related: list[str] | None = None,
          captured_at: str | None = None) -> Story:
    return Story(
        capture=Capture(f"sources/{path}", path.ljust(64, "0")[:64], 1), title=title,
        cleaned=Cleaned(title=title, paragraphs=paragraphs, related_titles=related or []),
        date=date, outlet=outlet, url=url, captured_at=captured_at,
    )


# --- explicit links ------------------------------------------------------------------------

def test_same_title_resolves_whatever_the_case_punctuation_and_accents() -> None:
    target = story("a.txt", "Iran Loses Its Indispensable Man", ["x y z"])
    index = TitleIndex([target], {"sources/a.txt": "stories/a.md"})
    assert index.resolve("Iran Loses Its Indispensable Man") == "stories/a.md"
    assert index.resolve("IRAN LOSES ITS INDISPENSABLE MAN!") == "stories/a.md"
    assert index.resolve("  Iran loses its  indispensable man ") == "stories/a.md"
    accented = story("b.txt", "Café Owners Protest in Zürich", ["x y z"])
    index = TitleIndex([accented], {"sources/b.txt": "stories/b.md"})
    assert index.resolve("Cafe owners protest in Zurich") == "stories/b.md"


def test_similar_looking_title_does_not_resolve() -> None:
    target = story("a.txt", "Iran Loses Its Terror-Master", ["x y z"])
    index = TitleIndex([target], {"sources/a.txt": "stories/a.md"})
    assert index.resolve("Iran Loses Its Indispensable Man") is None
    assert index.resolve("Iran Loses Its Terror Master Again") is None
    assert index.resolve("Iran Loses Its Terror-Master") == "stories/a.md"


def test_archived_url_resolves_without_scheme_www_slash_or_tracking() -> None:
    target = story("a.txt", "A", ["x"], url="https://www.ledger.example/news/flood")
    index = TitleIndex([target], {"sources/a.txt": "stories/a.md"})
    for url in ("http://ledger.example/news/flood/", "https://ledger.example/news/flood?utm_source=x",
                "https://www.ledger.example/news/flood#comments"):
        assert index.resolve(url) == "stories/a.md", url
    assert index.resolve("https://ledger.example/news/flood-2") is None
    assert index.resolve("https://ledger.example/news/flood?id=2") is None
    assert url_key("javascript:alert(1)") is None


def test_urls_are_found_in_text_without_trailing_punctuation() -> None:
    assert urls_in("See https://a.example/x/y. And (http://b.example/z), fine.") == [
        "https://a.example/x/y", "http://b.example/z"]


def test_named_titles_resolve_link_back_and_look_alikes_stay_plain() -> None:
    first = story("a.txt", "Harbor Bridge Repair Falls Behind Schedule", ["The repair is late."],
                  date="2019-03-03")
    second = story("b.txt", "Harbor Bridge Reopens", ["The bridge reopened on Monday."],
                   date="2019-11-19", related=["Harbor Bridge Repair Falls Behind Schedule",
                                              "Harbor Bridge Repair Falls Behind Budget"])
    linked = link_archive([first, second])
    a, b = linked.paths["sources/a.txt"], linked.paths["sources/b.txt"]
    named = linked.links(b).named
    assert [(n.text, n.path) for n in named] == [
        ("Harbor Bridge Repair Falls Behind Schedule", a),
        ("Harbor Bridge Repair Falls Behind Budget", None),
    ]
    assert [r.path for r in linked.links(a).linked_from] == [b]
    assert linked.links(b).linked_from == []


def test_unresolved_title_resolves_once_the_story_is_archived() -> None:
    second = story("b.txt", "Harbor Bridge Reopens", ["The bridge reopened."],
                   related=["Harbor Bridge Repair Falls Behind Schedule"])
    alone = link_archive([second])
    assert alone.links(alone.paths["sources/b.txt"]).named[0].path is None
    first = story("a.txt", "Harbor Bridge Repair Falls Behind Schedule", ["The repair is late."])
    both = link_archive([second, first])
    assert both.links(both.paths["sources/b.txt"]).named[0].path == both.paths["sources/a.txt"]


# --- related stories -----------------------------------------------------------------------

def _event_docs() -> list[LinkDoc]:
    docs = []
    for e in EVENTS:
        for outlet in range(3):
            paragraphs = _paragraphs(e, outlet)
            docs.append(LinkDoc(e.headline[outlet], e.date, "\n".join(paragraphs[:3]),
                                "\n".join(paragraphs[3:])))
    return docs


def test_articles_about_one_event_are_each_others_related_stories() -> None:
    docs = _event_docs()
    related = related_stories(docs)
    for i, links in enumerate(related):
        event = i // 3
        siblings = {event * 3 + k for k in range(3)} - {i}
        top = [j for j, _ in links]
        assert set(top[:2]) == siblings, (docs[i].title, [docs[j].title for j in top])
        assert all(0 < score <= 1 for _, score in links)
        assert len(links) <= 5


def test_a_story_with_no_good_match_gets_none() -> None:
    lonely = LinkDoc("Grandmother's Quince Jelly, Explained Step by Step", "2021-03-05",
                     LONELY, "")
    related = related_stories([*_event_docs(), lonely])
    assert related[-1] == []
    assert all(len(links) for links in related[:-1])


def test_closeness_in_time_ranks_the_nearer_story_first() -> None:
    text = ("Flood barriers on the Marlow River failed at Eastbrook and the mayor Hedda Torvald "
            "asked for help as nine hundred people left their homes.")
    docs = [LinkDoc("Eastbrook flood", "2021-03-04", text, ""),
            LinkDoc("Eastbrook flood again", "2021-03-20", text, ""),
            LinkDoc("Eastbrook flood today", "2021-03-05", text, ""),
            LinkDoc("Eastbrook flood years later", "2024-03-05", text, "")]
    related = related_stories(docs)
    assert [j for j, _ in related[0]] == [2, 1]  # three years apart is not related at all
    assert related[3] == []


def test_related_lists_are_deterministic_and_rounded() -> None:
    docs = _event_docs()
    assert related_stories(docs) == related_stories(list(docs))
    for links in related_stories(docs):
        assert all(round(score, 3) == score for _, score in links)


# --- versions ------------------------------------------------------------------------------

def _flood(path: str, extra: list[str] | None = None, **kw: object) -> Story:
    return story(path, EVENTS[0].headline[0], _paragraphs(EVENTS[0], 0) + (extra or []),
                 date="2021-03-04", outlet="Harbor Daily", **kw)  # type: ignore[arg-type]


def test_recapture_and_update_are_versions_of_one_story_newest_first() -> None:
    old = _flood("old.txt", captured_at="2021-03-04T09:00:00Z")
    new = _flood("new.txt", ["The water started to fall by Friday evening, and families went home."],
                 captured_at="2021-03-05T18:00:00Z")
    other = story("other.txt", EVENTS[1].headline[0], _paragraphs(EVENTS[1], 0), date="2021-03-05",
                  outlet="Harbor Daily")
    groups = version_groups([old, new, other])
    assert groups == [[1, 0], [2]]  # newest capture first: its text is the one shown


def test_same_text_in_two_outlets_is_two_pages() -> None:
    mine = _flood("a.txt")
    syndicated = story("b.txt", EVENTS[0].headline[0], _paragraphs(EVENTS[0], 0), date="2021-03-04",
                       outlet="Valley Wire")
    assert version_groups([mine, syndicated]) == [[0], [1]]


def test_same_address_is_one_story_even_when_rewritten() -> None:
    a = story("a.txt", "Early headline", ["First version of the text, short."],
              url="https://harbor.example/news/flood")
    b = story("b.txt", "Later headline", ["A completely rewritten article with other words."],
              url="http://www.harbor.example/news/flood/", captured_at="2021-03-06")
    assert version_groups([a, b]) == [[1, 0]]


def test_different_stories_of_one_outlet_stay_apart() -> None:
    a = _flood("a.txt")
    b = story("b.txt", EVENTS[2].headline[0], _paragraphs(EVENTS[2], 0), date="2021-03-05",
              outlet="Harbor Daily")
    assert version_groups([a, b]) == [[0], [1]]
    assert containment({1, 2, 3}, {1, 2, 3, 4, 5}) == 1.0


def test_versions_share_one_page_in_the_link_stage() -> None:
    old = _flood("old.txt", captured_at="2021-03-04T09:00:00Z")
    new = _flood("new.txt", ["The water started to fall by Friday evening, and families went home."],
                 captured_at="2021-03-05T18:00:00Z")
    linked = link_archive([old, new])
    assert [s.capture.path for s in linked.stories] == ["sources/new.txt"]
    page = linked.paths["sources/new.txt"]
    assert linked.paths["sources/old.txt"] == page
    assert [v.capture.path for v in linked.versions(linked.stories[0])] == [
        "sources/new.txt", "sources/old.txt"]


# --- tags ----------------------------------------------------------------------------------

def test_spellings_of_one_name_fold_into_one_tag() -> None:
    label = fold_names(Counter({"Qassem Soleimani": 3, "Qasem Soleimani": 2, "Soliemani": 1,
                                "Iran": 4, "Iraq": 4, "Ali Reza": 1, "Ali Rezai": 1}))
    assert label["Qasem Soleimani"] == label["Soliemani"] == label["Qassem Soleimani"] \
        == "Qassem Soleimani"
    assert label["Iran"] == "Iran" and label["Iraq"] == "Iraq"  # short names differ by a letter
    assert label["Ali Reza"] != label["Ali Rezai"]  # a four-letter word must match exactly


def _about(path: str, name: str, surname: str) -> Story:
    return story(path, f"General {surname} Visits Baghdad", [
        f"{name} arrived in Baghdad on Friday, officials in Iran said.",
        f"Later, {surname} met commanders in Baghdad and spoke about the region with them.",
        f"In the evening {surname} flew home to Iran from Baghdad airport.",
    ])


def test_tags_fold_variant_spellings_across_stories() -> None:
    stories = [_about("a.txt", "Qassem Soleimani", "Soleimani"),
               _about("b.txt", "Qasem Soleimani", "Soleimani"),
               _about("c.txt", "Soliemani", "Soliemani")]
    tags = entity_tags(stories)
    for t in tags:
        assert "Qassem Soleimani" in t or "Qasem Soleimani" in t
    assert len({name for t in tags for name in t if "Sol" in name}) == 1
    assert all("Baghdad" in t and "Iran" in t for t in tags)


def test_a_tag_only_one_story_would_hold_is_dropped() -> None:
    stories = [_about("a.txt", "Qassem Soleimani", "Soleimani"),
               story("b.txt", "Quince Jelly", ["Pim Vandersloot made jelly. Pim Vandersloot ate it."])]
    assert entity_tags(stories) == [[], []]


def test_names_not_words_that_open_sentences() -> None:
    s = story("a.txt", "Title", [
        "Officials said the Harbor Bridge would reopen. The Harbor Bridge carries buses.",
        "Several engineers agreed. Yesterday, Mayor Ana Ruiz spoke about the Harbor Bridge.",
        "Ruiz said the work was done. Americans visiting on Monday were pleased.",
    ])
    found = mentions(s)
    assert found["Harbor Bridge"] == 3 and found["Ana Ruiz"] == 2
    for junk in ("Officials", "Several", "Yesterday", "Mayor", "Americans", "Monday", "The"):
        assert junk not in found
