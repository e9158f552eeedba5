"""The free-prose PII generator (python/spanguard_train/pii_prose.py):

* it is deterministic for a seed;
* every span is a clean value: stripped, on word boundaries of the model's word splitter, at
  most 8 words, on one line, with a label of the 42-label taxonomy; person spans never hold a
  title or a possessive "'s", and every name span carries `person` beside its name label;
* the test split uses only the held-out template families and name slice: no family, text or
  name string is shared with the training split, and training text holds no held-out cue of the
  PII test split;
* multi-line address blocks, many national phone formats and documents without PII occur.
"""

import collections
import os
import re
import subprocess
import sys

import pytest

SOURCE_DIR = os.environ.get("SPANGUARD_SOURCE_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(SOURCE_DIR, "python"))

from spanguard_reference.words import apply_end_of_text_rule, split_words  # noqa: E402
from spanguard_train import holdout, pii_prose, pii_synth  # noqa: E402

from conftest import SHARED_DIR  # noqa: E402

TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "herr", "frau", "m", "mme", "sr",
          "sra", "sig", "dhr", "mevr", "mayor", "judge", "minister", "detective", "sergeant",
          "constable", "coach", "captain", "doctor", "aunt", "granny", "grandpa"}
NAME_LABELS = {"full_name", "first_name", "last_name"}


@pytest.fixture(scope="module")
def train():
    return pii_prose.make_documents(1500, 11, "train", SHARED_DIR)


@pytest.fixture(scope="module")
def test():
    return pii_prose.make_documents(400, 12, "test", SHARED_DIR)


def test_deterministic():
    for split in ("train", "test"):
        a = pii_prose.make_documents(60, 3, split, SHARED_DIR)
        b = pii_prose.make_documents(60, 3, split, SHARED_DIR)
        assert a == b
        assert a != pii_prose.make_documents(60, 4, split, SHARED_DIR)


def test_same_in_every_process():
    """Python's hash seed differs per process and orders sets (Faker keeps some locales' names in
    sets): the training data of a documented command must not depend on it."""
    code = ("import hashlib, json, sys; sys.path.insert(0, sys.argv[1]);"
            "from spanguard_train import pii_prose, mod_length, mod_contrast;"
            "d = [pii_prose.make_documents(1500, 5, 'train', sys.argv[2]),"
            " mod_length.make_records('test', 5, 200, shared=sys.argv[2]),"
            " mod_contrast.make_records('test', 5)];"
            "print(hashlib.sha256(json.dumps(d).encode()).hexdigest())")
    digests = set()
    for hash_seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        out = subprocess.run([sys.executable, "-c", code, os.path.join(SOURCE_DIR, "python"),
                              SHARED_DIR], env=env, capture_output=True, text=True, check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_records_and_spans(train, test):
    for doc in train + test:
        text = doc["text"]
        assert set(doc) == {"text", "entities", "shape", "family", "locale"}
        assert doc["shape"] == "prose:" + doc["family"].split("/")[0]
        assert 8 <= len(text.split()) <= 120
        words = split_words(apply_end_of_text_rule(text))
        starts = {w.start: i for i, w in enumerate(words)}
        ends = {w.end: i for i, w in enumerate(words)}
        labels_at = collections.defaultdict(set)
        for s, e, label in doc["entities"]:
            span = text[s:e]
            assert label in pii_synth.PII_LABELS, label
            assert span == span.strip() and "\n" not in span, (text, span)
            assert s in starts and e in ends, (text, span, label)
            assert ends[e] - starts[s] + 1 <= 8, (text, span, label)
            assert span[-1].isalnum(), (text, span, label)
            assert span[0].isalnum() or (label == "phone_number" and span[0] in "+("), span
            labels_at[(s, e)].add(label)
        for (s, e), labels in labels_at.items():
            span = text[s:e]
            if labels & NAME_LABELS:
                assert "person" in labels, (text, span, labels)
            if "person" in labels:
                assert len(labels & NAME_LABELS) == 1, (text, span, labels)
                first = re.split(r"[\s.]", span, maxsplit=1)[0].lower()
                assert first not in TITLES, (text, span)
                assert not re.search(r"['’]s$", span), (text, span)
            if "date_of_birth" in labels:
                assert "sensitive_date" in labels


def test_splits_are_disjoint(train, test):
    train_fams = {d["family"] for d in train}
    test_fams = {d["family"] for d in test}
    assert train_fams and test_fams and not train_fams & test_fams
    for fam in test_fams:
        index = int(fam.split("/")[1].lstrip("n"))
        assert index % pii_synth.HOLDOUT_EVERY == pii_synth.HOLDOUT_EVERY - 1, fam
    assert not {d["text"] for d in train} & {d["text"] for d in test}

    def names(docs):
        return {d["text"][s:e].lower() for d in docs for s, e, label in d["entities"]
                if label in NAME_LABELS}
    assert not names(train) & names(test)


def test_training_text_has_no_held_out_cue(train):
    assert holdout.check_texts([d["text"] for d in train]) == []


def test_coverage(train, test):
    styles = {d["shape"] for d in train}
    assert styles == {"prose:" + s for s in pii_prose.STYLES}
    assert {d["shape"] for d in test} == styles
    labels = collections.Counter(l for d in train for _, _, l in d["entities"])
    for label in ("person", "full_name", "first_name", "last_name", "address", "street_address",
                  "city", "state_or_region", "postal_code", "country", "phone_number", "email",
                  "date_of_birth"):
        assert labels[label] > 0, label
    for docs in (train, test):
        plain = sum(not d["entities"] for d in docs) / len(docs)
        assert 0.08 < plain < 0.25, plain
    if os.path.exists(os.path.join(SHARED_DIR, "datasets", "ner_wnut17", "train.jsonl")):
        assert any(d["locale"] == "ner" for d in train)
    assert not any(d["locale"] == "ner" for d in test)


def _multi_line_address(doc):
    """A street_address span whose next line starts with another address part."""
    parts = {s: label for s, e, label in doc["entities"]
             if label in ("city", "postal_code", "state_or_region")}
    text = doc["text"]
    for s, e, label in doc["entities"]:
        if label == "street_address" and text[e:e + 1] == "\n" and (e + 1) in parts:
            return True
    return False


def test_multi_line_addresses_and_phone_formats(train, test):
    for docs in (train, test):
        assert sum(_multi_line_address(d) for d in docs) >= 5
        shapes = {re.sub(r"\d", "9", d["text"][s:e]) for d in docs
                  for s, e, label in d["entities"] if label == "phone_number"}
        assert len(shapes) >= 10, shapes
    prefixes = {d["text"][s:e].split()[0] for d in train for s, e, label in d["entities"]
                if label == "phone_number" and d["text"][s] == "+"}
    assert len(prefixes & {"+1", "+44", "+49", "+33", "+91", "+61", "+55", "+81"}) >= 6
