"""Sub-tokenisation of GLiNER2 token strings (GLINER2.md §2.5, §6) with the checkpoint's
SentencePiece
model and its added tokens.

A checkpoint folder provides `spm.model` and `added_tokens.json` (token -> id; the ten GLiNER2
markers and [MASK]). As in the reference's tokenizer, the added tokens (and the SentencePiece
control pieces [PAD] [CLS] [SEP] [UNK]) are matched first in the raw string, longest first, and the
plain segments between them are encoded independently by SentencePiece (which strips and
collapses whitespace and prepends its "▁"); no [CLS]/[SEP] is ever added.
"""

import os
import re

import sentencepiece

from .checkpoint import CheckpointError, _read_json

MARKERS = ("[SEP_STRUCT]", "[SEP_TEXT]", "[P]", "[C]", "[E]", "[R]", "[L]", "[EXAMPLE]",
           "[OUTPUT]", "[DESCRIPTION]")
POOLED_MARKERS = ("[P]", "[C]", "[E]", "[R]", "[L]")
_CONTROL_PIECES = ("[PAD]", "[CLS]", "[SEP]", "[UNK]")


def read_added_tokens(folder):
    """`folder`/added_tokens.json as a dict token -> id, or CheckpointError naming the file."""
    path = os.path.join(folder, "added_tokens.json")
    added = _read_json(path)
    if not all(isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
               for k, v in added.items()):
        raise CheckpointError(f"{path}: expected an object of token -> integer id")
    return added


class AddedTokenTokenizer:
    """A checkpoint's SentencePiece model with its added tokens: the added tokens and control
    pieces are cut out of a string first, longest first, and each plain segment between them is
    encoded by SentencePiece on its own. Shared by the GLiNER2 and GLiNER v1 paths."""

    def __init__(self, spm_path, added_tokens):
        """`added_tokens`: dict token -> id."""
        if not os.path.exists(spm_path):
            raise CheckpointError(f"{spm_path}: file not found (the reference implementation "
                                  "needs the SentencePiece model, not only tokenizer.json)")
        self.sp = sentencepiece.SentencePieceProcessor(model_file=spm_path)
        self.special = dict(added_tokens)
        for piece in _CONTROL_PIECES:
            pid = self.sp.piece_to_id(piece)
            if self.sp.id_to_piece(pid) == piece:
                self.special.setdefault(piece, pid)
        alternatives = sorted(self.special, key=len, reverse=True)
        self._split = re.compile("(" + "|".join(re.escape(t) for t in alternatives) + ")")

    @classmethod
    def from_checkpoint(cls, path):
        return cls(os.path.join(path, "spm.model"), read_added_tokens(path))

    def encode(self, token_string):
        """One string -> list of ids (possibly empty); no [CLS]/[SEP] added."""
        ids = []
        for i, part in enumerate(self._split.split(token_string)):
            if i % 2:
                ids.append(self.special[part])
            elif part:
                ids.extend(self.sp.encode(part))
        return ids


class GlinerTokenizer(AddedTokenTokenizer):
    def __init__(self, spm_path, added_tokens):
        """`added_tokens`: dict token -> id; must contain the ten markers."""
        missing = [m for m in MARKERS if m not in added_tokens]
        if missing:
            raise CheckpointError(f"added tokens lack the GLiNER2 markers {missing}")
        super().__init__(spm_path, added_tokens)
        self.pooled_ids = frozenset(self.special[m] for m in POOLED_MARKERS)

    def marker_id(self, marker):
        return self.special[marker]
