"""spanguard.GLiNER (GLiNER v1 checkpoints through the Python package) against independent
references, on the two parity checkpoints of shared/reference/parity_v1 (span_v1: markerV0,
token_v1: token_level):

* every upstream golden case (GLiNER 0.2.20's predict_entities / batch_predict_entities / run)
  replayed through the method of the same name: entities identical (start, end, text, label;
  score within 1e-5), warnings identical; where upstream raised IndexError, the PyTorch
  reference's answer (python/spanguard_reference/gliner_v1.py) instead;
* randomized requests (texts from the goldens' words, label subsets, thresholds, flat/nested,
  multi_label, the three methods, batch sizes 1-5 with mixed lengths) against that reference;
* texts longer than max_len words (a copy of span_v1 with max_len 64): windows and truncation;
* argument errors, redaction and display, and threads sharing one model with the GIL released.
"""

import json
import os
import random
import re
import shutil
import sys
import threading
import time
import warnings

import pytest
from conftest import require_shared_file

from python_package_support import SHARED_DIR, SOURCE_DIR, spanguard_package

pytestmark = pytest.mark.needs_shared

PARITY_V1 = os.path.join(SHARED_DIR, "reference", "parity_v1")
NAMES = ["span_v1", "token_v1"]
N_CASES = 23
SCORE_TOL = 1e-5
# (checkpoint, case) where upstream raised IndexError (parity_v1/README.md): the reference's
# answer is the expected one.
UPSTREAM_ERRORS = {("span_v1", 14), ("span_v1", 20), ("token_v1", 19), ("token_v1", 22)}
# GLiNER v1's word splitter (parity_v1/README.md), for word positions in the tests.
WORDS = re.compile(r"\w+(?:[-_]\w+)*|\S")

_cache = {}


def folder(name):
    return require_shared_file(os.path.join(PARITY_V1, name))


def golden(name):
    key = ("golden", name)
    if key not in _cache:
        path = require_shared_file(os.path.join(PARITY_V1, name + ".golden.json"))
        with open(path, encoding="utf-8") as f:
            _cache[key] = json.load(f)
    return _cache[key]


def model(name):
    """The engine's model; Microsoft's relative positions, as the goldens were made with (they
    differ from Hugging Face's only past 512 sub-tokens: golden case 16)."""
    key = ("model", name)
    if key not in _cache:
        _cache[key] = spanguard_package().GLiNER.from_pretrained(
            folder(name), relative_positions="microsoft")
    return _cache[key]


def reference():
    """python/spanguard_reference.gliner_v1 (PyTorch); skips without torch. The source tree's
    python/ goes at the end of sys.path so that the build's spanguard package stays first."""
    pytest.importorskip("torch")
    pytest.importorskip("sentencepiece")
    spanguard_package()
    path = os.path.join(SOURCE_DIR, "python")
    if path not in sys.path:
        sys.path.append(path)
    import torch
    torch.set_num_threads(1)
    from spanguard_reference import gliner_v1
    return gliner_v1


def reference_model(name):
    key = ("reference", name)
    if key not in _cache:
        _cache[key] = reference().load_v1(folder(name), relative_positions="microsoft")
    return _cache[key]


def keys(entities):
    return [(e["start"], e["end"], e["text"], e["label"]) for e in entities]


def assert_same(got, want, where):
    assert len(got) == len(want), f"{where}: {len(got)} texts vs {len(want)}"
    for i, (g, w) in enumerate(zip(got, want)):
        assert keys(g) == keys(w), f"{where}, text {i}:\n  got  {keys(g)}\n  want {keys(w)}"
        for a, b in zip(g, w):
            assert list(a) == ["start", "end", "text", "label", "score"]
            assert isinstance(a["score"], float)
            assert abs(a["score"] - b["score"]) <= SCORE_TOL, f"{where}, text {i}: {a} vs {b}"


def per_text(api, result):
    return [result] if api == "predict_entities" else result


def call(target, api, args, kwargs):
    """(result, warnings as "Type: message") of target.api(*args, **kwargs)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = getattr(target, api)(*args, **kwargs)
    return result, [f"{w.category.__name__}: {w.message}" for w in caught]


# ---------------------------------------------------------------------------------------------
# Upstream goldens


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("index", range(N_CASES))
def test_golden_case(name, index):
    g = golden(name)
    assert len(g["cases"]) == N_CASES
    case = g["cases"][index]
    m = model(name)
    assert m.span_mode == g["span_mode"]
    kwargs = dict(case["kwargs"])
    if any("truncated" in w for w in case["warnings"]):
        # Upstream reads the first max_len words only; spanguard's default reads them all.
        kwargs["long_text"] = "truncate"
    got, caught = call(m, case["api"], case["args"], kwargs)
    assert caught == case["warnings"]
    where = f"{name} case {index} ({case['api']})"
    if (name, index) in UPSTREAM_ERRORS:
        assert case["error"].startswith("IndexError")
        want = getattr(reference(), case["api"])(reference_model(name), *case["args"],
                                                 **case["kwargs"])
        assert_same(per_text(case["api"], got), per_text(case["api"], want), where)
        return
    assert case["error"] is None
    assert_same(per_text(case["api"], got), per_text(case["api"], case["result"]), where)


def test_long_golden_text_is_read_past_max_len_by_default():
    """Golden case 16 (600 words) without long_text: no warning, entities past word 384, and in
    the first 384 words mostly what upstream's truncated pass finds (the second window gives
    the words near the cut other context, so a few differ there)."""
    case = golden("span_v1")["cases"][16]
    text, labels = case["args"]
    got, caught = call(model("span_v1"), "predict_entities", [text, labels], case["kwargs"])
    assert caught == []
    cut = [m.end() for m in WORDS.finditer(text)][383]
    assert any(e["start"] >= cut for e in got)
    assert all(text[e["start"]:e["end"]] == e["text"] for e in got)
    before = [k for k in keys(got) if k[1] <= cut]
    truncated = keys(case["result"])
    assert len(set(before) & set(truncated)) >= 0.8 * len(truncated)


# ---------------------------------------------------------------------------------------------
# Randomized requests against the PyTorch reference


def golden_pools(name):
    words, labels = set(), set()
    for case in golden(name)["cases"]:
        texts = [case["args"][0]] if case["api"] == "predict_entities" else case["args"][0]
        for t in texts:
            words.update(t.split())
        labels.update(case["args"][1])
    return sorted(words), sorted(labels)


def random_requests(name, seed):
    rng = random.Random(seed)
    words, label_pool = golden_pools(name)
    texts = [" ".join(rng.choice(words) for _ in range(rng.choice([0, 1, 3, 8, 15, 25, 40])))
             for _ in range(40)]
    requests = []
    i = 0
    while i < len(texts):
        api = rng.choice(["predict_entities", "batch_predict_entities", "run"])
        n = 1 if api == "predict_entities" else rng.randint(1, 5)
        batch = texts[i:i + n]
        i += n
        labels = rng.sample(label_pool, rng.randint(1, 5))
        if api == "run" and rng.random() < 0.3:
            labels.append(labels[0])  # run() keeps repeats
        kwargs = {"threshold": round(rng.uniform(0.2, 0.8), 3), "flat_ner": rng.random() < 0.6,
                  "multi_label": rng.random() < 0.4}
        if api == "run":
            kwargs["batch_size"] = rng.randint(1, 5)
        args = [batch[0] if api == "predict_entities" else batch, labels]
        requests.append((api, args, kwargs))
    return requests


@pytest.mark.parametrize("name", NAMES)
def test_random_requests_match_the_reference(name):
    ref = reference()
    ref_model = reference_model(name)
    m = model(name)
    near_threshold = 0
    for n, (api, args, kwargs) in enumerate(random_requests(name, seed=11 + NAMES.index(name))):
        extra = {"batch_size": (n % 5) + 1} if api == "batch_predict_entities" else {}
        got = per_text(api, getattr(m, api)(*args, **kwargs, **extra))
        want = per_text(api, getattr(ref, api)(ref_model, *args, **kwargs))
        try:
            assert_same(got, want, f"{name} request {n} ({api} {kwargs})")
        except AssertionError:
            # Only a decision within 1e-5 of the threshold may differ: then the engine's answer
            # is the reference's for a threshold that close.
            shifted = []
            for delta in (-SCORE_TOL, SCORE_TOL):
                moved = dict(kwargs, threshold=kwargs["threshold"] + delta)
                shifted.append(per_text(api, getattr(ref, api)(ref_model, *args, **moved)))
            assert any([keys(x) for x in s] == [keys(x) for x in got] for s in shifted), \
                f"{name} request {n}: {api} {args} {kwargs}\n  got  {got}\n  want {want}"
            near_threshold += 1
    assert near_threshold <= 2


# ---------------------------------------------------------------------------------------------
# Texts longer than max_len words


@pytest.fixture(scope="module")
def short_model_folder(tmp_path_factory):
    """span_v1 with gliner_config.json's max_len lowered to 64 words."""
    out = tmp_path_factory.mktemp("span_v1_max_len_64")
    source = folder("span_v1")
    for name in os.listdir(source):
        # Contents only: the shared files are read-only, the copies must not be.
        shutil.copyfile(os.path.join(source, name), out / name)
    with open(out / "gliner_config.json", encoding="utf-8") as f:
        config = json.load(f)
    config["max_len"] = 64
    with open(out / "gliner_config.json", "w", encoding="utf-8") as f:
        json.dump(config, f)
    return str(out)


def long_text(words=900):
    sentences = []
    for case in golden("span_v1")["cases"][:12]:
        if case["api"] == "predict_entities" and case["args"][0].strip():
            sentences.append(case["args"][0])
    text, count, i = "", 0, 0
    while count < words:
        text += sentences[i % len(sentences)] + "\n"
        count = len(WORDS.findall(text))
        i += 1
    return text


def test_windows_read_the_whole_text(short_model_folder):
    sg = spanguard_package()
    m = sg.GLiNER.from_pretrained(short_model_folder)
    assert m.max_len == 64
    text = long_text()
    words = list(WORDS.finditer(text))
    assert len(words) >= 900
    labels = ["person", "organization", "location", "email"]
    found, caught = call(m, "predict_entities", [text, labels], {})
    assert caught == []
    starts = {w.start() for w in words}
    ends = {w.end() for w in words}
    for e in found:
        assert 0 <= e["start"] < e["end"] <= len(text)
        assert text[e["start"]:e["end"]] == e["text"]
        assert e["start"] in starts and e["end"] in ends and e["label"] in labels
    # Flat: no two entities share a character, and they come in text order.
    for a, b in zip(found, found[1:]):
        assert a["end"] <= b["start"]
    assert any(e["start"] >= words[64].start() for e in found)
    assert any(e["start"] >= words[800].start() for e in found)
    # Every window contributes: entities all along the text.
    assert len({e["start"] * 10 // len(text) for e in found}) >= 8

    # A text within max_len gives the same in both modes; nested decoding works over windows.
    short = " ".join(w.group() for w in words[:60])
    assert m.predict_entities(short, labels) == m.predict_entities(short, labels,
                                                                   long_text="truncate")
    nested = m.predict_entities(text, labels, flat_ner=False, threshold=0.3)
    for a in nested:
        for b in nested:
            crossing = a["start"] < b["start"] < a["end"] < b["end"]
            assert not crossing, (a, b)
    assert len(nested) >= len(found)

    # The overlap (default here: a quarter of max_len) is a keyword; it must stay below max_len.
    assert m.predict_entities(text, labels, window_overlap=16) == found
    assert m.predict_entities(text, labels, window_overlap=0)
    with pytest.raises(ValueError, match="window_overlap"):
        m.predict_entities(text, labels, window_overlap=64)


def test_truncate_reads_max_len_words_with_upstreams_warning(short_model_folder):
    sg = spanguard_package()
    m = sg.GLiNER.from_pretrained(short_model_folder)
    text = long_text()
    words = list(WORDS.finditer(text))
    labels = ["person", "organization", "location", "email"]
    with pytest.warns(UserWarning, match=f"^Sentence of length {len(words)} has been truncated "
                                         "to 64$"):
        found = m.predict_entities(text, labels, long_text="truncate")
    assert found and all(e["end"] <= words[63].end() for e in found)
    # batch_predict_entities warns once per long text.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        batch = m.batch_predict_entities([text, "Tim Cook", text], labels, long_text="truncate")
    assert [str(w.message) for w in caught] == [str(caught[0].message)] * 2
    assert batch[0] == batch[2] == found
    try:
        ref = reference()
    except pytest.skip.Exception:
        return
    with warnings.catch_warnings(record=True) as ref_caught:
        warnings.simplefilter("always")
        want = ref.predict_entities(ref.load_v1(short_model_folder), text, labels)
    assert [str(w.message) for w in ref_caught] == [str(caught[0].message)]
    assert_same([found], [want], "truncated")


# ---------------------------------------------------------------------------------------------
# API surface


def test_argument_errors_are_clear():
    sg = spanguard_package()
    m = model("span_v1")
    text = "Tim Cook is the CEO of Apple."
    with pytest.raises(ValueError, match="labels: give at least one entity type"):
        m.predict_entities(text, [])
    with pytest.raises(ValueError, match="labels must be a sequence of strings, got str"):
        m.predict_entities(text, "person")
    with pytest.raises(ValueError, match=r"labels\[1\] must be a string, got int"):
        m.batch_predict_entities([text], ["person", 3])
    with pytest.raises(ValueError, match="labels.*must not be empty"):
        m.run([text], ["person", ""])
    with pytest.raises(ValueError, match="text must be a string, got bytes"):
        m.predict_entities(text.encode(), ["person"])
    with pytest.raises(ValueError, match="texts must be a sequence of strings, got str"):
        m.batch_predict_entities(text, ["person"])
    with pytest.raises(ValueError, match=r"texts\[1\] must be a string, got NoneType"):
        m.run([text, None], ["person"])
    with pytest.raises(ValueError, match="threshold must be a number within"):
        m.predict_entities(text, ["person"], threshold=1.5)
    with pytest.raises(ValueError, match="flat_ner must be True or False"):
        m.predict_entities(text, ["person"], flat_ner="yes")
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        m.run([text], ["person"], batch_size=0)
    with pytest.raises(ValueError, match='long_text must be "windows" or "truncate"'):
        m.predict_entities(text, ["person"], long_text="chunks")
    with pytest.raises(ValueError, match="code point"):
        m.predict_entities("bad \ud800 surrogate", ["person"])
    with pytest.raises(ValueError, match="use GLiNER.from_pretrained"):
        sg.GLiNER(object())
    # Loading: missing folders, GLiNER2 folders, bad options.
    with pytest.raises(sg.LoadError, match="no such checkpoint folder"):
        sg.GLiNER.from_pretrained(os.path.join(PARITY_V1, "absent"))
    with pytest.raises(OSError, match="not a GLiNER v1 checkpoint.*GLiNER2.from_pretrained"):
        sg.GLiNER.from_pretrained(sg._spanguard.source_tree_model_dir())
    with pytest.raises(ValueError, match="precision"):
        sg.GLiNER.from_pretrained(folder("span_v1"), precision="fp16")
    with pytest.raises(ValueError, match="device='cpu'"):
        sg.GLiNER.from_pretrained(folder("span_v1"), map_location="cuda")
    with pytest.raises(TypeError):
        sg.GLiNER.from_pretrained(folder("span_v1"), force_download=True)
    # Empty inputs.
    assert m.batch_predict_entities([], ["person"]) == []
    assert m.predict_entities("", ["person"], threshold=0.0) == []


def test_label_repeats_are_dropped_except_by_run():
    m = model("span_v1")
    text = golden("span_v1")["cases"][0]["args"][0]
    once = m.predict_entities(text, ["person", "location"], threshold=0.3, multi_label=True)
    twice = m.predict_entities(text, ["person", "location", "person"], threshold=0.3,
                               multi_label=True)
    assert once == twice
    # run() prompts with every label given: a repeat changes the encoder input, so the result.
    repeated = m.run([text], ["location", "location"], threshold=0.3, multi_label=True)
    assert repeated != m.run([text], ["location"], threshold=0.3, multi_label=True)
    try:
        ref = reference()
    except pytest.skip.Exception:
        return
    want = ref.run(reference_model("span_v1"), [text], ["location", "location"], threshold=0.3,
                   multi_label=True)
    assert_same(repeated, want, "run with a repeated label")


def test_properties_and_compatibility_shims():
    m = model("token_v1")
    assert (m.span_mode, m.max_len, m.device) == ("token_level", 384, "cpu")
    assert m.directory == folder("token_v1")
    assert m.to("cpu") is m and m.eval() is m
    assert "token_level" in repr(m)
    int8 = spanguard_package().GLiNER.from_pretrained(folder("span_v1"), "int8")
    text = golden("span_v1")["cases"][0]["args"][0]
    # int8 scores differ slightly from fp32's; the call works and keeps the result's shape.
    found = int8.predict_entities(text, ["person", "location"], threshold=0.3)
    assert found and all(list(e) == ["start", "end", "text", "label", "score"] for e in found)


def test_redact_and_display():
    sg = spanguard_package()
    m = model("span_v1")
    text = golden("span_v1")["cases"][0]["args"][0]
    labels = ["person", "organization", "location", "email"]
    found = m.predict_entities(text, labels)
    assert found
    r = m.redact(text, labels)
    # Rebuild the expected text from the entities: each becomes <ENTITY_TYPE>.
    expected, pos = "", 0
    for e in found:
        expected += text[pos:e["start"]] + "<" + e["label"].upper() + ">"
        pos = e["end"]
    assert r["text"] == expected + text[pos:]
    assert [(i["start"], i["end"], i["label"]) for i in r["items"]] == \
        [(e["start"], e["end"], e["label"]) for e in found]
    masked = m.redact(text, labels, operators={"default": {"type": "mask", "masking_char": "#",
                                                           "chars_to_mask": 100}})
    assert len(masked["text"]) == len(text) and "#" in masked["text"]
    assert m.batch_redact([text, "nothing"], labels) == [r, m.redact("nothing", labels)]
    html = m.display(text, labels)
    assert isinstance(html, sg.EntityHTML)
    assert html.html.count("<mark") == len(found)
    assert sg.display(text, found).html == html.html


def test_threads_share_one_model_and_the_gil_is_released():
    m = model("span_v1")
    g = golden("span_v1")
    requests = [(c["args"][0], c["args"][1], c["kwargs"]) for c in g["cases"]
                if c["api"] == "predict_entities" and not c["warnings"]]
    sequential = [m.predict_entities(t, labels, **kw) for t, labels, kw in requests]
    results = [[None] * len(requests) for _ in range(2)]
    errors = []
    barrier = threading.Barrier(2)

    def worker(k):
        try:
            barrier.wait()
            order = range(len(requests)) if k == 0 else reversed(range(len(requests)))
            for i in order:
                t, labels, kw = requests[i]
                results[k][i] = m.predict_entities(t, labels, **kw)
        except Exception as e:  # reported below, on the main thread
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results[0] == sequential and results[1] == sequential

    # A long call leaves the interpreter to other threads: a counter keeps ticking meanwhile.
    texts = [long_text(300)] * 2
    labels = ["person", "organization", "location", "email"]
    while True:
        start = time.perf_counter()
        m.batch_predict_entities(texts, labels)
        alone = time.perf_counter() - start
        if alone >= 0.2 or len(texts) >= 256:
            break
        texts = texts * 2
    ticks = []
    done = threading.Event()

    def counter():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    thread = threading.Thread(target=counter)
    thread.start()
    try:
        start = time.perf_counter()
        m.batch_predict_entities(texts, labels)
        end = time.perf_counter()
    finally:
        done.set()
        thread.join()
    during = [t for t in ticks if start < t < end]
    # With the GIL held the counter could not run during the call (a tick at the edges at most).
    assert end - start > 0.1, f"batch too short to tell ({end - start:.3f} s, alone {alone:.3f})"
    assert len(during) >= 10, f"{len(during)} ticks in {end - start:.3f} s"
