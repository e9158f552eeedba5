"""The Python API takes texts the way notebooks hold them (list, tuple, pandas Series, numpy array
of str, generator), shows real signatures and docstrings, accepts gliner2's device arguments as
CPU no-ops, and draws a progress bar when asked."""

import inspect

import numpy
import pytest

from python_package_support import MARIA, TIM, random_model, spanguard_package


def test_any_sequence_of_texts():
    model = random_model()
    want = model.batch_extract_entities([TIM, MARIA], ["person"], threshold=0.3)
    assert model.batch_extract_entities((TIM, MARIA), ["person"], threshold=0.3) == want
    assert model.batch_extract_entities(numpy.array([TIM, MARIA]), ["person"], threshold=0.3) == want
    assert model.batch_extract_entities((t for t in (TIM, MARIA)), ["person"], threshold=0.3) == want
    pandas = pytest.importorskip("pandas")
    assert model.batch_extract_entities(pandas.Series([TIM, MARIA]), ["person"],
                                        threshold=0.3) == want
    assert model.batch_redact(iter([TIM, MARIA]), preset="common") == \
        model.batch_redact([TIM, MARIA], preset="common")
    assert model.batch_moderate(numpy.array(["hi", "there"])) == model.batch_moderate(["hi", "there"])
    with pytest.raises(ValueError, match="texts must be a sequence of strings, got str"):
        model.batch_extract_entities(TIM, ["person"])
    with pytest.raises(ValueError, match=r"texts\[1\] must be a string, got int"):
        model.batch_extract_entities([TIM, 3], ["person"])


def test_progress_bar_on_stderr(capsys):
    model = random_model()
    texts = [TIM, MARIA] * 40
    quiet = model.batch_extract_entities(texts, ["person"])
    assert capsys.readouterr().err == ""
    assert model.batch_extract_entities(texts, ["person"], progress=True) == quiet
    err = capsys.readouterr().err
    assert "80/80 texts" in err and err.endswith("\n")


def test_device_arguments_are_cpu_no_ops():
    sg = spanguard_package()
    model = random_model()
    assert model.to("cpu") is model and model.eval() is model and model.device == "cpu"
    with pytest.raises(ValueError, match="CPU only"):
        model.to("cuda")
    with pytest.raises(ValueError, match="CPU only"):
        sg.GLiNER2.from_pretrained(model.directory, device="cuda:0")
    assert sg.GLiNER2.from_pretrained(model.directory, map_location="cpu").directory == \
        model.directory


def test_every_public_callable_has_a_docstring_and_a_real_signature():
    sg = spanguard_package()
    missing = []
    for name in sg.__all__:
        value = getattr(sg, name)
        if callable(value) and not inspect.getdoc(value):
            missing.append(name)
    for name, member in inspect.getmembers(sg.GLiNER2):
        if name.startswith("_"):
            continue
        if callable(member) or isinstance(member, property):
            if not inspect.getdoc(member):
                missing.append(f"GLiNER2.{name}")
    assert missing == []
    parameters = inspect.signature(sg.GLiNER2.extract_entities).parameters
    assert list(parameters)[:4] == ["self", "text", "entity_types", "threshold"]
