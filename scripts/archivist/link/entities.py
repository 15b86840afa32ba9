"""Tags from what a story is about: the people, organisations and places it names.

Names are found as runs of capitalised words (``Qasem Soleimani``, ``Quds Force``, ``Iran``)
that are not merely the first word of a sentence. Within one story a lone surname counts for
the full name it shortens ("Soleimani" after "Qasem Soleimani"). Across the archive, spellings
of one name are folded into one tag: names with the same number of words fold when every word
is the same or one edit away (a letter added, dropped, changed or two swapped: ``Qassem`` and
``Qasem``, ``Soleimani`` and ``Soliemani``), for words of five letters or more with the same
first letter, since short names differ by one letter too often (``Iran``, ``Iraq``). A lone
surname that no story spells out in full joins the one full name that carries it. A tag is
shown with its most common spelling, and a tag that only one story would hold is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import scipy.sparse as sp

from archivist.model import Story

MAX_TAGS = 8  # per story
MIN_STORIES = 2  # a tag page listing one story is not worth having
FUZZY_MIN_LETTERS = 5

_WORD = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)*(?:['’]s\b)?|[A-Z]{2,}(?![a-z])"
_NAME_RUN = re.compile(rf"\b(?:{_WORD})(?:\s+(?:{_WORD}))*\b")
_OPENERS = ".!?:;\"“‘(—–-•*"
_POSSESSIVE = re.compile(r"['’]s$")

_STOP = {
    "The", "A", "An", "In", "On", "At", "But", "And", "Or", "If", "When", "While", "After",
    "Before", "This", "That", "These", "Those", "It", "He", "She", "They", "We", "I", "You", "Its",
    "His", "Her", "Their", "Our", "My", "Your", "As", "For", "From", "With", "By", "To", "Of",
    "Last", "Next", "Then", "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gen", "Gov", "Lt", "Col",
    "Sgt", "Capt", "President", "General", "Secretary", "Senator", "Minister", "Prime", "Leader",
    "Supreme", "Chairman", "Director", "Speaker", "Judge", "Justice", "Ambassador", "Officials",
    "Related", "Read", "More", "See", "Also", "Monday", "Tuesday", "Wednesday", "Thursday",
    "Friday", "Saturday", "Sunday", "Just", "Several", "Some", "Many", "Most", "All", "No", "Not",
    "Yes", "So", "Now", "Here", "There", "What", "Who", "Why", "How", "Where", "Which", "Today",
    "Yesterday", "Tomorrow", "Still", "Even", "One", "Two", "Three", "Among", "According",
    "During", "Since", "Despite", "Under", "Over", "About", "Such", "Other", "Another", "Every",
    "Each", "Both", "Only", "Once", "Meanwhile", "However", "Instead", "Although", "Though",
    "Because", "Until", "Unlike", "Like", "Do", "Does", "Did", "Is", "Are", "Was", "Were", "Be",
    "Will", "Would", "Can", "Could", "Should", "May", "Might", "Must", "Has", "Have", "Had",
    "Photo", "Photos", "Video", "Image", "Getty", "Images", "AP", "Reuters", "Share", "Click",
    "Subscribe", "Advertisement", "Updated", "Published", "Posted", "Copyright", "Mr.", "Ms.",
    "Mayor", "Governor", "Chief", "Commander", "Pope", "Ayatollah", "Sheikh", "Chancellor",
    "Premier", "Lawmaker", "Professor", "Prof", "Coach", "Officer", "Detective", "Captain",
    "Colonel", "Lieutenant", "Sergeant", "Admiral", "Reverend", "Rev", "Former", "Deputy", "Vice",
    "Acting", "Interim",
}
_MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun",
           "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"}
# Adjectives of nationality name no one; as lone words they are not tags.
_DEMONYM = re.compile(r"(?:ian|ians|ese|ish)$")
_STOP_ALONE = {"Iraqi", "Iraqis", "Israeli", "Israelis", "Pakistani", "Pakistanis", "Afghan",
               "Afghans", "Kuwaiti", "Yemeni", "Somali", "Qatari", "Emirati", "Saudi", "Saudis",
               "Mexican", "Mexicans", "African", "Africans", "American", "Americans", "European",
               "Europeans", "Western", "Eastern", "Northern",
               "Southern", "Christmas", "Internet", "English", "French", "Dutch", "Greek", "Thai",
               "God", "Lord", "Inc", "Ltd", "Co", "Corp", "CEO", "TV", "US", "USA", "UK", "OK", "AM",
               "PM", "ET", "PT", "GMT", "EST", "EDT", "PST", "BST", "CET", "UTC", "II", "III", "IV"}


@lru_cache(maxsize=200_000)
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()


def _trim(words: list[str]) -> list[str]:
    while words and (words[0] in _STOP or words[0] in _MONTHS):
        words = words[1:]
    while words and (words[-1] in _STOP or words[-1] in _MONTHS):
        words = words[:-1]
    return words


def _at_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in _OPENERS


def _segments(run: str) -> list[list[str]]:
    """A capitalised run split where it cannot be one name: at role words and after a possessive
    ("Defense Secretary Mark Esper" names Mark Esper; "Iran's Soleimani" names two)."""
    out: list[list[str]] = [[]]
    for word in run.split():
        if word in _STOP or word in _MONTHS:
            out.append([])
            continue
        bare = _POSSESSIVE.sub("", word)
        out[-1].append(bare)
        if bare != word:
            out.append([])
    return [seg for seg in out if seg]


def mentions(story: Story) -> Counter[str]:
    """Names a story mentions in its text, with how often; names in the title count twice more
    (headlines capitalise every word, so names are found in the text and looked up there)."""
    counts: Counter[str] = Counter()
    starts: Counter[str] = Counter()  # lone words seen only at the start of a sentence
    texts = [*([story.description] if story.description else []), *story.cleaned.paragraphs]
    for text in texts:
        for match in _NAME_RUN.finditer(text):
            run = match.group()
            if run in _STOP or run in _MONTHS:  # most runs: "The", "He", "In"
                continue
            at_start = _at_sentence_start(text, match.start())
            for n, words in enumerate(_segments(run) if " " in run or "s" in run[-1:] else [[run]]):
                if len(words) > 4:
                    continue
                if len(words) == 1:
                    w = words[0]
                    if w in _STOP_ALONE or len(w) < 3 or (not w.isupper() and _DEMONYM.search(w)):
                        continue
                    if at_start and n == 0 and run.split(" ", 1)[0] == w:
                        starts[w] += 1  # counted only if also capitalised mid-sentence
                        continue
                counts[" ".join(words)] += 1
    surnames = {name.rsplit(" ", 1)[1] for name in counts if " " in name}
    for word, n in starts.items():  # a word capitalised only at sentence starts is no name...
        if word in counts or word in surnames:  # ...unless it is one elsewhere ("Ruiz said")
            counts[word] += n
    # A lone word that ends a longer name in the same story is that name ("Soleimani").
    by_last: dict[str, list[str]] = defaultdict(list)
    for name in counts:
        if " " in name:
            for variant in _deletion_keys(_fold(name.rsplit(" ", 1)[1])):
                by_last[variant].append(name)
    singles = [name for name in counts if " " not in name]
    for single in singles:
        folded = _fold(single)
        longer = sorted({name for variant in _deletion_keys(folded) for name in by_last.get(variant, ())
                         if _word_matches(_fold(name.rsplit(" ", 1)[1]), folded)})
        if longer:
            best = max(longer, key=lambda name: (counts[name], name))
            counts[best] += counts.pop(single)
    title = {_fold(w) for w in re.findall(r"\w+", _POSSESSIVE.sub("", story.title.replace("’s", "")))}
    for name in counts:
        if all(_fold(w) in title for w in name.split()[-1:]):
            counts[name] += 2
    return counts


def _one_edit(a: str, b: str) -> bool:
    """True when ``b`` is ``a`` with one letter added, dropped, changed, or two neighbours swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] \
            and a[diff[1]] == b[diff[0]]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1:] == short for i in range(len(long_)))


def _word_matches(a: str, b: str) -> bool:
    if a == b:
        return True
    return (min(len(a), len(b)) >= FUZZY_MIN_LETTERS and a[0] == b[0] and _one_edit(a, b))


def _deletion_keys(word: str) -> set[str]:
    if len(word) < FUZZY_MIN_LETTERS:
        return {word}
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@lru_cache(maxsize=200_000)
def _variants(word: str) -> frozenset[str]:
    return frozenset(_deletion_keys(word))


Key = tuple[str, ...]  # a name folded word by word (accents, case)


def _name_key(name: str) -> Key:
    return tuple(_fold(w) for w in name.split())


def _one_edit_union(known: Collection[Key]) -> _Union:
    """Every key in its own set, then names of the same number of words with every word equal
    or one edit away joined. Names are grouped by the words around one position; within a
    group, words one edit apart share a deletion key. (Two misspelt words fold through a third
    spelling, if any.) The first rule of both :func:`_partition` and :func:`_blocks`."""
    union = _Union()
    for k in known:
        union.find(" ".join(k))
    around: dict[tuple[int, Key, Key], set[str]] = defaultdict(set)
    for k in known:
        for pos in range(len(k)):
            around[(pos, k[:pos], k[pos + 1:])].add(k[pos])
    for (_, before, after), words in around.items():
        if len(words) < 2:
            continue
        buckets: dict[str, list[str]] = defaultdict(list)
        for word in sorted(words):
            for variant in _variants(word):
                buckets[variant].append(word)
        for members in buckets.values():
            for i, first in enumerate(members):
                for other in members[i + 1:]:
                    if _word_matches(first, other):
                        union.union(" ".join((*before, first, *after)), " ".join((*before, other, *after)))
    return union


def _partition(known: Collection[Key]) -> dict[Key, str]:
    """The clusters :func:`fold_names` forms over these keys: each key's cluster root."""
    union = _one_edit_union(known)
    # A role before a name ("State Mike Pompeo" from "Secretary of State Mike Pompeo") is the name.
    known_set = set(known)
    for k in known:
        for start in range(1, len(k) - 1):
            if k[start:] in known_set:
                union.union(" ".join(k), " ".join(k[start:]))
                break
    # A lone surname joins the full name that ends with it (if only one full name does).
    by_last: dict[str, set[str]] = defaultdict(set)
    for k in known:
        if len(k) >= 2 and len(k[-1]) >= FUZZY_MIN_LETTERS:
            root = union.find(" ".join(k))
            for variant in _variants(k[-1]):
                by_last[variant].add(root)
    for k in sorted(known):
        if len(k) != 1:
            continue
        owners = {o for variant in _variants(k[0]) for o in by_last.get(variant, ())
                  if _word_matches(k[0], o.split()[-1])}
        if len(owners) == 1:
            union.union(k[0], owners.pop())
    return {k: union.find(" ".join(k)) for k in known}


def _labels(keys: Mapping[str, Key], root: Mapping[Key, str],
            story_counts: Mapping[str, int]) -> dict[str, str]:
    """Each spelling's tag: the most common spelling of its cluster (full names first)."""
    clusters: dict[str, list[str]] = defaultdict(list)
    for name, k in keys.items():
        clusters[root[k]].append(name)
    out: dict[str, str] = {}
    for names in clusters.values():
        multi = [n for n in names if " " in n] or names
        label = max(multi, key=lambda n: (story_counts[n], len(n.split()), n.isupper() is False, n))
        for name in names:
            out[name] = label
    return out


def fold_names(story_counts: Mapping[str, int]) -> dict[str, str]:
    """Map every spelling to its tag: the most common spelling of names that fold together.

    ``story_counts`` is how many stories use each spelling.
    """
    keys = {name: _name_key(name) for name in story_counts}
    return _labels(keys, _partition(set(keys.values())), story_counts)


class _Neighbours:
    """The keys that the keys ``queries`` could fold with under any rule of :func:`_partition`:
    one word one edit away, a suffix of at least two words (either way), or a lone word one
    edit from the last word of a longer name (either way). Closed sets of this relation fold
    independently. Only what the queries can reach is indexed (one pass over ``known``)."""

    def __init__(self, known: Collection[Key], queries: Collection[Key]) -> None:
        self.known = set(known)
        pivots = {(len(x), j, x[j]) for x in queries if len(x) > 1 for j in (0, 1)}
        lasts_of = {x[-1] for x in queries if len(x) > 1}
        words = {x[0] for x in queries if len(x) == 1} | lasts_of
        near = {(w[:1], n) for w in words for n in (len(w) - 1, len(w), len(w) + 1)}
        self.by_word: dict[tuple[int, int, str], list[Key]] = defaultdict(list)
        self.by_last: dict[str, list[Key]] = defaultdict(list)
        self.singles: dict[tuple[str, int], list[str]] = defaultdict(list)  # (first letter, length)
        self.lasts: dict[tuple[str, int], list[str]] = defaultdict(list)
        for k in self.known:
            if len(k) == 1:
                if (k[0][:1], len(k[0])) in near:
                    self.singles[(k[0][:1], len(k[0]))].append(k[0])
                continue
            for j in (0, 1):
                if (len(k), j, k[j]) in pivots:
                    self.by_word[(len(k), j, k[j])].append(k)
            last = k[-1]
            if last in lasts_of or (last[:1], len(last)) in near:
                if last not in self.by_last and (last[:1], len(last)) in near:
                    self.lasts[(last[:1], len(last))].append(last)
                self.by_last[last].append(k)

    @staticmethod
    def _near(word: str, index: dict[tuple[str, int], list[str]]) -> list[str]:
        """Words of ``index`` equal or one edit away from ``word`` (same first letter, length
        within one)."""
        first, n = word[:1], len(word)
        return [w for size in (n - 1, n, n + 1) for w in index.get((first, size), ())
                if _word_matches(word, w)]

    def __call__(self, x: Key) -> set[Key]:
        n = len(x)
        if n == 1:
            out = {(w,) for w in self._near(x[0], self.singles) if w != x[0]}
            for last in self._near(x[0], self.lasts):
                out.update(self.by_last[last])
            return out
        out = set()
        for pos in range(n):  # the same words but one, which is one edit away
            j = 1 if pos == 0 else 0
            for y in self.by_word.get((n, j, x[j]), ()):
                if y != x and y[:pos] == x[:pos] and y[pos + 1:] == x[pos + 1:] and \
                        _word_matches(x[pos], y[pos]):
                    out.add(y)
        out.update(x[start:] for start in range(1, n - 1) if x[start:] in self.known)
        out.update(y for y in self.by_last.get(x[-1], ()) if len(y) > n and y[-n:] == x)
        out.update((w,) for w in self._near(x[-1], self.singles))
        return out


def _blocks(known: Collection[Key]) -> dict[Key, int]:
    """Groups of keys closed under :class:`_Neighbours` (the same relation, found through
    deletion keys for all keys at once): folding a group alone gives the same clusters as
    folding all keys (see :class:`NameFolder`)."""
    union = _one_edit_union(known)
    known_set = set(known)
    singles: dict[str, list[str]] = defaultdict(list)
    for k in known:
        for start in range(1, len(k) - 1):  # every suffix of two words or more
            if k[start:] in known_set:
                union.union(" ".join(k), " ".join(k[start:]))
        if len(k) == 1:
            for variant in _variants(k[0]):
                singles[variant].append(k[0])
    for k in known:  # a lone word one edit from a longer name's last word
        if len(k) >= 2:
            for variant in _variants(k[-1]):
                for word in singles.get(variant, ()):
                    if _word_matches(word, k[-1]):
                        union.union(word, " ".join(k))
    ids: dict[str, int] = {}
    return {k: ids.setdefault(union.find(" ".join(k)), len(ids)) for k in known}


@dataclass
class NameFolder:
    """:func:`fold_names` kept up to date as names come and go, with the same result.

    Every rule that folds two names relates names that share words or nearly do, so the names
    fall into *blocks* that fold independently (:func:`_blocks`). When names arrive or leave,
    only the blocks they touch are folded again, and only clusters whose names or counts
    changed choose their label again.
    """

    keys: dict[str, Key] = field(default_factory=dict)  # spelling -> key
    root: dict[Key, str] = field(default_factory=dict)  # key -> its cluster's root
    block: dict[Key, int] = field(default_factory=dict)
    next_block: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # story counts the labels were chosen by
    label: dict[str, str] = field(default_factory=dict)  # spelling -> tag

    def update(self, story_counts: Mapping[str, int]) -> dict[str, str]:
        """The tag of every spelling, as ``fold_names(story_counts)``."""
        names = story_counts.keys()
        gone_names = self.keys.keys() - names
        for gone in gone_names:
            del self.keys[gone]
        new_names = names - self.keys.keys()
        for new in new_names:
            self.keys[new] = _name_key(new)
        known = set(self.keys.values())
        added, removed = known - self.root.keys(), self.root.keys() - known
        regrouped: set[Key] = set()
        if added or removed:
            if not self.root or len(added) + len(removed) > REFOLD_LIMIT:
                self.root = _partition(known)
                self.block = _blocks(known)
                self.next_block = max(self.block.values(), default=-1) + 1
                self.counts, self.label = {}, {}
            else:
                touched = {self.block[k] for k in removed}
                if added:
                    near = _Neighbours(known, added)
                    for x in added:
                        touched.update(self.block[y] for y in near(x) if y in self.block)
                regrouped = {k for k, b in self.block.items() if b in touched and k not in removed} | added
                part = _partition(regrouped)
                for k in removed:
                    del self.root[k], self.block[k]
                for k in regrouped:
                    self.root[k] = part[k]
                    self.block[k] = self.next_block
                self.next_block += 1
        if not self.label:
            self.label = _labels(self.keys, self.root, story_counts)
            self.counts = dict(story_counts)
            return self.label
        for gone in gone_names:
            del self.label[gone]
        changed = {n for n, c in story_counts.items() if self.counts.get(n) != c}
        roots = {self.root[self.keys[n]] for n in changed} | {self.root[k] for k in regrouped}
        members: dict[str, list[str]] = defaultdict(list)
        for name, k in self.keys.items():
            if self.root[k] in roots:
                members[self.root[k]].append(name)
        for names_of in members.values():
            multi = [n for n in names_of if " " in n] or names_of
            label = max(multi, key=lambda n: (story_counts[n], len(n.split()), n.isupper() is False, n))
            for name in names_of:
                self.label[name] = label
        self.counts = dict(story_counts)
        return self.label


REFOLD_LIMIT = 2000  # names added or removed at once past which everything is folded again


@dataclass
class TagModel:
    """Every story's :func:`mentions` as a sparse matrix, and the folded names, kept between
    runs so that tags are chosen again without reading stories or folding every name."""

    names: list[str]  # column -> spelling
    counts: sp.csr_matrix  # stories x names
    folder: NameFolder = field(default_factory=NameFolder)

    @classmethod
    def of(cls, per_story: Sequence[Mapping[str, int]]) -> TagModel:
        model = cls([], sp.csr_matrix((0, 0), dtype=np.int32))
        return model.with_rows(np.full(len(per_story), -1, dtype=np.int64), per_story)

    def with_rows(self, source: np.ndarray, added: Sequence[Mapping[str, int]]) -> TagModel:
        """The model for new rows: row i is old row ``source[i]``, or (where -1) the next of
        ``added``. Names keep their columns; new names get new ones."""
        names = list(self.names)
        column = {name: i for i, name in enumerate(names)}
        rows, cols, vals = [], [], []
        for r, counts in zip(np.flatnonzero(source < 0), added, strict=True):
            for name, n in counts.items():
                if name not in column:
                    column[name] = len(names)
                    names.append(name)
                rows.append(r)
                cols.append(column[name])
                vals.append(n)
        old = self.counts.tocoo()
        new_of_old = np.full(self.counts.shape[0], -1, dtype=np.int64)
        kept = np.flatnonzero(source >= 0)
        new_of_old[source[kept]] = kept
        keep = new_of_old[old.row] >= 0 if old.nnz else np.zeros(0, bool)
        matrix = sp.csr_matrix(
            (np.concatenate([old.data[keep], np.array(vals, dtype=np.int32)]),
             (np.concatenate([new_of_old[old.row[keep]], np.array(rows, dtype=np.int64)]),
              np.concatenate([old.col[keep], np.array(cols, dtype=np.int64)]))),
            shape=(len(source), len(names)), dtype=np.int32)
        return TagModel(names, matrix, self.folder)

    def tags(self, rows: Sequence[int] | np.ndarray) -> list[list[str]]:
        """:func:`entity_tags` of the stories ``rows`` (together: tags are held across them)."""
        m = self.counts[np.asarray(rows, dtype=np.int64)].tocsr()
        n_rows = m.shape[0]
        if m.nnz == 0:
            return [[] for _ in range(n_rows)]
        # Only spellings some story names at least twice can become tags; folding only those
        # keeps the work small (a one-off misspelling alone would not make a tag anyway).
        story_counts = np.bincount(m.indices[m.data >= 2], minlength=m.shape[1])
        ids = np.flatnonzero(story_counts)
        spelled = {self.names[i]: int(story_counts[i]) for i in ids}
        label = self.folder.update(spelled)
        column = {self.names[i]: i for i in ids}
        target = np.arange(m.shape[1])
        target[ids] = [column[label[self.names[i]]] for i in ids]
        coo = m.tocoo()
        folded = sp.csr_matrix((coo.data, (coo.row, target[coo.col])), shape=m.shape, dtype=np.int32)
        folded.sum_duplicates()
        rows_of = np.repeat(np.arange(n_rows), np.diff(folded.indptr))
        # Salient in a story: named at least twice (a title mention counts twice).
        salient = folded.data >= 2
        salient_in = np.bincount(folded.indices[salient], minlength=m.shape[1])
        pick = np.flatnonzero(salient & (salient_in[folded.indices] >= MIN_STORIES))
        cols, vals, owner = folded.indices[pick], folded.data[pick], rows_of[pick]
        order_names = sorted(set(cols.tolist()), key=lambda c: self.names[c])
        name_rank = np.zeros(m.shape[1], dtype=np.int64)
        name_rank[order_names] = np.arange(len(order_names))
        order = np.lexsort((name_rank[cols], -vals, owner))
        cols, owner = cols[order], owner[order]
        starts = np.searchsorted(owner, np.arange(n_rows))
        position = np.arange(len(owner)) - starts[owner]
        chosen = position < MAX_TAGS
        cols, owner = cols[chosen], owner[chosen]
        held = np.bincount(cols, minlength=m.shape[1])
        out: list[list[str]] = [[] for _ in range(n_rows)]
        for r, c in zip(owner.tolist(), cols.tolist(), strict=True):
            if held[c] >= MIN_STORIES:
                out[r].append(self.names[c])
        return out


def entity_tags(stories: Sequence[Story]) -> list[list[str]]:
    """Tags for each story: up to ``MAX_TAGS`` folded names, most mentioned first, each held by
    at least ``MIN_STORIES`` stories."""
    return tags_from_mentions([mentions(s) for s in stories])


def tags_from_mentions(per_story: Sequence[Mapping[str, int]]) -> list[list[str]]:
    """:func:`entity_tags` from each story's :func:`mentions` (which can be computed once per story)."""
    return TagModel.of(per_story).tags(np.arange(len(per_story)))
