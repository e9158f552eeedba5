"""The text half of a GLiNER2 input (GLINER2.md §2.2-§2.3): the end-of-text rule and the word
splitter.

Offsets are Python code-point indices, half-open, into the text *after* the end-of-text rule.
"""

import dataclasses
import re

# Spec §2.3, alternatives in priority order: URL, e-mail, @handle, word with inner - or _ joins,
# any other single non-space character. Case-insensitive, Unicode str semantics.
WORD_PATTERN = re.compile(
    r"(?:https?://\S+|www\.\S+)"
    r"|[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}"
    r"|@[a-z0-9_]+"
    r"|\w+(?:[-_]\w+)*"
    r"|\S",
    re.IGNORECASE,
)


@dataclasses.dataclass(frozen=True)
class Word:
    token: str  # lower-cased
    start: int
    end: int


def apply_end_of_text_rule(text):
    """Spec §2.2: "" -> "."; a text not ending in . ! or ? gets a "." appended."""
    if not text:
        return "."
    if text[-1] in ".!?":
        return text
    return text + "."


def split_words(text, max_len=None):
    """Words of `text` as given (no end-of-text rule), each lower-cased; at most max_len."""
    words = []
    for m in WORD_PATTERN.finditer(text):
        if max_len is not None and len(words) >= max_len:
            break
        words.append(Word(m.group().lower(), m.start(), m.end()))
    return words
