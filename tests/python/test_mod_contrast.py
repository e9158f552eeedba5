"""The contrastive moderation prompts (python/spanguard_train/mod_contrast.py):

* the same seed gives the same records, and the texts themselves do not depend on the seed;
* train and test share no text (not even up to case and final punctuation) and no family;
* the test split holds at least 250 pairs;
* every record carries complete targets that agree with its verdict, and every text has a twin of
  the other verdict in the same family;
* both verdicts are present in both splits, and every alarming word the data is about appears in
  a harmless training text.
"""

import json
import os
import re
import sys

import pytest

SOURCE_DIR = os.environ.get("SPANGUARD_SOURCE_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(SOURCE_DIR, "python"))

from spanguard_train import mod_contrast  # noqa: E402

from conftest import SHARED_DIR, require_shared_file  # noqa: E402

# Each alarming word and the forms of it that count as a use.
ALARMING = {
    "kill": r"\bkill", "shoot": r"\bshoot", "execute": r"\bexecut", "attack": r"\battack",
    "steal": r"\bsteal", "bomb": r"\bbomb", "blow up": r"\bblow(ing)? up\b",
    "destroy": r"\bdestroy", "hack": r"\bhack", "crack": r"\bcrack", "poison": r"\bpoison",
    "weapon": r"\bweapon", "fire": r"\bfire\b", "murder": r"\bmurder",
    "assassinate": r"\bassassinat", "strangle": r"\bstrangl", "explode": r"\bexplod",
    "knife": r"\bknife", "gun": r"\bgun\b", "drug": r"\bdrug", "dead": r"\bdead\b",
    "die": r"\bdie\b", "terminate": r"\bterminat", "abort": r"\babort", "nuke": r"\bnuke",
    "bleed": r"\bbleed", "hunt": r"\bhunt", "trap": r"\btrap", "choke": r"\bchok",
    "smash": r"\bsmash", "burn": r"\bburn", "target": r"\btarget", "exploit": r"\bexploit",
    "inject": r"\binject",
}


@pytest.fixture(scope="module")
def train():
    return mod_contrast.make_records("train", 0)


@pytest.fixture(scope="module")
def test():
    return mod_contrast.make_records("test", 0)


def unsafe(r):
    return r["targets"]["prompt_safety"]["unsafe"] == 1


def norm(text):
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


def test_deterministic():
    for split in mod_contrast.SPLITS:
        assert mod_contrast.make_records(split, 5) == mod_contrast.make_records(split, 5)
        assert mod_contrast.make_records(split, 5, 40) == mod_contrast.make_records(split, 5, 40)
        # Another seed reorders and resamples, but draws on the same texts.
        a = {r["text"] for r in mod_contrast.make_records(split, 1)}
        assert a == {r["text"] for r in mod_contrast.make_records(split, 2)}
    assert mod_contrast.make_records("test", 1) != mod_contrast.make_records("test", 2)


def test_sample_keeps_twins(test):
    sample = mod_contrast.make_records("test", 3, 100)
    assert len(sample) == 100
    assert len(mod_contrast.pairs(sample)) == 50
    assert len(mod_contrast.make_records("test", 3, 10 ** 6)) == len(test)
    with pytest.raises(ValueError):
        mod_contrast.make_records("validation", 0)


def test_splits_disjoint(train, test):
    assert not {r["text"] for r in train} & {r["text"] for r in test}
    assert not {norm(r["text"]) for r in train} & {norm(r["text"]) for r in test}
    assert not {r["family"] for r in train} & {r["family"] for r in test}
    assert not {r["pair"] for r in train} & {r["pair"] for r in test}
    for split in (train, test):
        assert len({r["text"] for r in split}) == len(split)


def test_sizes(train, test):
    assert len(mod_contrast.pairs(test)) >= 250
    assert len(train) >= 3000
    assert len(mod_contrast.pairs(train)) * 2 == len(train)
    assert len(mod_contrast.pairs(test)) * 2 == len(test)


def test_targets(train, test):
    tox, jail = mod_contrast.TOXICITY_LABELS, mod_contrast.JAILBREAK_LABELS
    harms = set(mod_contrast.TOXICITY) - {"benign"}
    for r in train + test:
        assert set(r) == {"kind", "text", "source", "family", "pair", "targets"}
        assert r["kind"] == "mod" and r["source"] == "contrast"
        assert 4 <= len(r["text"].split()) <= 60
        t = r["targets"]
        assert set(t) == {"prompt_safety", "prompt_toxicity", "jailbreak_detection"}
        assert list(t["prompt_toxicity"]) == tox and list(t["jailbreak_detection"]) == jail
        assert all(v in (0, 1) for task in t.values() for v in task.values())
        assert t["prompt_safety"]["safe"] + t["prompt_safety"]["unsafe"] == 1
        pos_tox = {l for l, v in t["prompt_toxicity"].items() if v}
        pos_jb = {l for l, v in t["jailbreak_detection"].items() if v}
        if unsafe(r):
            assert pos_tox and pos_tox <= harms, r
            assert pos_jb in ({"benign"}, {"roleplay_bypass"}, {"hypothetical_bypass"},
                              {"roleplay_bypass", "hypothetical_bypass"}), r
        else:
            assert pos_tox == {"benign"} and pos_jb == {"benign"}, r


def test_twins(train, test):
    for split in (train, test):
        twins = mod_contrast.pairs(split)
        assert {id(r) for p in twins for r in p} == {id(r) for r in split}
        for harm, safe in twins:
            assert unsafe(harm) and not unsafe(safe)
            assert harm["family"] == safe["family"] and harm["text"] != safe["text"]


def test_both_classes_and_categories(train, test):
    for split in (train, test):
        assert any(unsafe(r) for r in split) and any(not unsafe(r) for r in split)
    used = {l for r in train + test if unsafe(r)
            for l, v in r["targets"]["prompt_toxicity"].items() if v}
    assert used == set(mod_contrast.TOXICITY) - {"benign"}


def test_alarming_words_in_harmless_train(train):
    harmless = [r["text"] for r in train if not unsafe(r)]
    for word, pattern in ALARMING.items():
        assert any(re.search(pattern, t, re.IGNORECASE) for t in harmless), word


def test_labels_match_gliguard():
    path = require_shared_file(os.path.join(SHARED_DIR, "reference", "gliguard_labels.json"))
    with open(path, encoding="utf-8") as f:
        g = json.load(f)
    assert g["TOXICITY_LABELS"] == mod_contrast.TOXICITY_LABELS
    assert g["JAILBREAK_LABELS"] == mod_contrast.JAILBREAK_LABELS
    mod_contrast.check_labels(SHARED_DIR)
