import os
from typing import List, Optional, Union

from ._spanguard import LoadError as LoadError
from ._spanguard import Schema as Schema
from ._spanguard import num_threads as num_threads
from ._spanguard import set_num_threads as set_num_threads
from .model import CHUNK_OVERLAP as CHUNK_OVERLAP
from .model import CHUNK_SIZE as CHUNK_SIZE
from .model import GLiNER2 as GLiNER2
from .gliner_v1 import GLiNER as GLiNER
from .rendering import EntityHTML as EntityHTML
from .rendering import EntityResult as EntityResult
from .rendering import display as display
from .safety import deanonymize as deanonymize
from .safety import gliguard_policy as gliguard_policy
from .safety import pii_preset as pii_preset
from .safety import pii_preset_names as pii_preset_names
from .safety import redact_spans as redact_spans
from .safety import to_presidio as to_presidio
from .schema import SchemaBuilder as SchemaBuilder
from .schema import create_schema as create_schema

__version__: str
__all__: List[str]

def default_model_path() -> str: ...
def load(path: Optional[Union[str, os.PathLike]] = None, relative_positions: str = "hf",
         precision: str = "fp32") -> GLiNER2: ...
