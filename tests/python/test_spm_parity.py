"""Parity of `spanguard tokenize` on spm.model with the SentencePiece library (Debian's 0.1.97).

Ids and byte offsets are compared on the whole corpus of corpus.py (100,000 strings); code point
offsets on part of it; and the whole-string cases of the upstream tokenizer golden file, with the
GLiNER2 marker tokens added, against their recorded ids and against SentencePiece.
"""

import json
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus  # noqa: E402

spm = pytest.importorskip("sentencepiece")
from sentencepiece import sentencepiece_pb2  # noqa: E402
from conftest import spanguard_binary

from conftest import BUILD_DIR
SOURCE_DIR = os.environ.get("SPANGUARD_SOURCE_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")
SHARED_DIR = os.environ.get("SPANGUARD_SHARED_DIR") or os.path.join(SOURCE_DIR, "..", "shared")
SPM_MODEL = os.path.join(SOURCE_DIR, "data", "tokenizers", "deberta-v3", "spm.model")
CORPUS_SIZE = 100000
CODE_POINT_SAMPLE = 10000  # strings whose code point offsets are also compared

pytestmark = pytest.mark.skipif(BUILD_DIR is None, reason="SPANGUARD_BUILD_DIR is not set (run through ctest)")


def run_tokenize(texts, *extra, tokenizer=SPM_MODEL):
    """Runs `spanguard tokenize --offsets` on `texts`; returns the parsed output records."""
    stdin = "".join(corpus.to_jsonl_line(t) + "\n" for t in texts).encode("utf-8")
    proc = subprocess.run([spanguard_binary(), "tokenize", "--tokenizer", tokenizer, "--offsets", *extra],
                          input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    lines = proc.stdout.decode("utf-8").split("\n")
    assert lines[-1] == ""
    records = [json.loads(line) for line in lines[:-1]]
    assert len(records) == len(texts)
    return records


def _varint(n):
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        if n:
            out.append(low | 0x80)
        else:
            out.append(low)
            return bytes(out)


def sentencepiece_reference(processor, texts):
    """(ids, byte offsets) per text, from SentencePiece's own SentencePieceText protos.

    The protos are parsed in one call, as the `nbests` of one NBestSentencePieceText, because
    parsing 100,000 small messages one by one is several times slower."""
    serialized = processor.encode(texts, out_type="serialized_proto", num_threads=2)
    blob = b"".join(b"\x0a" + _varint(len(s)) + s for s in serialized)
    parsed = sentencepiece_pb2.NBestSentencePieceText.FromString(blob).nbests
    assert len(parsed) == len(texts)
    out = []
    for message in parsed:
        pieces = message.pieces
        out.append(([p.id for p in pieces], [[p.begin, p.end] for p in pieces]))
    return out


def report_mismatches(texts, expected, actual, what, limit=5):
    lines = []
    for i, (e, a) in enumerate(zip(expected, actual)):
        if e != a:
            if len(lines) < limit:
                lines.append(f"  #{i} {texts[i]!r:.300}\n    expected {e!r:.400}\n    actual   {a!r:.400}")
    return f"first mismatches of {what}:\n" + "\n".join(lines)


@pytest.fixture(scope="module")
def processor():
    return spm.SentencePieceProcessor(model_file=SPM_MODEL)


@pytest.fixture(scope="module")
def texts():
    return corpus.generate(CORPUS_SIZE)


def test_corpus_ids_and_byte_offsets(processor, texts):
    assert len(texts) >= 100000
    ours = run_tokenize(texts)
    errors = [(i, r["error"]) for i, r in enumerate(ours) if "error" in r]
    assert not errors, f"{len(errors)} lines failed, first: {errors[:3]}"
    reference = sentencepiece_reference(processor, texts)
    actual = [(r["ids"], r["offsets"]) for r in ours]
    same_ids = sum(e[0] == a[0] for e, a in zip(reference, actual))
    same_both = sum(e == a for e, a in zip(reference, actual))
    print(f"spm.model parity: {same_both}/{len(texts)} identical ids and byte offsets "
          f"({same_ids}/{len(texts)} identical ids, {sum(len(e[0]) for e in reference)} tokens)")
    assert same_ids == len(texts), report_mismatches(
        texts, [e[0] for e in reference], [a[0] for a in actual], "ids")
    assert same_both == len(texts), report_mismatches(texts, reference, actual, "byte offsets")


def test_corpus_code_point_offsets(processor, texts):
    sample = texts[:CODE_POINT_SAMPLE]
    ours = run_tokenize(sample, "--offset-units", "codepoints")
    # The Python binding's immutable proto reports begin/end in code points.
    expected = [[[p.begin, p.end] for p in t.pieces]
                for t in processor.encode(sample, out_type="immutable_proto", num_threads=2)]
    actual = [r["offsets"] for r in ours]
    same = sum(e == a for e, a in zip(expected, actual))
    print(f"spm.model parity: {same}/{len(sample)} identical code point offsets")
    assert same == len(sample), report_mismatches(sample, expected, actual, "code point offsets")


@pytest.mark.needs_shared
def test_golden_tokenizer_parity_with_markers(processor):
    with open(os.path.join(SHARED_DIR, "reference", "golden", "tokenizer_parity.json"), encoding="utf-8") as f:
        cases = json.load(f)["test_cases"]
    with open(os.path.join(SHARED_DIR, "reference", "special_tokens.json"), encoding="utf-8") as f:
        markers = json.load(f)["gliner2_markers_deberta_v3"]
    assert len(markers) == 10
    texts = [c["text"] for c in cases]
    ours = run_tokenize(texts, "--add-tokens", json.dumps(markers))
    for case, record in zip(cases, ours):
        # Ids: as recorded from the real gliner2-base-v1 tokenizer.
        assert record.get("ids") == case["token_ids"], (case["text"], record, case["token_ids"])
        # Offsets: each marker's own span; SentencePiece's offsets for the text between markers.
        text = case["text"]
        expected = []
        pos = 0
        while pos <= len(text):
            hits = [(text.find(m, pos), m) for m in markers if text.find(m, pos) >= 0]
            at, marker = min(hits, key=lambda h: (h[0], -len(h[1]))) if hits else (len(text), None)
            if at > pos:
                segment = text[pos:at]
                base = len(text[:pos].encode("utf-8"))
                expected += [[b + base, e + base] for b, e in sentencepiece_reference(processor, [segment])[0][1]]
            if marker is None:
                break
            begin = len(text[:at].encode("utf-8"))
            expected.append([begin, begin + len(marker.encode("utf-8"))])
            pos = at + len(marker)
        assert record["offsets"] == expected, (text, record, expected)
    print(f"golden tokenizer_parity.json: {len(cases)}/{len(cases)} identical ids and offsets "
          "(with the 10 GLiNER2 markers added)")


def test_added_tokens_file_matches_inline_json(tmp_path):
    added = os.path.join(SOURCE_DIR, "data", "tokenizers", "deberta-v3", "added_tokens.json")
    text = ["[SEP_TEXT] Alice met Bob.[E] [MASK]x[DESCRIPTION]"]
    from_file = run_tokenize(text, "--add-tokens", added)
    with open(added, encoding="utf-8") as f:
        inline = run_tokenize(text, "--add-tokens", f.read())
    assert from_file == inline
    ids = from_file[0]["ids"]
    assert ids[0] == 128002 and 128005 in ids and 128000 in ids and ids[-1] == 128010


def test_malformed_lines_get_error_records_in_place():
    lines = [b'{"text": "ok"}', b"not json", b'{"text": 5}', b'{"text": "caf\xc3"}', b"[1]",
             b'{"text": "\\ud800"}', b'{"text": "also ok"}', b"", b'{"text": "last, no newline"}']
    proc = subprocess.run([spanguard_binary(), "tokenize", "--tokenizer", SPM_MODEL],
                          input=b"\n".join(lines), stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    assert proc.returncode == 1
    out = [json.loads(line) for line in proc.stdout.decode("utf-8").split("\n")[:-1]]
    assert len(out) == len(lines)
    ok = {0, 6, 8}
    for i, record in enumerate(out):
        if i in ok:
            assert "ids" in record and "error" not in record, (i, record)
        else:
            assert record["error"].startswith(f"line {i + 1}: "), (i, record)
    assert out[0]["ids"] == spm.SentencePieceProcessor(model_file=SPM_MODEL).encode("ok")
    # The truncated two-byte sequence starts at byte 13 of '{"text": "caf\xc3"}'.
    assert out[3]["error"] == "line 4: invalid UTF-8 at byte offset 13 of the line"


# Variants of spm.model that switch on the normaliser and model options the real model leaves
# at one setting, each compared with SentencePiece on part of the corpus.
def _variant(name, model):
    spec = model.normalizer_spec
    if name == "no_dummy_prefix":
        spec.add_dummy_prefix = False
    elif name == "keep_extra_whitespaces":
        spec.remove_extra_whitespaces = False
    elif name == "no_escape_whitespaces":
        spec.escape_whitespaces = False
    elif name == "whitespace_as_suffix":
        model.trainer_spec.treat_whitespace_as_suffix = True
    elif name == "all_whitespace_options_off":
        spec.add_dummy_prefix = False
        spec.remove_extra_whitespaces = False
        spec.escape_whitespaces = False
    elif name == "identity_normalizer":
        spec.name = "identity"
        spec.precompiled_charsmap = b""
    elif name == "no_byte_fallback":
        model.trainer_spec.byte_fallback = False
        for piece in model.pieces:
            if piece.type == piece.BYTE:
                piece.type = piece.UNUSED
    elif name == "user_defined":
        for piece in model.pieces:
            if piece.piece in ("ing", "▁New", "▁the"):
                piece.type = piece.USER_DEFINED
        for text in ("[P]", "ﬁ", "▁▁", "<0x41>", "a\u0301", "\u00a0x", "York City"):
            model.pieces.add(piece=text, score=0.0, type=model.SentencePiece.USER_DEFINED)
    else:
        raise AssertionError(name)


VARIANTS = ["no_dummy_prefix", "keep_extra_whitespaces", "no_escape_whitespaces", "whitespace_as_suffix",
            "all_whitespace_options_off", "identity_normalizer", "no_byte_fallback", "user_defined"]
VARIANT_SAMPLE = 3000


@pytest.mark.parametrize("variant", VARIANTS)
def test_model_variants(variant, texts, tmp_path):
    from sentencepiece import sentencepiece_model_pb2

    model = sentencepiece_model_pb2.ModelProto()
    with open(SPM_MODEL, "rb") as f:
        model.ParseFromString(f.read())
    _variant(variant, model)
    path = tmp_path / f"{variant}.model"
    path.write_bytes(model.SerializeToString())

    # Every tenth string, plus the fixed edge cases at the start of the corpus.
    sample = texts[:len(corpus.FIXED)] + texts[len(corpus.FIXED)::10][:VARIANT_SAMPLE]
    sample += ["York City New York", "[P]ﬁ▁▁ a\u0301 \u00a0x", "  a  b  ", "x\u00a8 \u00a8y", "▁", "a▁ ▁"]
    processor = spm.SentencePieceProcessor(model_file=str(path))
    reference = sentencepiece_reference(processor, sample)
    ours = run_tokenize(sample, tokenizer=str(path))
    actual = [(r.get("ids"), r.get("offsets")) for r in ours]
    same = sum(e == a for e, a in zip(reference, actual))
    print(f"spm.model variant {variant}: {same}/{len(sample)} identical ids and byte offsets")
    assert same == len(sample), report_mismatches(sample, reference, actual, f"variant {variant}")


def test_usage_and_argument_errors(tmp_path):
    binary = spanguard_binary()

    def run(*args, stdin=b""):
        return subprocess.run([binary, "tokenize", *args], input=stdin, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, check=False)

    helped = run("--help")
    assert helped.returncode == 0 and b"--offset-units" in helped.stdout
    for args in [(), ("--offsets",), ("--tokenizer",), ("--tokenizer", SPM_MODEL, "--offset-units", "chars"),
                 ("--tokenizer", SPM_MODEL, "--frobnicate"), ("--tokenizer", SPM_MODEL, "--offsets=yes")]:
        proc = run(*args)
        assert proc.returncode == 2, (args, proc.stderr)
        assert b"usage: spanguard tokenize" in proc.stderr, (args, proc.stderr)
    missing = run("--tokenizer", str(tmp_path / "missing.model"))
    assert missing.returncode == 1 and b"missing.model" in missing.stderr
    bad_tokens = tmp_path / "bad.json"
    bad_tokens.write_text('{"[P]": "x"}')
    for spec, fragment in [(str(bad_tokens), b"the id of '[P]'"), ('{"[P]": 1', b"invalid JSON"),
                           ('{"[P]": -1}', b"the id of '[P]'"), ("[1, 2]", b"expected a JSON object"),
                           (str(tmp_path / "none.json"), b"none.json")]:
        proc = run("--tokenizer", SPM_MODEL, "--add-tokens", spec)
        assert proc.returncode == 1 and fragment in proc.stderr, (spec, proc.stderr)
    # "--name=value" spelling, and CRLF line ends.
    proc = run(f"--tokenizer={SPM_MODEL}", "--offsets", "--offset-units=codepoints",
               stdin='{"text": "é x"}\r\n'.encode("utf-8"))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"ids": [14287, 1204], "offsets": [[0, 1], [1, 3]]}
