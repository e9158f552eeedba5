"""Redaction and moderation bindings: results agree with the extraction calls they are built on,
encryption round-trips through deanonymize, and errors are ValueErrors naming the value."""

import json
import os

import pytest

from python_package_support import MARIA, SHARED_DIR, TEXTS, TIM, random_model, spanguard_package

KEY = bytes(range(32))


CANONICAL = {"person": "PERSON", "email": "EMAIL_ADDRESS", "location": "LOCATION"}


def test_redacted_items_are_detected_spans_and_rewrite_the_text():
    spanguard_package()
    model = random_model()
    labels = ["person", "email", "location"]
    # The model alone, in extract_entities_long's windows, so its spans are the reference.
    model_only = dict(recognizers="model", chunk_size=384, chunk_overlap=64)
    for text in (TIM, MARIA):
        r = model.redact(text, labels, threshold=0.2, include_original=True, **model_only)
        found = model.extract_entities_long(text, labels, threshold=0.2,
                                            include_confidence=True, include_spans=True)
        detected = [(CANONICAL[label], s["start"], min(s["end"], len(text)), s["confidence"])
                    for label, spans in found["entities"].items() for s in spans]
        assert r["items"], "the random model found nothing at threshold 0.2"
        pieces, pos = [], 0
        for item in r["items"]:
            assert list(item) == ["entity_type", "label", "recognizer", "start", "end",
                                  "redacted_start", "redacted_end", "score", "operator", "text"]
            assert item["recognizer"] == "model"
            assert CANONICAL[item["label"]] == item["entity_type"]
            # An item is one detected span, or neighbours of its type joined (redaction.h rule
            # 1): it starts where one starts, ends where one ends, and scores their best.
            inside = [d for d in detected if d[0] == item["entity_type"]
                      and item["start"] <= d[1] and d[2] <= item["end"]]
            assert any(d[1] == item["start"] for d in inside)
            assert any(d[2] == item["end"] for d in inside)
            assert abs(max(d[3] for d in inside) - item["score"]) < 1e-6
            assert item["text"] == text[item["start"]:item["end"]]
            replacement = "<" + item["entity_type"] + ">"
            assert r["text"][item["redacted_start"]:item["redacted_end"]] == replacement
            pieces += [text[pos:item["start"]], replacement]
            pos = item["end"]
        assert r["text"] == "".join(pieces) + text[pos:]
    assert model.batch_redact([TIM, MARIA], labels, threshold=0.2, batch_size=1) == \
        [model.redact(t, labels, threshold=0.2) for t in (TIM, MARIA)]


def test_encrypt_round_trip_and_other_operators():
    sg = spanguard_package()
    model = random_model()
    encrypted = 0
    for text in TEXTS:
        r = model.redact(text, preset="common", operators={"default": {"type": "encrypt",
                                                                       "key": KEY}},
                         threshold=0.1)
        assert sg.deanonymize(r["text"], r["items"], KEY) == text
        for item in r["items"]:
            assert item["operator"] == "encrypt"
            assert r["text"][item["redacted_start"]:item["redacted_end"]].startswith("ENC(")
            encrypted += 1
        if r["items"]:
            with pytest.raises(ValueError):
                sg.deanonymize(r["text"], r["items"], bytes(32))
    assert encrypted > 0
    masked = model.redact(MARIA, ["person"], threshold=0.1, include_original=True,
                          operators={"person": {"type": "mask", "masking_char": "#",
                                                "chars_to_mask": 3, "from_end": True}})
    for item in masked["items"]:
        original = item["text"]
        want = original[:-3] + "###" if len(original) > 3 else "#" * len(original)
        assert masked["text"][item["redacted_start"]:item["redacted_end"]] == want
    spans = [{"entity_type": "phone", "start": 5, "end": 13, "score": 0.9},
             {"entity_type": "name", "start": 14, "end": 17, "score": 0.8}]
    text = "Call 555-0100 Bob now"
    assert sg.redact_spans(text, spans)["text"] == "Call <PHONE> <NAME> now"
    masked = sg.redact_spans(text, spans, operators={"phone": {"type": "mask",
                                                               "chars_to_mask": 4,
                                                               "from_end": True}})
    assert masked["text"] == "Call 555-**** <NAME> now"
    secret = sg.redact_spans(text, spans, operators={"default": {"type": "encrypt",
                                                                 "key": "0123456789abcdef"}})
    assert sg.deanonymize(secret["text"], secret["items"], "0123456789abcdef") == text


def test_presets_and_redaction_errors():
    sg = spanguard_package()
    model = random_model()
    path = os.path.join(SHARED_DIR, "reference", "gliner2_pii_42_labels.json")
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            assert sg.pii_preset("pii") == json.load(f)["labels"]
    assert set(sg.pii_preset_names()) >= {"pii", "common"}
    with pytest.raises(ValueError, match="common"):
        sg.pii_preset("nope")
    with pytest.raises(ValueError, match="labels"):
        model.redact(TIM)
    with pytest.raises(ValueError, match=r"operators\.email"):
        model.redact(TIM, ["email"], operators={"email": {"type": "shred"}})
    with pytest.raises(ValueError, match="validate"):
        model.redact(TIM, ["email"], validate="strict")
    with pytest.raises(ValueError, match=r"spans\[0\]"):
        sg.redact_spans("abc", [{"entity_type": "x", "start": 2, "end": 9}])


def side_schema(sg, side):
    tasks = [{k: v for k, v in t.items() if k not in ("safe_labels", "unsafe_labels")}
             for t in side["tasks"]]
    return sg.Schema.from_dict({"classifications": tasks})


def test_moderation_scores_are_the_classifier_probabilities():
    sg = spanguard_package()
    model = random_model()
    policy = sg.gliguard_policy()
    assert list(policy) == ["prompt", "response"]
    assert [t["task"] for t in policy["prompt"]["tasks"]] == \
        ["prompt_safety", "prompt_toxicity", "jailbreak_detection"]
    assert policy["response"]["veto"] == {"task": "response_refusal", "label": "refusal"}
    prompt, response = "how do I build a bomb?", "I can't help with that."
    r = model.moderate(prompt, response)
    assert r["verdict"] in ("safe", "unsafe") and list(r)[1:] == ["prompt", "response"]
    assert r == model.moderate(prompt=prompt, response=response, policy=policy)
    probs = model.classification_probabilities([prompt], side_schema(sg, policy["prompt"]))[0]
    for task, verdict in r["prompt"]["tasks"].items():
        assert list(verdict["scores"]) == list(probs[task])
        for label, p in probs[task].items():
            assert verdict["scores"][label] == pytest.approx(p, abs=1e-7)
    # The single-label task's probabilities are what extract decides on (same schema).
    best = model.extract(prompt, side_schema(sg, policy["prompt"]),
                         include_confidence=True)["prompt_safety"]
    assert best["confidence"] == pytest.approx(max(probs["prompt_safety"].values()), abs=1e-7)
    assert "response" not in model.moderate(prompt)
    inputs = [{"prompt": prompt}, {"prompt": prompt, "response": response}, {"response": "ok"}]
    assert model.batch_moderate(inputs, batch_size=2) == \
        [model.moderate(**i) for i in inputs]
    assert model.batch_moderate([prompt]) == [model.moderate(prompt)]


def test_custom_policy_and_moderation_errors():
    sg = spanguard_package()
    model = random_model()
    policy = {"prompt": {"tasks": [{"task": "topic", "labels": ["weather", "weapons"],
                                    "unsafe_labels": ["weapons"]}]}}
    r = model.moderate("how do I build a bomb?", policy=policy)
    assert list(r["prompt"]["tasks"]) == ["topic"]
    returned = r["prompt"]["tasks"]["topic"]["labels"]
    assert r["prompt"]["unsafe"] == ("weapons" in returned)
    with pytest.raises(ValueError, match="prompt"):
        model.moderate()
    with pytest.raises(ValueError, match=r"policy\.prompt\.tasks\[0\]\.unsafe_labels\[0\]"):
        model.moderate("x", policy={"prompt": {"tasks": [{"task": "t", "labels": ["a", "b"],
                                                          "unsafe_labels": ["c"]}]}})
    with pytest.raises(ValueError, match=r"inputs\[0\]\.promt"):
        model.batch_moderate([{"promt": "x"}])
    with pytest.raises(ValueError, match="threshold"):
        sg.gliguard_policy(2)


def test_pattern_recognizers_and_presidio_shape_from_python():
    sg = spanguard_package()
    model = random_model()
    text = "Mail jo@example.org, call +44 20 7946 0958 or 020 7946 0958, EMP-004211."
    r = model.redact(text, preset="common", recognizers="patterns", include_original=True)
    assert [(i["entity_type"], i["recognizer"], i["text"]) for i in r["items"]] == [
        ("EMAIL_ADDRESS", "EmailRecognizer", "jo@example.org"),
        ("PHONE_NUMBER", "PhoneRecognizer", "+44 20 7946 0958")]
    # A national British number needs its region.
    gb = model.redact(text, preset="common", recognizers=["patterns"], default_region="US,GB")
    assert [i["entity_type"] for i in gb["items"]] == ["EMAIL_ADDRESS", "PHONE_NUMBER",
                                                        "PHONE_NUMBER"]
    custom = {"recognizers": [{"name": "EmployeeId", "entity_type": "EMPLOYEE_ID",
                               "patterns": [{"regex": "EMP-[0-9]{6}", "score": 0.9}]}]}
    own = model.redact(text, recognizers="patterns", custom_recognizers=custom)
    assert own["text"] == text.replace("EMP-004211", "<EMPLOYEE_ID>")
    presidio = model.redact(text, preset="common", recognizers="patterns", format="presidio")
    assert presidio == sg.to_presidio(model.redact(text, preset="common", recognizers="patterns"))
    found = presidio["analyzer_results"][0]
    assert (found["entity_type"], text[found["start"]:found["end"]]) == \
        ("EMAIL_ADDRESS", "jo@example.org")
    assert found["recognition_metadata"]["recognizer_name"] == "EmailRecognizer"
    assert presidio["anonymizer_result"]["items"][0]["text"] == "<EMAIL_ADDRESS>"
    assert model.batch_redact([text, "x"], preset="common", recognizers="patterns") == \
        [model.redact(t, preset="common", recognizers="patterns") for t in (text, "x")]
    with pytest.raises(ValueError, match="invalid regular expression"):
        model.redact(text, recognizers="patterns",
                     custom_recognizers=[{"name": "B", "entity_type": "X",
                                          "patterns": [{"regex": "(x"}]}])
    with pytest.raises(ValueError, match="recognizers"):
        model.redact(text, preset="common", recognizers="regex")
    with pytest.raises(ValueError, match="chunk_overlap"):
        model.redact(text, preset="common", chunk_size=16, chunk_overlap=16)
