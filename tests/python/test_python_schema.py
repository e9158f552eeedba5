"""The create_schema() builder against the Schema.from_dict form, and the error mapping: request
errors are ValueError naming the value, load errors spanguard.LoadError (an OSError)."""

import os

import pytest

from python_package_support import TIM, random_model, spanguard_package


def test_builder_equals_dict_form():
    sg = spanguard_package()
    built = (sg.create_schema()
             .entities({"person": "a human", "city": {"threshold": 0.3}}, dtype="str",
                       threshold=0.6)
             .entities(["company"])
             .classification("sentiment", ["positive", "negative"])
             .classification("aspects", {"price": "cost", "speed": "how fast"}, multi_label=True,
                             cls_threshold=0.4, examples=[["too slow", "speed"]],
                             prompt="what is discussed", class_act="sigmoid")
             .relations({"works_for": None, "located_in": {"threshold": 0.4}})
             .structure("order").field("id", dtype="str", description="the order number")
             .field("status", choices=["open", "closed"], threshold=0.2)
             .field("sku", validators=[{"pattern": "[A-Z]-\\d+", "mode": "partial"}])
             .build())
    as_dict = {
        "entities": {"person": {"description": "a human", "dtype": "str", "threshold": 0.6},
                     "city": {"threshold": 0.3, "dtype": "str"}, "company": None},
        "classifications": [
            {"task": "sentiment", "labels": ["positive", "negative"]},
            {"task": "aspects", "labels": {"price": "cost", "speed": "how fast"},
             "multi_label": True, "cls_threshold": 0.4, "examples": [["too slow", "speed"]],
             "prompt": "what is discussed", "class_act": "sigmoid"}],
        "relations": {"works_for": None, "located_in": {"threshold": 0.4}},
        "structures": {"order": {"fields": [
            {"name": "id", "dtype": "str", "description": "the order number"},
            {"name": "status", "choices": ["open", "closed"], "threshold": 0.2},
            {"name": "sku", "validators": [{"pattern": "[A-Z]-\\d+", "mode": "partial"}]}]}},
    }
    from_dict = sg.Schema.from_dict(as_dict)
    assert built == from_dict
    assert built.to_dict() == from_dict.to_dict()
    assert sg.Schema.from_dict(built.to_dict()) == built  # to_dict round-trips
    assert built != sg.Schema.from_dict({"entities": ["person"]})
    model = random_model()
    kw = {"include_confidence": True, "include_spans": True}
    assert model.extract(TIM, built, **kw) == model.extract(TIM, as_dict, **kw)


def test_entry_point_shapes_equal_from_dict_sections():
    sg = spanguard_package()
    assert sg.Schema.from_entity_types(["a", "b"]) == sg.Schema.from_dict({"entities": ["a", "b"]})
    assert sg.Schema.from_classification_tasks({"t": ["x", "y"]}) == \
        sg.Schema.from_dict({"classifications": [{"task": "t", "labels": ["x", "y"]}]})
    assert sg.Schema.from_structures({"s": ["f::str"]}) == \
        sg.Schema.from_dict({"structures": {"s": {"fields": [{"name": "f", "dtype": "str"}]}}})


@pytest.mark.parametrize("call,message", [
    (lambda b: b.entities({"person": {"threshold": 1.5}}), "entities.person.threshold"),
    (lambda b: b.entities(["person", ""]), "entities[1]"),
    (lambda b: b.entities(["person"]).entities("person"), "duplicate entity type 'person'"),
    (lambda b: b.entities(["person"], threshold=2), "entities.threshold"),
    (lambda b: b.entities(["person"], dtype="set"), "entities.dtype"),
    (lambda b: b.classification("t", ["a"], mutli_label=True), "unknown key"),
    (lambda b: b.classification("t", ["a", "b"], cls_threshold=-1), "classification.t"),
    (lambda b: b.relations([1]), "relations[0]"),
    (lambda b: b.structure("s").field("f").field("f"), "structures.s[1]: duplicate field"),
    (lambda b: b.structure("s").field("f", dtype="int"), "structures.s[0].dtype"),
    (lambda b: b.build(), "schema"),
    (lambda b: b.structure("s").build(), "structures.s: structure has no fields"),
])
def test_builder_errors_name_the_value(call, message):
    sg = spanguard_package()
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        call(sg.create_schema())


def test_request_errors_are_value_errors_with_paths():
    sg = spanguard_package()
    model = random_model()
    cases = [
        (lambda: model.extract_entities(TIM, {"person": {"treshold": 0.2}}),
         r"entities\.person\.treshold: unknown key"),
        (lambda: model.classify_text(TIM, {"t": {"labels": ["a", 3]}}), r"tasks\.t\.labels\[1\]"),
        (lambda: model.extract(TIM, {"entitys": ["a"]}), "entitys"),
        (lambda: model.extract(TIM, ["person"]), "schema must be a dict"),
        (lambda: model.extract_entities(TIM, {"a": {1: 2}}), "keys must be strings"),
        (lambda: model.extract_entities(TIM, ["person"], 1.5), "threshold"),
        (lambda: model.extract_entities(TIM, ["person"], max_len=0), "max_len"),
        (lambda: model.batch_extract_entities(TIM, ["person"]), "texts must be a sequence"),
        (lambda: model.batch_extract_entities([TIM, 3], ["person"]), r"texts\[1\]"),
        (lambda: model.batch_extract_entities([TIM], ["person"], batch_size=0), "batch_size"),
        (lambda: model.batch_extract([TIM], [{"entities": ["a"]}] * 2), "2 schemas for 1 texts"),
        (lambda: model.extract_entities("bad \udc80 text", ["person"]),
         "text: text cannot be encoded as UTF-8 \\(lone surrogate at code point 4\\)"),
        (lambda: model.extract_long(TIM, {"entities": ["a"]}, chunk_size=0), "chunk_size"),
        (lambda: model.extract_entities(TIM, ["person"], format_results=False), "format_results"),
        (lambda: sg.GLiNER2.from_pretrained("x", relative_positions="openai"),
         "relative_positions"),
    ]
    for call, message in cases:
        with pytest.raises(ValueError, match=message):
            call()
    with pytest.raises(TypeError):  # options after threshold are keyword-only, as in gliner2
        model.extract_entities(TIM, ["person"], 0.5, True)


def test_load_errors_are_load_errors(tmp_path):
    sg = spanguard_package()
    assert issubclass(sg.LoadError, OSError)
    with pytest.raises(sg.LoadError, match="config.json"):
        sg.load(str(tmp_path / "missing"))
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(OSError, match="config.json"):
        sg.GLiNER2.from_pretrained(tmp_path)
    model = random_model()
    assert os.path.isdir(model.directory)
