"""spanguard: GLiNER2 models (entities, classification, relations, JSON structures, PII redaction,
safety moderation) and GLiNER v1 models (entities) on a C++ CPU engine, with the reference gliner2
and gliner packages' APIs.

    import spanguard
    model = spanguard.GLiNER2.from_pretrained("/path/to/checkpoint")   # or spanguard.load(path)
    model.extract_entities("Tim Cook is the CEO of Apple.", ["person", "company"])
    # {"entities": {"person": ["Tim Cook"], "company": ["Apple"]}}
    v1 = spanguard.GLiNER.from_pretrained("urchade/gliner_multi_pii-v1")
    v1.predict_entities("Tim Cook is the CEO of Apple.", ["person", "company"])
    # [{"start": 0, "end": 8, "text": "Tim Cook", "label": "person", "score": 0.9...}, ...]

Existing code ports by changing `from gliner2 import GLiNER2` to `from spanguard import GLiNER2`,
or `from gliner import GLiNER` to `from spanguard import GLiNER`. A model is immutable and
thread-safe; the engine releases the GIL.
"""

import os

from . import _spanguard
from ._spanguard import LoadError, Schema, num_threads, set_num_threads
from .rendering import EntityHTML, EntityResult, display
from .model import CHUNK_OVERLAP, CHUNK_SIZE, GLiNER2
from .gliner_v1 import GLiNER
from .safety import (deanonymize, gliguard_policy, pii_preset, pii_preset_names,
                     redact_spans, to_presidio)
from .schema import SchemaBuilder, create_schema

__version__ = "0.1.0"

__all__ = [
    "CHUNK_OVERLAP", "CHUNK_SIZE", "EntityHTML", "EntityResult", "GLiNER", "GLiNER2", "LoadError",
    "Schema", "SchemaBuilder", "create_schema", "deanonymize", "display", "gliguard_policy", "load",
    "num_threads", "pii_preset", "pii_preset_names", "redact_spans", "set_num_threads",
    "to_presidio", "default_model_path",
]


def default_model_path():
    """The model spanguard.load() opens without a path: $SPANGUARD_MODEL when set, else the shipped
    spanguard-small-v1 (the copy a pip install carries, or the source tree's for a build folder)."""
    env = os.environ.get("SPANGUARD_MODEL")
    if env:
        return env
    packaged = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models",
                            "spanguard-small-v1")
    if os.path.isfile(os.path.join(packaged, "config.json")):
        return packaged
    built = _spanguard.source_tree_model_dir()
    if os.path.isfile(os.path.join(built, "config.json")):
        return built
    raise LoadError("no default model: set SPANGUARD_MODEL or pass a checkpoint folder "
                    f"(looked in {packaged} and {built})")


def load(path=None, relative_positions="hf", precision="fp32"):
    """Same as GLiNER2.from_pretrained(path, relative_positions, precision); without a path, the
    default model (default_model_path())."""
    return GLiNER2.from_pretrained(default_model_path() if path is None else path,
                                   relative_positions, precision)
