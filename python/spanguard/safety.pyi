from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

Operators = Dict[str, Dict[str, Any]]
Labels = Union[str, Sequence[str]]

class SafetyMixin:
    def redact(self, text: str, labels: Optional[Labels] = None, *, preset: Optional[str] = None,
               operators: Optional[Operators] = None, threshold: float = 0.5,
               validate: str = "off", include_original: bool = False,
               recognizers: Union[str, Sequence[str]] = ("model", "patterns"),
               entity_types: Optional[Labels] = None,
               custom_recognizers: Optional[Any] = None,
               default_region: Union[str, Sequence[str]] = "US", chunk_size: int = 128,
               chunk_overlap: int = 32, format: str = "spanguard") -> Dict[str, Any]: ...
    def batch_redact(self, texts: Sequence[str], labels: Optional[Labels] = None, *,
                     preset: Optional[str] = None, operators: Optional[Operators] = None,
                     threshold: float = 0.5, validate: str = "off",
                     include_original: bool = False,
                     batch_size: int = 8,
                     recognizers: Union[str, Sequence[str]] = ("model", "patterns"),
                     entity_types: Optional[Labels] = None,
                     custom_recognizers: Optional[Any] = None,
                     default_region: Union[str, Sequence[str]] = "US", chunk_size: int = 128,
                     chunk_overlap: int = 32,
                     format: str = "spanguard",
                     progress: bool = False) -> List[Dict[str, Any]]: ...
    def moderate(self, prompt: Optional[str] = None, response: Optional[str] = None, *,
                 policy: Optional[Dict[str, Any]] = None) -> Dict[str, Any]: ...
    def batch_moderate(self, inputs: Iterable[Union[str, Dict[str, Optional[str]]]], *,
                       policy: Optional[Dict[str, Any]] = None,
                       batch_size: int = 8, progress: bool = False) -> List[Dict[str, Any]]: ...

def to_presidio(result: Dict[str, Any]) -> Dict[str, Any]: ...
def deanonymize(text: str, items: Sequence[Dict[str, Any]], key: Union[bytes, str]) -> str: ...
def redact_spans(text: str, spans: Sequence[Dict[str, Any]], *,
                 operators: Optional[Operators] = None, validate: str = "off",
                 include_original: bool = False) -> Dict[str, Any]: ...
def pii_preset(name: str) -> List[str]: ...
def pii_preset_names() -> List[str]: ...
def gliguard_policy(threshold: float = 0.5) -> Dict[str, Any]: ...
