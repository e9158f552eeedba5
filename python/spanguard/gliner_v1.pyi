import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

from ._spanguard import GlinerV1Model
from .rendering import EntityHTML

Entity = Dict[str, Any]  # {"start": int, "end": int, "text": str, "label": str, "score": float}

class GLiNER:
    def __init__(self, model: GlinerV1Model) -> None: ...
    @classmethod
    def from_pretrained(cls, pretrained_model_name_or_path: Union[str, os.PathLike],
                        precision: str = "fp32",
                        cache_dir: Optional[Union[str, os.PathLike]] = None, *,
                        revision: Optional[str] = None, token: Optional[str] = None,
                        local_files_only: bool = False, relative_positions: str = "hf",
                        map_location: Any = None, device: Any = None,
                        load_tokenizer: Optional[bool] = None) -> GLiNER: ...
    def to(self, device: Any) -> GLiNER: ...
    def eval(self) -> GLiNER: ...
    @property
    def device(self) -> str: ...
    @property
    def directory(self) -> str: ...
    @property
    def max_len(self) -> int: ...
    @property
    def max_width(self) -> int: ...
    @property
    def span_mode(self) -> str: ...

    def predict_entities(self, text: str, labels: Sequence[str], flat_ner: bool = True,
                         threshold: float = 0.5, multi_label: bool = False, *,
                         long_text: str = "windows",
                         window_overlap: Optional[int] = None) -> List[Entity]: ...
    def batch_predict_entities(self, texts: Iterable[str], labels: Sequence[str],
                               flat_ner: bool = True, threshold: float = 0.5,
                               multi_label: bool = False, *, batch_size: int = 8,
                               long_text: str = "windows",
                               window_overlap: Optional[int] = None) -> List[List[Entity]]: ...
    def run(self, texts: Iterable[str], labels: Sequence[str], flat_ner: bool = True,
            threshold: float = 0.5, multi_label: bool = False, batch_size: int = 8, *,
            long_text: str = "windows",
            window_overlap: Optional[int] = None) -> List[List[Entity]]: ...
    def redact(self, text: str, labels: Sequence[str], threshold: float = 0.5, *,
               flat_ner: bool = True, multi_label: bool = False,
               operators: Optional[Dict[str, Any]] = None, include_original: bool = False,
               long_text: str = "windows",
               window_overlap: Optional[int] = None) -> Dict[str, Any]: ...
    def batch_redact(self, texts: Iterable[str], labels: Sequence[str], threshold: float = 0.5, *,
                     flat_ner: bool = True, multi_label: bool = False,
                     operators: Optional[Dict[str, Any]] = None, include_original: bool = False,
                     batch_size: int = 8, long_text: str = "windows",
                     window_overlap: Optional[int] = None) -> List[Dict[str, Any]]: ...
    def display(self, text: str, labels: Sequence[str], threshold: float = 0.5, *,
                flat_ner: bool = True, multi_label: bool = False,
                colors: Optional[Dict[str, str]] = None, long_text: str = "windows",
                window_overlap: Optional[int] = None) -> EntityHTML: ...
