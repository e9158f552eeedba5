"""Scale-out on Dask: extract, redact and moderate over a Dask bag of JSONL lines or a Dask
dataframe column, with one model per worker process (loaded on its first task there and kept),
results in input order.

    import json
    import dask.bag as db
    from spanguard import dask as sgd

    lines = db.read_text("records-*.jsonl")
    out = sgd.redact_lines(lines, "gliner2-pii", preset="pii")   # {"line": N, "result": ...}
    out.map(json.dumps).to_textfiles("redacted-*.jsonl")         # or {"line": N, "error": ...}

    df["redacted"] = sgd.redact_column(df["text"], "gliner2-pii", preset="pii")

The bag functions read each line as the CLI does: a JSON object with the text at `text_field`
(a dotted path, e.g. "doc.body"); a line that is not one gets {"line": N, "error": "..."} in its
place, like `spanguard <command> --format keyed`, and line numbers count from 1 across the whole
bag. The column functions return a column of result dicts ({"error": "..."} for a text the model
refuses). `model` is anything spanguard.load() takes: a folder every worker can read, a Hub id or
an alias (each worker fetches it into its own Hugging Face cache once).
"""

import json

import dask
import dask.bag

_MODELS = {}  # in each worker process: (model, precision) -> GLiNER2


def _model(model, precision):
    key = (str(model), precision)
    if key not in _MODELS:
        from . import load
        _MODELS[key] = load(model, precision=precision)
    return _MODELS[key]


def _field(record, path):
    value = record
    for part in path.split("."):
        if isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        elif isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return None
    return value


def _run(task, model, items):
    """One result per item, in order: the batch call, or item by item when it fails, so one bad
    item fails alone. Each entry is ("result", value) or ("error", message)."""
    kind, options = task
    call = {
        "extract": lambda xs: model.batch_extract(xs, options["schema"], **options["kw"]),
        "redact": lambda xs: model.batch_redact(xs, **options["kw"]),
        "moderate": lambda xs: model.batch_moderate(xs, **options["kw"]),
    }[kind]
    try:
        return [("result", _plain(r)) for r in call(items)]
    except (ValueError, RuntimeError):
        out = []
        for item in items:
            try:
                out.append(("result", _plain(call([item])[0])))
            except (ValueError, RuntimeError) as e:
                out.append(("error", str(e)))
        return out


def _plain(value):
    return json.loads(json.dumps(value))


def _record_input(kind, record, text_field, prompt_field, response_field):
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object")
    if kind == "moderate":
        prompt = _field(record, prompt_field) if prompt_field else None
        if prompt is None and prompt_field is None:
            prompt = _field(record, "prompt")
            if prompt is None:
                prompt = _field(record, text_field)
        response = _field(record, response_field)
        given = {}
        if isinstance(prompt, str):
            given["prompt"] = prompt
        if isinstance(response, str):
            given["response"] = response
        if not given:
            raise ValueError("expected a JSON object with a prompt and/or a response string")
        return given
    text = _field(record, text_field)
    if not isinstance(text, str):
        raise ValueError(f'expected a JSON object with a "{text_field}" string')
    return text


def _count(partition):
    return sum(1 for _ in partition)


def _lines_partition(lines, offset, model, precision, task, fields):
    lines = list(lines)  # a partition may be an iterator
    out = [None] * len(lines)
    items, where = [], []
    for k, line in enumerate(lines):
        n = offset + k + 1
        try:
            record = json.loads(line)
            items.append(_record_input(task[0], record, *fields))
            where.append(k)
        except ValueError as e:
            message = f"invalid JSON: {e}" if isinstance(e, json.JSONDecodeError) else str(e)
            out[k] = {"line": n, "error": message}
    if items:
        for k, (status, value) in zip(where, _run(task, _model(model, precision), items)):
            out[k] = {"line": offset + k + 1, status: value}
    return out


def _map_lines(lines, model, precision, task, fields):
    if not isinstance(lines, dask.bag.Bag):
        raise ValueError(f"lines must be a dask.bag.Bag of JSONL lines, got {type(lines).__name__}")
    parts = lines.to_delayed()
    lengths = dask.compute(*[dask.delayed(_count)(p) for p in parts])
    offsets, total = [], 0
    for n in lengths:
        offsets.append(total)
        total += n
    results = [dask.delayed(_lines_partition)(p, off, model, precision, task, fields)
               for p, off in zip(parts, offsets)]
    return dask.bag.from_delayed(results)


def _column_partition(texts, model, precision, task):
    import pandas
    items = texts.tolist()
    entries = _run(task, _model(model, precision), items) if items else []
    values = [value if status == "result" else {"error": value} for status, value in entries]
    return pandas.Series(values, index=texts.index, name=texts.name, dtype=object)


def _map_column(column, model, precision, task):
    return column.map_partitions(_column_partition, model, precision, task,
                                 meta=(column.name, object))


def extract_lines(lines, model, schema, *, text_field="text", precision="fp32", **options):
    """GLiNER2.batch_extract over a bag of JSONL lines; `options` as batch_extract takes them."""
    return _map_lines(lines, model, precision, ("extract", {"schema": schema, "kw": options}),
                      (text_field, None, "response"))


def redact_lines(lines, model, *, text_field="text", precision="fp32", **options):
    """batch_redact over a bag of JSONL lines; `options` as batch_redact takes them."""
    return _map_lines(lines, model, precision, ("redact", {"kw": options}),
                      (text_field, None, "response"))


def moderate_lines(lines, model, *, text_field="text", prompt_field=None, response_field="response",
                   precision="fp32", **options):
    """batch_moderate over a bag of JSONL lines of {"prompt", "response"} (a line with only the
    text field is a prompt), as `spanguard moderate` reads them."""
    return _map_lines(lines, model, precision, ("moderate", {"kw": options}),
                      (text_field, prompt_field, response_field))


def extract_column(column, model, schema, *, precision="fp32", **options):
    """A dask dataframe column of texts -> a column of batch_extract results."""
    return _map_column(column, model, precision, ("extract", {"schema": schema, "kw": options}))


def redact_column(column, model, *, precision="fp32", **options):
    """A dask dataframe column of texts -> a column of batch_redact results."""
    return _map_column(column, model, precision, ("redact", {"kw": options}))


def moderate_column(column, model, *, precision="fp32", **options):
    """A dask dataframe column of prompts -> a column of batch_moderate results."""
    return _map_column(column, model, precision, ("moderate", {"kw": options}))
