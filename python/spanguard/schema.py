"""Schemas: `create_schema()`'s chainable builder (the reference's, same methods, signatures and
defaults) and the coercion every extraction call applies to its `schema` argument.

    schema = (spanguard.create_schema()
              .entities(["person", "company"])
              .classification("sentiment", ["positive", "negative"])
              .relations(["works_for"])
              .structure("profile").field("name", dtype="str").field("employer"))
    model.extract(text, schema)

Each call is parsed at once by the engine's own request parser, so mistakes raise ValueError at
the call that made them, naming the value ("entities.person.threshold: ..."). Unlike the reference
builder, a name declared twice (two `.entities()` calls both naming "person") is an error rather
than a duplicate prompt marker.
"""

from . import _checks
from ._spanguard import Schema


class SchemaBuilder:
    """Builds a `Schema`; pass the builder itself (or `.build()`) to `extract`."""

    def __init__(self):
        self._schema = Schema()

    def entities(self, entity_types, dtype="list", threshold=None):
        """`entity_types`: a name, a list of names, or {name: description | None | {"description",
        "threshold", "dtype"}}. `dtype` and `threshold` apply to entries that set neither."""
        if threshold is not None:
            threshold = _checks.threshold(threshold, "entities.threshold")
        if dtype not in ("list", "str"):
            raise ValueError(f'entities.dtype: dtype must be "list" or "str", got {dtype!r}')
        self._schema.add_entities(entity_types, dtype, threshold)
        return self

    def classification(self, task, labels, multi_label=False, cls_threshold=0.5, **options):
        """`labels`: a list of names or {label: description}. `options`: examples ([input,
        output] pairs), prompt, class_act ("auto" | "sigmoid" | "softmax")."""
        config = dict(options, labels=labels, multi_label=multi_label,
                      cls_threshold=cls_threshold)
        self._schema.add_classification(task, config)
        return self

    def relations(self, relation_types):
        """A name, a list of names, or {name: description | None | {"description",
        "threshold"}}."""
        self._schema.add_relations(relation_types)
        return self

    def structure(self, name):
        """Starts a structure; chain `.field(...)` calls on the result."""
        return _StructureBuilder(self, self._schema.add_structure(name))

    def build(self):
        """A copy of the schema so far; raises ValueError when it asks for nothing or has a
        structure without fields."""
        self._schema.check_complete()
        return self._schema.copy()

    @property
    def schema(self):
        return self.build()

    def to_dict(self):
        """The Schema.from_dict form of the schema so far."""
        return self._schema.to_dict()

    def __repr__(self):
        return f"SchemaBuilder({self._schema.to_dict()!r})"


class _StructureBuilder:
    def __init__(self, parent, index):
        self._parent = parent
        self._index = index

    def field(self, name, dtype="list", choices=None, description=None, threshold=None,
              validators=None):
        """One field; `validators`: [{"pattern", "mode": "full"|"partial", "exclude",
        "case_insensitive"}]."""
        spec = {"name": name, "dtype": dtype, "choices": choices, "description": description,
                "threshold": threshold, "validators": validators}
        self._parent._schema.add_field(self._index, spec)
        return self

    def __repr__(self):
        return repr(self._parent)

    def __getattr__(self, attr):
        # Chaining continues on the schema: .field(...).entities(...), .build()
        return getattr(self._parent, attr)


def as_schema(value):
    """Schema | builder | Schema.from_dict-shaped dict -> Schema."""
    if isinstance(value, Schema):
        return value
    if isinstance(value, (SchemaBuilder, _StructureBuilder)):
        return value.build()
    if isinstance(value, dict):
        return Schema.from_dict(value)
    raise ValueError("schema must be a dict (Schema.from_dict form), a Schema or a "
                     f"create_schema() builder, got {type(value).__name__}")


def create_schema():
    """A schema builder (the reference's `create_schema`): .entities(...), .classification(...),
    .relations(...), .structure(name).field(...)."""
    return SchemaBuilder()
