import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from ._spanguard import Model, Schema
from .safety import SafetyMixin
from .schema import SchemaBuilder, SchemaLike

CHUNK_SIZE: int
CHUNK_OVERLAP: int

Result = Dict[str, Any]
EntityTypes = Union[str, Sequence[str], Dict[str, Any]]
SchemaArg = Union[SchemaLike, List[SchemaLike]]

class GLiNER2(SafetyMixin):
    def __init__(self, model: Model) -> None: ...
    @classmethod
    def from_pretrained(cls, path: Union[str, os.PathLike],
                        relative_positions: str = "hf",
                        precision: str = "fp32", *, device: Any = None,
                        map_location: Any = None) -> GLiNER2: ...
    @staticmethod
    def create_schema() -> SchemaBuilder: ...
    def to(self, device: Any) -> GLiNER2: ...
    def eval(self) -> GLiNER2: ...
    @property
    def device(self) -> str: ...
    @property
    def directory(self) -> str: ...

    def extract(self, text: str, schema: SchemaLike, threshold: float = 0.5, *,
                include_confidence: bool = False, include_spans: bool = False,
                max_len: Optional[int] = None, format_results: bool = True) -> Result: ...
    def batch_extract(self, texts: Iterable[str], schema: SchemaArg, batch_size: int = 8,
                      threshold: float = 0.5, *, include_confidence: bool = False,
                      include_spans: bool = False, max_len: Optional[int] = None,
                      format_results: bool = True, progress: bool = False) -> List[Result]: ...
    def extract_entities(self, text: str, entity_types: EntityTypes, threshold: float = 0.5, *,
                         include_confidence: bool = False, include_spans: bool = False,
                         max_len: Optional[int] = None, format_results: bool = True) -> Result: ...
    def batch_extract_entities(self, texts: Sequence[str], entity_types: EntityTypes,
                               batch_size: int = 8, threshold: float = 0.5, *,
                               include_confidence: bool = False, include_spans: bool = False,
                               max_len: Optional[int] = None,
                               format_results: bool = True) -> List[Result]: ...
    def classify_text(self, text: str, tasks: Dict[str, Any], threshold: float = 0.5, *,
                      include_confidence: bool = False, include_spans: bool = False,
                      max_len: Optional[int] = None, format_results: bool = True) -> Result: ...
    def batch_classify_text(self, texts: Sequence[str], tasks: Dict[str, Any],
                            batch_size: int = 8, threshold: float = 0.5, *,
                            include_confidence: bool = False, include_spans: bool = False,
                            max_len: Optional[int] = None,
                            format_results: bool = True) -> List[Result]: ...
    def extract_relations(self, text: str, relation_types: EntityTypes, threshold: float = 0.5,
                          *, include_confidence: bool = False, include_spans: bool = False,
                          max_len: Optional[int] = None,
                          format_results: bool = True) -> Result: ...
    def batch_extract_relations(self, texts: Sequence[str], relation_types: EntityTypes,
                                batch_size: int = 8, threshold: float = 0.5, *,
                                include_confidence: bool = False, include_spans: bool = False,
                                max_len: Optional[int] = None,
                                format_results: bool = True) -> List[Result]: ...
    def extract_json(self, text: str, structures: Dict[str, Sequence[Any]],
                     threshold: float = 0.5, *, include_confidence: bool = False,
                     include_spans: bool = False, max_len: Optional[int] = None,
                     format_results: bool = True) -> Result: ...
    def batch_extract_json(self, texts: Sequence[str], structures: Dict[str, Sequence[Any]],
                           batch_size: int = 8, threshold: float = 0.5, *,
                           include_confidence: bool = False, include_spans: bool = False,
                           max_len: Optional[int] = None,
                           format_results: bool = True) -> List[Result]: ...
    def classification_probabilities(self, texts: Sequence[str],
                                     tasks: Union[Dict[str, Any], Schema],
                                     batch_size: int = 8) -> List[Dict[str, Dict[str, float]]]: ...

    def extract_long(self, text: str, schema: SchemaLike, chunk_size: int = 384,
                     chunk_overlap: int = 64, batch_size: int = 8, threshold: float = 0.5,
                     include_confidence: bool = False, include_spans: bool = False) -> Result: ...
    def batch_extract_long(self, texts: Sequence[str], schema: SchemaArg, chunk_size: int = 384,
                           chunk_overlap: int = 64, batch_size: int = 8, threshold: float = 0.5,
                           include_confidence: bool = False,
                           include_spans: bool = False) -> List[Result]: ...
    def extract_entities_long(self, text: str, entity_types: EntityTypes, *,
                              chunk_size: int = 384, chunk_overlap: int = 64,
                              batch_size: int = 8, threshold: float = 0.5,
                              include_confidence: bool = False,
                              include_spans: bool = False) -> Result: ...
    def extract_relations_long(self, text: str, relation_types: EntityTypes, *,
                               chunk_size: int = 384, chunk_overlap: int = 64,
                               batch_size: int = 8, threshold: float = 0.5,
                               include_confidence: bool = False,
                               include_spans: bool = False) -> Result: ...
    def extract_json_long(self, text: str, structures: Dict[str, Sequence[Any]], *,
                          chunk_size: int = 384, chunk_overlap: int = 64, batch_size: int = 8,
                          threshold: float = 0.5, include_confidence: bool = False,
                          include_spans: bool = False) -> Result: ...
    def classify_text_long(self, text: str, tasks: Dict[str, Any], *, chunk_size: int = 384,
                           chunk_overlap: int = 64, batch_size: int = 8, threshold: float = 0.5,
                           include_confidence: bool = False,
                           include_spans: bool = False) -> Result: ...
