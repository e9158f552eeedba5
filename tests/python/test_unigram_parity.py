"""UnigramModel (kSentencePiece) against the SentencePiece library on the real 128k-piece spm.model.

This isolates the Viterbi search from the normaliser: the SentencePiece library normalises each
string with the model's own normaliser; the normalised text is then encoded again by the library
with an identity normaliser (so that token offsets are offsets into that text), and the C++ test
UnigramSpmParity.MatchesSentencePieceLibrary encodes the same text with spanguard's UnigramModel,
built from the model's pieces, and requires identical ids and byte ranges.

Strings: tests/python/corpus.py (scripts, emoji, rare CJK that needs byte fallback, controls, ...)
plus "piece soup", random concatenations of vocabulary pieces, which produce many competing
segmentations with close scores.
"""

import os
import pathlib
import random
import subprocess
import sys

import sentencepiece as spm
from sentencepiece import sentencepiece_model_pb2 as pb

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

CORPUS_STRINGS = 20000
SOUP_STRINGS = 15000


def _dirs():
    build = pathlib.Path(os.environ["SPANGUARD_BUILD_DIR"])
    shared = pathlib.Path(os.environ["SPANGUARD_SHARED_DIR"])
    return build, shared


def _piece_soup(rng, proto, n):
    normal = [p.piece for p in proto.pieces if p.type == pb.ModelProto.SentencePiece.NORMAL]
    out = []
    for _ in range(n):
        k = rng.randint(1, 8)
        s = "".join(rng.choice(normal) for _ in range(k))
        # Some strings with the meta symbol written as a space, some with characters dropped,
        # so that pieces are cut at arbitrary points.
        r = rng.random()
        if r < 0.3:
            s = s.replace("\u2581", " ")
        elif r < 0.5 and len(s) > 2:
            i = rng.randrange(len(s))
            s = s[:i] + s[i + 1:]
        out.append(s)
    return out


def _normalized(processor, encoded):
    """The normalised text: the concatenation of the pieces, byte pieces decoded to their bytes."""
    out = bytearray()
    for p in encoded.pieces:
        if processor.IsByte(p.id):
            out.append(int(p.piece[3:5], 16))
        else:
            out += p.piece.encode("utf-8")
    return out.decode("utf-8")


def test_unigram_search_matches_sentencepiece(tmp_path):
    build, shared = _dirs()
    binary = build / "tests" / "tokenizer" / "tokenizer_tests"
    assert binary.exists(), f"{binary} is not built"
    model_bytes = (pathlib.Path(__file__).resolve().parents[2] / "data" / "tokenizers" / "deberta-v3"
                   / "spm.model").read_bytes()
    proto = pb.ModelProto()
    proto.ParseFromString(model_bytes)
    real = spm.SentencePieceProcessor(model_proto=model_bytes)

    identity_proto = pb.ModelProto()
    identity_proto.CopyFrom(proto)
    ns = identity_proto.normalizer_spec
    ns.name = "identity"
    ns.precompiled_charsmap = b""
    ns.add_dummy_prefix = False
    ns.remove_extra_whitespaces = False
    ns.escape_whitespaces = False
    identity = spm.SentencePieceProcessor(model_proto=identity_proto.SerializeToString())

    with open(tmp_path / "pieces.tsv", "w", encoding="ascii") as f:
        for p in proto.pieces:
            f.write(f"{p.type}\t{float(p.score).hex()}\t{p.piece.encode('utf-8').hex()}\n")

    rng = random.Random(7)
    strings = corpus.generate(CORPUS_STRINGS) + _piece_soup(rng, proto, SOUP_STRINGS)
    written = 0
    byte_fallback_cases = 0
    with open(tmp_path / "cases.tsv", "w", encoding="ascii") as f:
        for s in strings:
            segment = _normalized(real, real.encode_as_immutable_proto(s))
            if not segment:
                continue
            expected = identity.encode_as_immutable_proto(segment)
            # The identity pass must reproduce the library's own result on the raw string.
            assert [p.id for p in expected.pieces] == real.encode_as_ids(s), s
            # The Python binding reports code point offsets; the C++ side works in bytes.
            byte_at = [0]
            for ch in segment:
                byte_at.append(byte_at[-1] + len(ch.encode("utf-8")))
            ids = ",".join(str(p.id) for p in expected.pieces)
            begins = ",".join(str(byte_at[p.begin]) for p in expected.pieces)
            ends = ",".join(str(byte_at[p.end]) for p in expected.pieces)
            f.write(f"{segment.encode('utf-8').hex()}\t{ids}\t{begins}\t{ends}\n")
            written += 1
            byte_fallback_cases += any(identity.IsByte(p.id) for p in expected.pieces)
    assert written > 30000
    assert byte_fallback_cases > 100

    env = dict(os.environ, SPANGUARD_UNIGRAM_PARITY_DIR=str(tmp_path))
    result = subprocess.run(
        [str(binary), "--gtest_filter=UnigramSpmParity.*"],
        env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    assert f"{written}/{written} segments identical" in result.stdout, result.stdout[-3000:]
