"""The request schema (what to extract) and its parsing from the reference API's request shapes
(GLINER2.md §2.4, §4.7b), plus the `create_schema()` builder.

Order matters everywhere: entity types, relations, classification tasks, labels and structure
fields keep their declaration order (prompt marker order and output key order). Structure fields
are linearised in declaration order — the reference's own order is hash-randomised (GLINER2.md
§2.6);
the parity goldens were generated with declaration order.

Errors are ValueError naming the offending value's path, e.g. "entities.person.threshold: ...".
"""

import dataclasses
from typing import List, Optional


@dataclasses.dataclass
class EntityType:
    name: str
    description: Optional[str] = None
    threshold: Optional[float] = None
    dtype: str = "list"


@dataclasses.dataclass
class ClassLabel:
    name: str
    description: Optional[str] = None


@dataclasses.dataclass
class ClassificationTask:
    task: str
    labels: List[ClassLabel]
    multi_label: bool = False
    cls_threshold: float = 0.5
    examples: list = dataclasses.field(default_factory=list)  # [(input, output)]
    prompt: Optional[str] = None
    class_act: str = "auto"


@dataclasses.dataclass
class RelationType:
    name: str
    description: Optional[str] = None  # accepted, never used in the prompt (GLINER2.md §2.4)
    threshold: Optional[float] = None


@dataclasses.dataclass
class Validator:
    pattern: str
    mode: str = "full"  # full: re.fullmatch; partial: re.search
    exclude: bool = False
    case_insensitive: bool = True


@dataclasses.dataclass
class StructureField:
    name: str
    dtype: str = "list"
    choices: List[str] = dataclasses.field(default_factory=list)
    description: Optional[str] = None
    threshold: Optional[float] = None
    validators: List[Validator] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Structure:
    name: str
    fields: List[StructureField] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Schema:
    structures: List[Structure] = dataclasses.field(default_factory=list)
    entities: List[EntityType] = dataclasses.field(default_factory=list)
    relations: List[RelationType] = dataclasses.field(default_factory=list)
    classifications: List[ClassificationTask] = dataclasses.field(default_factory=list)

    def empty(self):
        return not (self.structures or self.entities or self.relations or self.classifications)

    def merge(self, other):
        self.structures += other.structures
        self.entities += other.entities
        self.relations += other.relations
        self.classifications += other.classifications
        return self


# ---------------------------------------------------------------------------------------------
# Value checks


def _fail(path, message):
    raise ValueError(f"{path}: {message}")


def _type_name(v):
    return {dict: "an object", list: "a list", tuple: "a list", str: "a string",
            bool: "a boolean", type(None): "null"}.get(type(v), type(v).__name__)


def _name(v, path, what="name"):
    if not isinstance(v, str):
        _fail(path, f"{what} must be a string, got {_type_name(v)}")
    if not v.strip():
        _fail(path, f"{what} must not be empty")
    return v


def _threshold(v, path):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        _fail(path, f"threshold must be a number, got {_type_name(v)}")
    if not 0.0 <= v <= 1.0:
        _fail(path, f"threshold must be within [0, 1], got {v}")
    return float(v)


def _string(v, path, what):
    if not isinstance(v, str):
        _fail(path, f"{what} must be a string, got {_type_name(v)}")
    return v


def _bool(v, path, what):
    if not isinstance(v, bool):
        _fail(path, f"{what} must be true or false, got {_type_name(v)}")
    return v


def _dtype(v, path):
    if v not in ("list", "str"):
        _fail(path, f'dtype must be "list" or "str", got {v!r}')
    return v


def _known_keys(obj, path, allowed):
    for k in obj:
        if k not in allowed:
            _fail(f"{path}.{k}", f"unknown key (expected one of: {', '.join(allowed)})")


def _unique(names, path):
    seen = set()
    for i, n in enumerate(names):
        if n in seen:
            _fail(f"{path}[{i}]", f"duplicate name {n!r}")
        seen.add(n)


def _names_list(v, path, what):
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, (list, tuple)) or not v:
        _fail(path, f"{what} must be a non-empty list of names, got {_type_name(v)}")
    names = [_name(x, f"{path}[{i}]") for i, x in enumerate(v)]
    _unique(names, path)
    return names


# ---------------------------------------------------------------------------------------------
# Per-API request shapes


def parse_entity_types(v, path="entities"):
    if isinstance(v, dict):
        if not v:
            _fail(path, "must name at least one entity type")
        out = []
        for name, cfg in v.items():
            p = f"{path}.{name}"
            _name(name, p)
            if cfg is None:
                out.append(EntityType(name))
            elif isinstance(cfg, str):
                out.append(EntityType(name, description=cfg))
            elif isinstance(cfg, dict):
                _known_keys(cfg, p, ("description", "threshold", "dtype"))
                desc = cfg.get("description")
                out.append(EntityType(
                    name,
                    description=None if desc is None else _string(desc, p + ".description",
                                                                  "description"),
                    threshold=None if cfg.get("threshold") is None
                    else _threshold(cfg["threshold"], p + ".threshold"),
                    dtype=_dtype(cfg.get("dtype") or "list", p + ".dtype")))
            else:
                _fail(p, f"entity config must be a description string, an object or null, "
                         f"got {_type_name(cfg)}")
        return Schema(entities=out)
    return Schema(entities=[EntityType(n) for n in _names_list(v, path, "entity types")])


def _parse_labels(v, path):
    if isinstance(v, dict):
        if not v:
            _fail(path, "must contain at least one label")
        out = []
        for name, desc in v.items():
            _name(name, f"{path}.{name}", "label")
            out.append(ClassLabel(name, None if desc is None
                                  else _string(desc, f"{path}.{name}", "description")))
        return out
    return [ClassLabel(n) for n in _names_list(v, path, "labels")]


def _parse_examples(v, labels, path):
    if not isinstance(v, (list, tuple)):
        _fail(path, f"examples must be a list of [input, output] pairs, got {_type_name(v)}")
    out = []
    for i, ex in enumerate(v):
        if isinstance(ex, dict):
            _known_keys(ex, f"{path}[{i}]", ("input", "output"))
            ex = (ex.get("input"), ex.get("output"))
        if not isinstance(ex, (list, tuple)) or len(ex) != 2:
            _fail(f"{path}[{i}]", "example must be an [input, output] pair")
        out.append((_string(ex[0], f"{path}[{i}][0]", "example input"),
                    _string(ex[1], f"{path}[{i}][1]", "example output")))
    return out


_TASK_KEYS = ("labels", "multi_label", "cls_threshold", "examples", "prompt", "class_act")


def parse_classification_task(task, cfg, path):
    _name(task, path, "task name")
    if isinstance(cfg, dict) and "labels" in cfg:
        _known_keys(cfg, path, _TASK_KEYS)
        t = ClassificationTask(task, _parse_labels(cfg["labels"], path + ".labels"))
        if cfg.get("multi_label") is not None:
            t.multi_label = _bool(cfg["multi_label"], path + ".multi_label", "multi_label")
        if cfg.get("cls_threshold") is not None:
            t.cls_threshold = _threshold(cfg["cls_threshold"], path + ".cls_threshold")
        if cfg.get("examples") is not None:
            t.examples = _parse_examples(cfg["examples"], t.labels, path + ".examples")
        if cfg.get("prompt") is not None:
            t.prompt = _string(cfg["prompt"], path + ".prompt", "prompt") or None
        if cfg.get("class_act") is not None:
            t.class_act = cfg["class_act"]
            if t.class_act not in ("auto", "softmax", "sigmoid"):
                _fail(path + ".class_act", f"class_act must be auto, softmax or sigmoid, "
                                           f"got {t.class_act!r}")
        return t
    return ClassificationTask(task, _parse_labels(cfg, path))


def parse_classification_tasks(v, path="tasks"):
    if not isinstance(v, dict) or not v:
        _fail(path, f"must be a non-empty object of task -> labels, got {_type_name(v)}")
    return Schema(classifications=[parse_classification_task(k, c, f"{path}.{k}")
                                   for k, c in v.items()])


def parse_relation_types(v, path="relations"):
    if isinstance(v, dict):
        if not v:
            _fail(path, "must name at least one relation")
        out = []
        for name, cfg in v.items():
            p = f"{path}.{name}"
            _name(name, p)
            if cfg is None or isinstance(cfg, str):
                out.append(RelationType(name, description=cfg))
            elif isinstance(cfg, dict):
                _known_keys(cfg, p, ("description", "threshold"))
                out.append(RelationType(
                    name, description=cfg.get("description"),
                    threshold=None if cfg.get("threshold") is None
                    else _threshold(cfg["threshold"], p + ".threshold")))
            else:
                _fail(p, f"relation config must be a description string, an object or null, "
                         f"got {_type_name(cfg)}")
        return Schema(relations=out)
    return Schema(relations=[RelationType(n) for n in _names_list(v, path, "relation types")])


def parse_field_spec_string(spec, path):
    """"name::part::part": str|list set the dtype, [a|b] gives choices (dtype str unless a dtype
    part came before), anything else is the description (last wins, empty means none)."""
    parts = spec.split("::")
    field = StructureField(_name(parts[0], path, "field name"))
    dtype_given = False
    description = None
    for part in parts[1:]:
        if part in ("str", "list"):
            field.dtype = part
            dtype_given = True
        elif len(part) >= 2 and part[0] == "[" and part[-1] == "]":
            field.choices = [c.strip() for c in part[1:-1].split("|")]
            if not dtype_given:
                field.dtype = "str"
        else:
            description = part
    field.description = description or None
    _check_choices(field.choices, path)
    return field


def _check_choices(choices, path):
    seen = set()
    for i, c in enumerate(choices):
        if not c.strip():
            _fail(f"{path}.choices[{i}]", "choice must not be empty")
        if c in seen:
            _fail(f"{path}.choices[{i}]", f"duplicate choice {c!r}")
        seen.add(c)


def _parse_validator(v, path):
    if not isinstance(v, dict):
        _fail(path, f"validator must be an object, got {_type_name(v)}")
    _known_keys(v, path, ("pattern", "mode", "exclude", "case_insensitive"))
    if "pattern" not in v:
        _fail(path, "validator needs a 'pattern'")
    out = Validator(_string(v["pattern"], path + ".pattern", "pattern"))
    if v.get("mode") is not None:
        if v["mode"] not in ("full", "partial"):
            _fail(path + ".mode", f'mode must be "full" or "partial", got {v["mode"]!r}')
        out.mode = v["mode"]
    if "exclude" in v:
        out.exclude = _bool(v["exclude"], path + ".exclude", "exclude")
    if "case_insensitive" in v:
        out.case_insensitive = _bool(v["case_insensitive"], path + ".case_insensitive",
                                     "case_insensitive")
    return out


def parse_field_spec(spec, path):
    if isinstance(spec, str):
        return parse_field_spec_string(spec, path)
    if not isinstance(spec, dict):
        _fail(path, f"field spec must be a string or an object, got {_type_name(spec)}")
    _known_keys(spec, path, ("name", "dtype", "choices", "description", "threshold",
                             "validators", "cardinality", "exclusive"))
    if "name" not in spec:
        _fail(path, "field needs a 'name'")
    field = StructureField(_name(spec["name"], path + ".name", "field name"))
    if spec.get("dtype") is not None:
        field.dtype = _dtype(spec["dtype"], path + ".dtype")
    if spec.get("choices") is not None:
        if not isinstance(spec["choices"], (list, tuple)) or not spec["choices"]:
            _fail(path + ".choices", "choices must be a non-empty list of strings")
        field.choices = [_string(c, f"{path}.choices[{i}]", "choice")
                         for i, c in enumerate(spec["choices"])]
        _check_choices(field.choices, path)
    if spec.get("description") is not None:
        field.description = _string(spec["description"], path + ".description",
                                     "description") or None
    if spec.get("threshold") is not None:
        field.threshold = _threshold(spec["threshold"], path + ".threshold")
    if spec.get("validators") is not None:
        if not isinstance(spec["validators"], (list, tuple)):
            _fail(path + ".validators", "validators must be a list")
        field.validators = [_parse_validator(x, f"{path}.validators[{i}]")
                            for i, x in enumerate(spec["validators"])]
    return field


def parse_structures(v, path="structures"):
    if not isinstance(v, dict) or not v:
        _fail(path, f"must be a non-empty object of structure -> fields, got {_type_name(v)}")
    out = []
    for name, fields in v.items():
        p = f"{path}.{name}"
        _name(name, p, "structure name")
        if not isinstance(fields, (list, tuple)) or not fields:
            _fail(p, "must be a non-empty list of field specs")
        s = Structure(name, [parse_field_spec(f, f"{p}[{i}]") for i, f in enumerate(fields)])
        _unique([f.name for f in s.fields], p)
        out.append(s)
    return Schema(structures=out)


def parse_schema_dict(v, path=""):
    """Schema.from_dict shape. Classifications honour every classify_text task option."""
    def sub(key):
        return f"{path}.{key}" if path else key

    if not isinstance(v, dict):
        _fail(path or "schema", f"schema must be an object, got {_type_name(v)}")
    _known_keys(v, path or "schema", ("entities", "structures", "classifications", "relations"))
    schema = Schema()
    if v.get("structures") is not None:
        structures = v["structures"]
        if not isinstance(structures, dict):
            _fail(sub("structures"), "must be an object of name -> {fields: [...]}")
        flat = {}
        for name, s in structures.items():
            p = f"{sub('structures')}.{name}"
            if isinstance(s, dict):
                _known_keys(s, p, ("fields",))
                s = s.get("fields")
            flat[name] = s
        schema.merge(parse_structures(flat, sub("structures")))
    if v.get("entities") is not None:
        schema.merge(parse_entity_types(v["entities"], sub("entities")))
    if v.get("relations") is not None:
        schema.merge(parse_relation_types(v["relations"], sub("relations")))
    if v.get("classifications") is not None:
        cls = v["classifications"]
        if not isinstance(cls, (list, tuple)):
            _fail(sub("classifications"), "must be a list of {task, labels, ...}")
        for i, c in enumerate(cls):
            p = f"{sub('classifications')}[{i}]"
            if not isinstance(c, dict) or "task" not in c:
                _fail(p, "classification needs a 'task' and 'labels'")
            cfg = {k: x for k, x in c.items() if k != "task"}
            schema.classifications.append(parse_classification_task(c["task"], cfg, p))
    if schema.empty():
        _fail(path or "schema", "schema asks for nothing")
    return schema


# ---------------------------------------------------------------------------------------------
# create_schema() builder


class SchemaBuilder:
    """Chainable builder mirroring the reference's `create_schema()`:

        schema = (model.create_schema()
                  .entities(["person", "company"])
                  .classification("topic", ["business", "sports"])
                  .relations(["works_for"])
                  .structure("profile").field("name", dtype="str").field("employer"))
    """

    def __init__(self):
        self.schema = Schema()

    def entities(self, entity_types, dtype="list", threshold=None):
        s = parse_entity_types(entity_types)
        for e in s.entities:
            if e.threshold is None and threshold is not None:
                e.threshold = _threshold(threshold, f"entities.{e.name}.threshold")
            if dtype != "list" and e.dtype == "list":
                e.dtype = _dtype(dtype, f"entities.{e.name}.dtype")
        self.schema.merge(s)
        return self

    def classification(self, task, labels, multi_label=False, cls_threshold=0.5, **options):
        cfg = dict(options, labels=labels, multi_label=multi_label, cls_threshold=cls_threshold)
        self.schema.classifications.append(parse_classification_task(task, cfg,
                                                                     f"classification.{task}"))
        return self

    def relations(self, relation_types):
        self.schema.merge(parse_relation_types(relation_types))
        return self

    def structure(self, name):
        s = Structure(_name(name, "structure", "structure name"))
        self.schema.structures.append(s)
        return _StructureBuilder(self, s)

    def build(self):
        if self.schema.empty():
            _fail("schema", "schema asks for nothing")
        for s in self.schema.structures:
            if not s.fields:
                _fail(f"structures.{s.name}", "structure has no fields")
        return self.schema


class _StructureBuilder:
    def __init__(self, parent, structure):
        self._parent = parent
        self._structure = structure

    def field(self, name, dtype="list", choices=None, description=None, threshold=None,
              validators=None):
        spec = {"name": name, "dtype": dtype, "choices": choices, "description": description,
                "threshold": threshold, "validators": validators}
        path = f"structures.{self._structure.name}[{len(self._structure.fields)}]"
        self._structure.fields.append(parse_field_spec(spec, path))
        _unique([f.name for f in self._structure.fields], f"structures.{self._structure.name}")
        return self

    def __getattr__(self, attr):
        # Chaining continues on the schema: .field(...).entities(...), .build(), .schema
        return getattr(self._parent, attr)


def as_schema(v):
    """Schema | SchemaBuilder | from_dict-shaped dict -> Schema."""
    if isinstance(v, Schema):
        return v
    if isinstance(v, (SchemaBuilder, _StructureBuilder)):
        return v.build()
    return parse_schema_dict(v)
