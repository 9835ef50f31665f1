"""The Whoosh analyzer: `build_tools.thai` wrapped as a Whoosh tokenizer.

Kept apart from `thai` so the Thai rules do not depend on Whoosh. The class is pickled
into the index schema by reference, so moving or renaming it invalidates old indexes
(an index is made again whenever the code changes: `cache.build_fingerprint`).
"""

from __future__ import annotations

from whoosh.analysis import Token, Tokenizer

from build_tools.thai import iter_index_tokens


class ThaiTokenizer(Tokenizer):
    """Yields normalised words and their dictionary subwords (see `thai.iter_index_tokens`)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        texts = iter_index_tokens(value) if tokenize else [value]
        for pos, text in enumerate(texts, start=start_pos):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = pos
            yield token


def thai_analyzer() -> ThaiTokenizer:
    return ThaiTokenizer()
