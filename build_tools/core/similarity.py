"""Near-duplicate entries: copied work, resubmissions, the same title twice.

Texts are compared as sets of character shingles (8 characters of the text with
spaces, punctuation and Markdown headings removed, so re-wrapping or re-wording
a heading changes nothing). Thai needs no word segmentation for this. To stay
fast on thousands of entries each text keeps a content-chosen quarter of its
shingles (Broder's mod-m sampling, an unbiased estimate of the overlap), and only
pairs that share rare shingles are compared at all: boilerplate found in many
entries (the sample notice, a common template) neither creates candidates nor
hides a copy.

The measure is containment, the share of the smaller text found in the other:
a copy padded with new paragraphs still counts. Titles are compared separately
by their 3-character shingles.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from build_tools.core.model import Entry
from build_tools.core.problems import Problem, make_problem
from build_tools.core.thai import normalize

SHINGLE_CHARS = 8
SAMPLE_MODULUS = 4  # keep shingles whose hash is divisible by this
TEXT_THRESHOLD = 0.6  # containment above which two texts are reported
TITLE_THRESHOLD = 0.8  # Jaccard of title shingles above which two titles are reported
MIN_SAMPLES = 40  # texts with fewer sampled shingles (≈ 160 characters) are too short to judge

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s.*$", re.MULTILINE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_NOT_WORD = re.compile(r"[\W_]+")


def format_plain(text: str) -> str:
    """Letters and digits only, normalised: what two copies have in common."""
    return _NOT_WORD.sub("", normalize(text))


def plan_shingles(text: str, size: int, modulus: int = 1) -> frozenset[int]:
    """Hashes of every `size`-character substring (those divisible by `modulus`)."""
    if len(text) < size:  # a very short title is one shingle
        whole = zlib.crc32(text.encode("utf-8"))
        return frozenset({whole}) if text and whole % modulus == 0 else frozenset()
    # UTF-32 gives every character four bytes, so a shingle is one cheap slice.
    data = text.encode("utf-32-le")
    width = size * 4
    hashes = (zlib.crc32(data[i : i + width]) for i in range(0, len(data) - width + 4, 4))
    return frozenset(h for h in hashes if h % modulus == 0)


def plan_text_fingerprint(entry: Entry) -> frozenset[int]:
    body = _COMMENT.sub("", _HEADING.sub("", entry.body))
    return plan_shingles(format_plain(f"{entry.summary}\n{body}"), SHINGLE_CHARS, SAMPLE_MODULUS)


def plan_title_fingerprint(entry: Entry) -> frozenset[int]:
    return plan_shingles(format_plain(entry.title), 3)


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def plan_similar_pairs(
    fingerprints: Sequence[frozenset[int]],
    measure,
    threshold: float,
    targets: set[int] | None = None,
    min_size: int = 1,
) -> list[tuple[int, int, float]]:
    """Index pairs (i < j) whose `measure` reaches `threshold`; with `targets`, only pairs
    involving one of them. Candidates come from an inverted index of the shingles that
    few texts share, so the work grows with the number of real matches, not with n²."""
    postings: defaultdict[int, list[int]] = defaultdict(list)
    for index, shingles in enumerate(fingerprints):
        if len(shingles) >= min_size:
            for shingle in shingles:
                postings[shingle].append(index)
    common = max(10, len(fingerprints) // 20)
    shared: Counter[tuple[int, int]] = Counter()
    for holders in postings.values():
        if len(holders) < 2 or len(holders) > common:
            continue
        for position, a in enumerate(holders):
            for b in holders[position + 1 :]:
                if targets is None or a in targets or b in targets:
                    shared[(a, b)] += 1
    pairs = []
    for (a, b), count in shared.items():
        smaller = min(len(fingerprints[a]), len(fingerprints[b]))
        if count < threshold * smaller / 2:  # too few rare shingles in common to get there
            continue
        score = measure(fingerprints[a], fingerprints[b])
        if score >= threshold:
            pairs.append((a, b, score))
    return sorted(pairs)


def _age(entry: Entry) -> tuple:
    return (entry.year, entry.submitted.toordinal() if entry.submitted else 0, entry.id)


def check_near_duplicates(
    entries: Sequence[Entry], root: Path, targets: Iterable[Entry] | None = None
) -> list[Problem]:
    """Warnings for entries whose text or title is very close to another entry's.

    `entries` are all entries; the warning goes on the one of each pair that is in
    `targets` (default: all), and when both are, on the newer one: the likely copy.
    """
    entries = list(entries)
    wanted = None if targets is None else {e.id for e in targets}
    target_indexes = (
        None if wanted is None else {i for i, e in enumerate(entries) if e.id in wanted}
    )
    checks = (
        (
            "near-duplicate",
            [plan_text_fingerprint(e) for e in entries],
            containment,
            TEXT_THRESHOLD,
            MIN_SAMPLES,
        ),
        (
            "similar-title",
            [plan_title_fingerprint(e) for e in entries],
            jaccard,
            TITLE_THRESHOLD,
            1,
        ),
    )
    problems = []
    for code, fingerprints, measure, threshold, min_size in checks:
        for a, b, score in plan_similar_pairs(
            fingerprints, measure, threshold, target_indexes, min_size
        ):
            first, second = entries[a], entries[b]
            copy, original = (first, second) if _age(first) > _age(second) else (second, first)
            if wanted is not None and copy.id not in wanted:
                copy, original = original, copy
            path = (
                copy.source_path.relative_to(root).as_posix()
                if copy.source_path.is_relative_to(root)
                else copy.source_path.as_posix()
            )
            problems.append(
                make_problem(
                    code,
                    path,
                    other=f"innovations/{original.id}",
                    other_title=original.title,
                    percent=round(score * 100),
                )
            )
    return problems
