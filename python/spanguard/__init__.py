"""spanguard: GLiNER2 models (entities, classification, relations, JSON structures, PII redaction,
safety moderation) on a C++ CPU engine, with the reference gliner2 package's API.

    import spanguard
    model = spanguard.GLiNER2.from_pretrained("/path/to/checkpoint")   # or spanguard.load(path)
    model.extract_entities("Tim Cook is the CEO of Apple.", ["person", "company"])
    # {"entities": {"person": ["Tim Cook"], "company": ["Apple"]}}

Existing gliner2 code ports by changing `from gliner2 import GLiNER2` to
`from spanguard import GLiNER2`. A model is immutable and thread-safe; the engine releases the GIL.
"""

from ._spanguard import LoadError, Schema, num_threads, set_num_threads
from .rendering import EntityHTML, EntityResult, display
from .model import CHUNK_OVERLAP, CHUNK_SIZE, GLiNER2
from .safety import (deanonymize, gliguard_policy, pii_preset, pii_preset_names,
                     redact_spans, to_presidio)
from .schema import SchemaBuilder, create_schema

__version__ = "0.1.0"

__all__ = [
    "CHUNK_OVERLAP", "CHUNK_SIZE", "EntityHTML", "EntityResult", "GLiNER2", "LoadError", "Schema",
    "SchemaBuilder", "create_schema", "deanonymize", "display", "gliguard_policy", "load",
    "num_threads", "pii_preset", "pii_preset_names", "redact_spans", "set_num_threads",
    "to_presidio",
]


def load(path, relative_positions="hf", precision="fp32"):
    """Same as GLiNER2.from_pretrained(path, relative_positions, precision)."""
    return GLiNER2.from_pretrained(path, relative_positions, precision)
