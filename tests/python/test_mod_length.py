"""The length-balanced moderation records (python/spanguard_train/mod_length.py):

* the same arguments give the same records, another seed other records;
* no text, and no source key (Gutenberg part, Python module, Debian source package, WordNet
  block, template or instruction family), is in both the training and the test split;
* split="test" with n=500 has at least 60 benign texts in each length bucket, and in the training
  split the share of injected records is about the same in every bucket (length is no signal);
* the targets use the GLiGuard label lists: benign records supervise every label, injected ones
  are unsafe with prompt_injection = 1 and the family's other jailbreak labels;
* each injected document contains its family's instruction and no benign text contains one;
* every text has 5..max_words words, valid UTF-8 and no control characters but newline and tab.
"""

import os
import re
import sys

import pytest

from conftest import SHARED_DIR, SOURCE_DIR, require_shared_file

sys.path.insert(0, os.path.join(SOURCE_DIR, "python"))

from spanguard_train import mod_length  # noqa: E402
from spanguard_train.sources import guard_tasks  # noqa: E402

BUCKETS = [b[0] for b in mod_length.LENGTH_BUCKETS]


@pytest.fixture(scope="module")
def shared():
    for name in ("gut_part03.txt.xz", "gut_part04.txt.xz", "wordnet30_glosses.tsv.xz"):
        require_shared_file(os.path.join(SHARED_DIR, "datasets", "pretrain_text", name))
    require_shared_file(os.path.join(SHARED_DIR, "reference", "gliguard_labels.json"))
    return SHARED_DIR


@pytest.fixture(scope="module")
def training(shared):
    return mod_length.make_records("train", 11, 3000, shared=shared)


@pytest.fixture(scope="module")
def held_out(shared):
    return mod_length.make_records("test", 11, 500, shared=shared)


def words(rec):
    return len(rec["text"].split())


def injected(rec):
    return rec["source"] == "length:injected"


def family_keys(recs):
    return {key for r in recs for key in r["family"].split("|")}


def test_deterministic(shared, held_out):
    assert mod_length.make_records("test", 11, 500, shared=shared) == held_out
    a = mod_length.make_records("train", 5, 60, shared=shared)
    assert mod_length.make_records("train", 5, 60, shared=shared) == a
    assert mod_length.make_records("train", 6, 60, shared=shared) != a


def test_splits_share_no_text_and_no_source(training, held_out):
    assert not {r["text"] for r in training} & {r["text"] for r in held_out}
    assert not family_keys(training) & family_keys(held_out)
    books = {k.split(":")[1] for k in family_keys(training) if k.startswith("gutenberg:")}
    assert books == {"gut_part03"}
    books = {k.split(":")[1] for k in family_keys(held_out) if k.startswith("gutenberg:")}
    assert books == {"gut_part04"}
    # Every kind of source key is present on both sides, so the check above means something.
    for prefix in ("gutenberg", "wordnet", "python", "include", "changelog", "readme", "log",
                   "email", "ticket", "meeting", "sec", "inj"):
        assert any(k.startswith(prefix + ":") for k in family_keys(training)), prefix
        assert any(k.startswith(prefix + ":") for k in family_keys(held_out)), prefix
    held = {fam for i, (fam, _, _) in enumerate(mod_length.INJECTION_FAMILIES)
            if i % mod_length.HOLDOUT_EVERY == mod_length.HOLDOUT_EVERY - 1}
    assert {k[4:] for k in family_keys(held_out) if k.startswith("inj:")} <= held
    assert not {k[4:] for k in family_keys(training) if k.startswith("inj:")} & held


def test_length_buckets(training, held_out):
    assert [mod_length.length_bucket("w " * n) for n in (5, 31, 32, 63, 64, 127, 128, 255, 256,
                                                          1000)] == \
        ["<32", "<32", "32-64", "32-64", "64-128", "64-128", "128-256", "128-256", "256+",
         "256+"]
    benign = [mod_length.length_bucket(r["text"]) for r in held_out if not injected(r)]
    assert all(benign.count(b) >= 60 for b in BUCKETS), {b: benign.count(b) for b in BUCKETS}
    # Training split: the injected share is about the overall 20 % in every bucket.
    for b in BUCKETS:
        recs = [r for r in training if mod_length.length_bucket(r["text"]) == b]
        share = sum(map(injected, recs)) / len(recs)
        assert len(recs) >= 200 and 0.12 <= share <= 0.28, (b, len(recs), share)


def test_targets(shared, training, held_out):
    tasks = guard_tasks(shared)
    tox = tasks["prompt_toxicity"]["labels"]
    jb = tasks["jailbreak_detection"]["labels"]
    assert len(tox) == 15 and len(jb) == 12
    flags = {fam: f for fam, f, _ in mod_length.INJECTION_FAMILIES}
    n_injected = 0
    for r in training + held_out:
        assert set(r) == {"kind", "text", "source", "family", "targets"} and r["kind"] == "mod"
        assert r["source"].startswith("length:") and r["source"][7:] in mod_length.SOURCES
        t = r["targets"]
        if not injected(r):
            assert t == {"prompt_safety": {"safe": 1, "unsafe": 0},
                         "prompt_toxicity": {l: int(l == "benign") for l in tox},
                         "jailbreak_detection": {l: int(l == "benign") for l in jb}}
            continue
        n_injected += 1
        assert t["prompt_safety"] == {"safe": 0, "unsafe": 1}
        assert t["prompt_toxicity"] == {"benign": 0}
        j = t["jailbreak_detection"]
        assert set(j) <= set(jb)
        assert j["prompt_injection"] == 1 and j["benign"] == 0 and j["jailbreak_attempt"] == 0
        fam = r["family"].split("|")[0][4:]
        for label in ("instruction_override", "system_prompt_exfiltration", "data_exfiltration"):
            assert j[label] == int(label in flags[fam]), (fam, label)
    assert n_injected == round(0.2 * 3000) + round(0.2 * 500)


def test_injected_documents_contain_their_instruction(training, held_out):
    for r in training + held_out:
        found = mod_length.find_instruction(r["text"])
        if injected(r):
            assert found == r["family"].split("|")[0][4:], r
        else:
            assert found is None, r


def test_lengths_and_characters(shared, training, held_out):
    capped = mod_length.make_records("train", 3, 300, max_words=64, shared=shared) + \
        mod_length.make_records("test", 3, 300, max_words=64, shared=shared)
    for recs, top in ((training + held_out, 1000), (capped, 64)):
        for r in recs:
            assert 5 <= words(r) <= top, (words(r), r["text"][:200])
            r["text"].encode("utf-8")  # no lone surrogates
            assert not re.search("[\x00-\x08\x0b-\x1f\x7f]", r["text"]), r["text"][:200]
    assert max(map(words, training)) > 800 and min(map(words, training)) < 8
    assert {r["source"] for r in training} == {f"length:{g}" for g in mod_length.SOURCES}
