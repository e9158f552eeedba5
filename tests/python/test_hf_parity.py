"""Parity of the tokenizer.json path with the real Hugging Face tokenizers library.

The reference is the library itself (its Rust core through the @anush008/tokenizers 0.6.0 Node
addon = tokenizers 0.22), driven by hf_reference.js; it is looked up in <repo>/node_modules,
where .ci/install-deps installs it. Compared on the 100,000 strings of corpus.py:

  (a) the library loads the tokenizer.json that `spanguard convert-tokenizer` writes from
      reference/spm.model, in both modes (model's byte_fallback / transformers-compatible);
  (b) `spanguard tokenize --tokenizer X.json` gives the library's ids AND offsets (code points,
      as the library reports them) on every string, in both modes;
  (c) on the default-mode file our ids equal the SentencePiece library's on spm.model except on
      exactly the strings where the Hugging Face library itself differs from SentencePiece; those
      are counted and classified (the reasons are printed);
  (d) the Pegasus tokenizer.json written by the library (older Metaspace form, WhitespaceSplit)
      gives the library's ids and offsets;
  (e) tokenizer.json variants built on the converted file exercise the other normalisers and
      pre-tokenisers (NFC/NFD/NFKC/NFKD, Lowercase, StripAccents, BertNormalizer, Nmt, Prepend,
      Replace, Split, Whitespace, WhitespaceSplit, Metaspace "first"/"never") on 10,000 strings.

If node or the package is missing, the Hugging Face comparisons are skipped with a warning.
"""

import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import warnings

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import corpus  # noqa: E402
from conftest import spanguard_binary

from conftest import BUILD_DIR
SOURCE_DIR = os.environ.get("SPANGUARD_SOURCE_DIR") or os.path.join(HERE, "..", "..")
SHARED_DIR = os.environ.get("SPANGUARD_SHARED_DIR") or os.path.join(SOURCE_DIR, "..", "shared")
REFERENCE = os.path.join(SHARED_DIR, "reference")
SPM_MODEL = os.path.join(SOURCE_DIR, "data", "tokenizers", "deberta-v3", "spm.model")
PEGASUS = os.path.join(REFERENCE, "hf_tokenizer_samples", "pegasus_unigram_tokenizer.json")
HF_PACKAGE = os.path.join(SOURCE_DIR, "node_modules", "@anush008", "tokenizers")
HF_SCRIPT = os.path.join(HERE, "hf_reference.js")
CORPUS_SIZE = 100000
VARIANT_SIZE = 10000

pytestmark = pytest.mark.skipif(BUILD_DIR is None, reason="SPANGUARD_BUILD_DIR is not set (run through ctest)")


def require_hf():
    """Skips, loudly, when the Hugging Face reference cannot run here."""
    node = shutil.which("node")
    problem = None
    if node is None:
        problem = "node is not installed"
    elif not os.path.isdir(HF_PACKAGE):
        problem = f"{HF_PACKAGE} is missing (run .ci/install-deps)"
    if problem:
        message = f"HUGGING FACE PARITY NOT TESTED: {problem}"
        print(f"\n{'!' * 80}\n{message}\n{'!' * 80}", file=sys.stderr)
        warnings.warn(message)
        pytest.skip(message)
    return node


@pytest.fixture(scope="module")
def texts():
    return corpus.generate(CORPUS_SIZE)


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="spanguard_hf_") as d:
        yield d


def write_jsonl(path, strings):
    with open(path, "w", encoding="utf-8") as f:
        corpus.write_jsonl(strings, f)


@pytest.fixture(scope="module")
def corpus_file(workdir, texts):
    path = os.path.join(workdir, "corpus.jsonl")
    write_jsonl(path, texts)
    return path


def gliner2_added_tokens():
    """[MASK] and GLiNER2's markers, as added_tokens.json would list them."""
    # The repository's copy: [MASK] = 128000 and the ten markers 128001..128010 in GLiNER2's order.
    with open(os.path.join(SOURCE_DIR, "data", "tokenizers", "deberta-v3", "added_tokens.json"),
              encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def converted(workdir):
    """tokenizer.json files converted from spm.model: {"default": path, "transformers": path}."""
    added = json.dumps(gliner2_added_tokens())
    out = {}
    for mode, flags in (("default", []), ("transformers", ["--transformers-compatible"])):
        path = os.path.join(workdir, f"converted_{mode}.json")
        proc = subprocess.run([spanguard_binary(), "convert-tokenizer", "--spm", SPM_MODEL, "--out", path,
                               "--added-tokens", added, *flags], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        out[mode] = path
    return out


# Results for files that do not change during the run (the corpus and the converted and
# Pegasus tokenizers), so that a comparison used by two tests runs once.
_RESULTS = {}


def cached(kind, tokenizer, jsonl_path, compute):
    key = (kind, tokenizer, jsonl_path)
    if key not in _RESULTS:
        _RESULTS[key] = compute()
    return _RESULTS[key]


def run_ours(tokenizer, jsonl_path):
    """[(ids, code point offsets)] from `spanguard tokenize`."""
    with open(jsonl_path, "rb") as stdin:
        proc = subprocess.run([spanguard_binary(), "tokenize", "--tokenizer", tokenizer, "--offsets",
                               "--offset-units", "codepoints"], stdin=stdin, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    records = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    return [(r["ids"], r["offsets"]) for r in records]


def run_hf_many(tokenizers, jsonl_path, workdir):
    """For each tokenizer, [(ids, code point offsets)] from the Hugging Face library (one process)."""
    node = require_hf()
    outputs = [os.path.join(workdir, f"hf_out_{i}.jsonl") for i in range(len(tokenizers))]
    with open(jsonl_path, "rb") as stdin:
        proc = subprocess.run([node, HF_SCRIPT, *(f"{t}={o}" for t, o in zip(tokenizers, outputs))],
                              stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=dict(os.environ, SPANGUARD_HF_TOKENIZERS=HF_PACKAGE))
    assert proc.returncode == 0, "the Hugging Face library failed: " + proc.stderr.decode("utf-8", "replace")
    results = []
    for path in outputs:
        with open(path, encoding="utf-8") as f:
            results.append([(r["ids"], r["offsets"]) for r in map(json.loads, f)])
    return results


def run_hf(tokenizer, jsonl_path, workdir):
    return run_hf_many([tokenizer], jsonl_path, workdir)[0]


def describe_mismatches(strings, ours, theirs, limit=5):
    lines = []
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if a != b:
            lines.append(f"  #{i} {strings[i]!r:.120}\n    ours {a[0][:16]} {a[1][:8]}\n    hf   {b[0][:16]} {b[1][:8]}")
            if len(lines) == limit:
                break
    return "\n".join(lines)


def assert_identical(name, strings, ours, theirs):
    assert len(ours) == len(theirs) == len(strings)
    same_ids = sum(a[0] == b[0] for a, b in zip(ours, theirs))
    same_all = sum(a == b for a, b in zip(ours, theirs))
    print(f"{name}: ids identical on {same_ids:,}/{len(strings):,}, ids and offsets on {same_all:,}/{len(strings):,}")
    assert same_all == len(strings), f"{name}: differs from Hugging Face:\n" + describe_mismatches(strings, ours, theirs)


# --- (a) + (b): the converted file, both modes -----------------------------------------------------

@pytest.mark.parametrize("mode", ["default", "transformers"])
def test_converted_tokenizer_json_matches_hf(mode, converted, texts, corpus_file, workdir):
    # run_hf fails if the library cannot load the file.
    theirs = cached("hf", converted[mode], corpus_file, lambda: run_hf(converted[mode], corpus_file, workdir))
    ours = cached("ours", converted[mode], corpus_file, lambda: run_ours(converted[mode], corpus_file))
    assert_identical(f"converted spm.model ({mode} mode) vs Hugging Face", texts, ours, theirs)


# --- (c): SentencePiece ------------------------------------------------------------------------------

def classify(text, hf_ids, spm_ids, processor, added):
    """Why the Hugging Face library tokenises `text` differently from SentencePiece."""
    if any(token in text for token in added):
        return "added-token text ([CLS], [MASK], GLiNER2 markers) is one token in HF, plain text in SentencePiece"
    if re.search(r"<0x[0-9A-F]{2}>", text):
        return "literal '<0xNN>' text matches a byte piece in HF (every vocabulary entry is searchable)"
    size = processor.get_piece_size()

    def surface(ids):
        out = bytearray()
        for i in ids:
            piece = processor.id_to_piece(i) if i < size else ""
            if i < size and processor.is_byte(i):
                out.append(int(piece[3:5], 16))
            else:
                out += piece.encode("utf-8")
        return out.decode("utf-8", "replace")

    a, b = surface(hf_ids), surface(spm_ids)
    if a == b:
        return "same normalised text, different segmentation (float64 vs float32 path scores in the Viterbi search)"
    if a.replace("\u2581", "") == b.replace("\u2581", ""):
        return ("whitespace: HF strips White_Space before the charsmap (SentencePiece strips spaces after it), "
                "so edge characters the charsmap maps to a space (U+2581, U+200B, ...) or not at all (U+0085) differ")
    return ("normalisation: HF applies the charsmap per grapheme cluster, replacing a whole cluster of < 6 bytes "
            "by the shortest matching key's value; SentencePiece replaces the longest matching key")


def test_converted_matches_sentencepiece_except_where_hf_does_not(converted, texts, corpus_file, workdir):
    spm = pytest.importorskip("sentencepiece")
    processor = spm.SentencePieceProcessor(model_file=SPM_MODEL)
    reference = processor.encode(texts, num_threads=2)
    path = converted["default"]
    ours = [r[0] for r in cached("ours", path, corpus_file, lambda: run_ours(path, corpus_file))]
    hf = [r[0] for r in cached("hf", path, corpus_file, lambda: run_hf(path, corpus_file, workdir))]
    ours_differ = {i for i in range(len(texts)) if ours[i] != reference[i]}
    hf_differ = {i for i in range(len(texts)) if hf[i] != reference[i]}
    added = list(gliner2_added_tokens()) + ["[PAD]", "[CLS]", "[SEP]", "[UNK]"]
    reasons = collections.Counter()
    examples = collections.defaultdict(list)
    for i in sorted(hf_differ):
        reason = classify(texts[i], hf[i], reference[i], processor, added)
        reasons[reason] += 1
        if len(examples[reason]) < 2:
            examples[reason].append(texts[i])
    print(f"\nours == SentencePiece on {len(texts) - len(ours_differ):,}/{len(texts):,} strings; "
          f"Hugging Face != SentencePiece on {len(hf_differ):,}, classified:")
    for reason, n in reasons.most_common():
        print(f"  {n:6,}  {reason}")
        for example in examples[reason]:
            print(f"          e.g. {example!r:.100}")
    assert ours_differ == hf_differ, (
        f"ours differs from SentencePiece on {len(ours_differ - hf_differ)} strings where HF agrees with it, "
        f"and agrees on {len(hf_differ - ours_differ)} where HF does not: "
        + ", ".join(repr(texts[i])[:60] for i in sorted(ours_differ ^ hf_differ)[:5]))


# --- (d): a file written by the library --------------------------------------------------------------

@pytest.mark.needs_shared
def test_pegasus_tokenizer_json_matches_hf(texts, corpus_file, workdir):
    theirs = run_hf(PEGASUS, corpus_file, workdir)
    ours = run_ours(PEGASUS, corpus_file)
    assert_identical("Pegasus tokenizer.json vs Hugging Face", texts, ours, theirs)


# --- (e): the other components -----------------------------------------------------------------------

META = {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}


def variants(base):
    charsmap = base["normalizer"]["normalizers"][1]
    return {
        "NFKC+Lowercase": {"normalizer": {"type": "Sequence", "normalizers": [{"type": "NFKC"}, {"type": "Lowercase"}]}},
        "NFC": {"normalizer": {"type": "NFC"}},
        "NFD+StripAccents": {"normalizer": {"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "StripAccents"}]}},
        "NFKD": {"normalizer": {"type": "NFKD"}},
        "BertNormalizer+Whitespace": {
            "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                           "strip_accents": None, "lowercase": True},
            "pre_tokenizer": {"type": "Whitespace"}},
        "Nmt+Precompiled+Prepend+Replace(String)": {
            "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "Nmt"}, charsmap, {"type": "Prepend", "prepend": "\u2581"},
                {"type": "Replace", "pattern": {"String": " "}, "content": "\u2581"}]},
            "pre_tokenizer": None},
        "Split(Isolated)+Metaspace(first,no split)": {
            "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "Strip", "strip_left": False, "strip_right": True}, charsmap]},
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"Regex": "\\p{L}+|\\d"}, "behavior": "Isolated", "invert": False},
                dict(META, prepend_scheme="first", split=False)]}},
        "Split(3 behaviours)+Metaspace(never)": {
            "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
                {"type": "Split", "pattern": {"String": "a"}, "behavior": "MergedWithPrevious", "invert": False},
                {"type": "Split", "pattern": {"Regex": "\\s+"}, "behavior": "Contiguous", "invert": False},
                {"type": "Split", "pattern": {"Regex": "[.,!?]"}, "behavior": "MergedWithNext", "invert": True},
                dict(META, prepend_scheme="never")]}},
        "WhitespaceSplit": {"normalizer": None, "pre_tokenizer": {"type": "WhitespaceSplit"}},
    }


def newer_than_unicode_14(text):
    """Whether `text` has a code point unassigned in Unicode 14 (this Python's unicodedata).

    The library's Rust crates for case mapping, regex classes and Oniguruma know Unicode 15.1/16;
    ICU 72 stops at 15.0, so characters assigned since can be classified differently."""
    return any(unicodedata.category(c) == "Cn" for c in text)


def test_other_components_match_hf(converted, texts, workdir):
    with open(converted["default"], encoding="utf-8") as f:
        base = json.load(f)
    vocab = base["model"]["vocab"]
    # Every variant is the converted file with another normalizer/pre_tokenizer; the rest of the
    # JSON text is serialised once.
    rest = json.dumps({k: v for k, v in base.items() if k not in ("normalizer", "pre_tokenizer")},
                      ensure_ascii=False)
    strings = texts[:VARIANT_SIZE]
    path = os.path.join(workdir, "variant_corpus.jsonl")
    write_jsonl(path, strings)
    names, files = [], []
    for n, (name, change) in enumerate(variants(base).items()):
        head = {"normalizer": change.get("normalizer", base["normalizer"]),
                "pre_tokenizer": change.get("pre_tokenizer", base["pre_tokenizer"])}
        tokenizer = os.path.join(workdir, f"variant_{n}.json")
        with open(tokenizer, "w", encoding="utf-8") as f:
            f.write(json.dumps(head, ensure_ascii=False)[:-1] + ", " + rest[1:])
        names.append(name)
        files.append(tokenizer)
    hf_results = run_hf_many(files, path, workdir)
    newer = [newer_than_unicode_14(s) for s in strings]

    def score(ids):
        return sum(vocab[t][1] for t in ids if t < len(vocab))

    def surface(ids):
        return "".join(vocab[t][0] for t in ids if t < len(vocab))

    failures = []
    for name, tokenizer, theirs in zip(names, files, hf_results):
        ours = run_ours(tokenizer, path)
        differ = [i for i in range(len(strings)) if ours[i] != theirs[i]]
        unicode_newer = [i for i in differ if newer[i]]
        # Equal token text and equal total score: a Viterbi near-tie. The library parses scores
        # with serde_json's fast (not correctly rounded) float parser, so its float64 scores can
        # be one ulp off the ones in the file; where two segmentations score the same up to
        # that, it may pick the other one (seen on long runs of one digit).
        ties = [i for i in differ if not newer[i] and surface(ours[i][0]) == surface(theirs[i][0])
                and abs(score(ours[i][0]) - score(theirs[i][0])) < 1e-9]
        tie_set = set(ties)
        other = [i for i in differ if not newer[i] and i not in tie_set]
        print(f"{name}: identical on {len(strings) - len(differ):,}/{len(strings):,}; differing "
              f"{len(unicode_newer)} with post-Unicode-14 characters, {len(ties)} score ties, {len(other)} other")
        if other or len(ties) > len(strings) // 1000:
            shown = other + ties
            failures.append(f"{name}:\n" + describe_mismatches([strings[i] for i in shown],
                                                               [ours[i] for i in shown],
                                                               [theirs[i] for i in shown]))
    assert not failures, "\n".join(failures)


# --- the CLI -----------------------------------------------------------------------------------------

def test_convert_tokenizer_cli_errors(workdir):
    binary = spanguard_binary()
    out = os.path.join(workdir, "cli.json")
    usage = subprocess.run([binary, "convert-tokenizer", "--spm", SPM_MODEL], capture_output=True, text=True)
    assert usage.returncode == 2 and "--out PATH is required" in usage.stderr
    bad_id = subprocess.run([binary, "convert-tokenizer", "--spm", SPM_MODEL, "--out", out,
                             "--added-tokens", '{"[MASK]": 5}'], capture_output=True, text=True)
    assert bad_id.returncode == 1
    assert "extra special token '[MASK]' has id 5, but the Hugging Face library would assign it id 128000" in bad_id.stderr
    assert not os.path.exists(out)
    not_json = subprocess.run([binary, "convert-tokenizer", "--spm", SPM_MODEL, "--out", out,
                               "--added-tokens", "{oops"], capture_output=True, text=True)
    assert not_json.returncode == 1 and "--added-tokens: invalid JSON" in not_json.stderr
    added_file = os.path.join(workdir, "added_tokens.json")
    with open(added_file, "w", encoding="utf-8") as f:
        json.dump({"[MASK]": 128000}, f)
    ok = subprocess.run([binary, "convert-tokenizer", "--spm", SPM_MODEL, "--out", out, "--added-tokens", added_file],
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    with open(out, encoding="utf-8") as f:
        written = json.load(f)
    assert [t["content"] for t in written["added_tokens"]] == ["[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"]
