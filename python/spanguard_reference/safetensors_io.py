"""A small pure-Python reader and writer for the `.safetensors` format (Debian has no
`safetensors` package, and pickled `pytorch_model.bin` files are never loaded here).

Format: an 8-byte little-endian unsigned header length N, then N bytes of UTF-8 JSON mapping each
tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (byte offsets into the data section
that follows the header; an optional "__metadata__" entry maps strings to strings), then the data.
All tensor data is little-endian and C-contiguous (row-major).

Only what GLiNER2 checkpoints need is supported: F32, F16 and BF16 (read into float32 numpy arrays),
plus the integer and F64 types for completeness when reading.
"""

import json
import struct

import numpy as np

# dtype name -> (numpy dtype for the raw little-endian data, bytes per element)
_RAW_DTYPES = {
    "F64": ("<f8", 8),
    "F32": ("<f4", 4),
    "F16": ("<f2", 2),
    "BF16": ("<u2", 2),  # numpy has no bfloat16: read the bits, widen below
    "I64": ("<i8", 8),
    "I32": ("<i4", 4),
    "I16": ("<i2", 2),
    "I8": ("i1", 1),
    "U8": ("u1", 1),
    "BOOL": ("?", 1),
}

WRITABLE_DTYPES = ("F32", "F16", "BF16")

# A header larger than this is not a checkpoint we produce or expect (real ones are ~30 KB).
_MAX_HEADER_BYTES = 100 * 1024 * 1024


class SafetensorsError(ValueError):
    """A malformed file; the message names the file and, where one is at fault, the tensor."""


def _bf16_bits_to_f32(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


def f32_to_bf16_bits(values):
    """Rounds float32 values to bfloat16 (round to nearest, ties to even), returning the 16-bit
    patterns. NaN stays NaN (quiet)."""
    v = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounding = ((v >> 16) & 1) + 0x7FFF
    out = ((v + rounding) >> 16).astype(np.uint16)
    nan = np.isnan(np.asarray(values, dtype=np.float32))
    out[nan] = 0x7FC0
    return out


def round_to_dtype(values, dtype):
    """float32 array -> float32 array holding exactly the values that `dtype` storage keeps."""
    values = np.asarray(values, dtype=np.float32)
    if dtype == "F32":
        return values.copy()
    if dtype == "F16":
        return values.astype(np.float16).astype(np.float32)
    if dtype == "BF16":
        return _bf16_bits_to_f32(f32_to_bf16_bits(values)).reshape(values.shape)
    raise ValueError(f"unsupported storage dtype {dtype!r} (expected one of {WRITABLE_DTYPES})")


def read_header(path):
    """Returns (header dict without __metadata__, metadata dict or None, data section offset)."""
    with open(path, "rb") as f:
        raw_len = f.read(8)
        if len(raw_len) != 8:
            raise SafetensorsError(f"{path}: file is shorter than the 8-byte header length")
        (n,) = struct.unpack("<Q", raw_len)
        if n > _MAX_HEADER_BYTES:
            raise SafetensorsError(f"{path}: header length {n} is implausibly large")
        raw = f.read(n)
        if len(raw) != n:
            raise SafetensorsError(f"{path}: header declares {n} bytes, file has {len(raw)}")
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise SafetensorsError(f"{path}: header is not valid UTF-8 JSON ({e})") from None
    if not isinstance(header, dict):
        raise SafetensorsError(f"{path}: header is not a JSON object")
    metadata = header.pop("__metadata__", None)
    return header, metadata, 8 + n


def load(path):
    """Reads every tensor into a dict name -> float32 (or integer) numpy array, validating
    dtypes, shapes and that byte ranges are in bounds and do not overlap."""
    header, _, data_start = read_header(path)
    with open(path, "rb") as f:
        f.seek(data_start)
        data = f.read()
    tensors = {}
    ranges = []
    for name, info in header.items():
        try:
            dtype = info["dtype"]
            shape = [int(d) for d in info["shape"]]
            begin, end = (int(x) for x in info["data_offsets"])
        except (KeyError, TypeError, ValueError):
            raise SafetensorsError(f"{path}: tensor {name!r} has a malformed entry {info!r}")
        if dtype not in _RAW_DTYPES:
            raise SafetensorsError(f"{path}: tensor {name!r} has unsupported dtype {dtype!r}")
        np_dtype, size = _RAW_DTYPES[dtype]
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if any(d < 0 for d in shape) or not 0 <= begin <= end <= len(data):
            raise SafetensorsError(
                f"{path}: tensor {name!r} range [{begin}, {end}) is outside the "
                f"{len(data)}-byte data section")
        if end - begin != count * size:
            raise SafetensorsError(
                f"{path}: tensor {name!r} {dtype}{shape} needs {count * size} bytes, "
                f"range holds {end - begin}")
        ranges.append((begin, end, name))
        arr = np.frombuffer(data, dtype=np_dtype, count=count, offset=begin).reshape(shape)
        if dtype == "BF16":
            arr = _bf16_bits_to_f32(arr)
        elif dtype in ("F16", "F32", "F64"):
            arr = arr.astype(np.float32)
        else:
            arr = arr.copy()
        tensors[name] = arr
    ranges.sort()
    for (b0, e0, n0), (b1, _, n1) in zip(ranges, ranges[1:]):
        if b1 < e0:
            raise SafetensorsError(f"{path}: tensors {n0!r} and {n1!r} overlap")
    return tensors


def save(path, tensors, dtype="F32", metadata=None):
    """Writes float tensors (name -> array) in `dtype` storage (F32, F16 or BF16): names sorted,
    data contiguous in that order, header padded with spaces to a multiple of 8 bytes so the
    data section is 8-byte aligned (as the reference `safetensors` library does)."""
    if dtype not in WRITABLE_DTYPES:
        raise ValueError(f"unsupported storage dtype {dtype!r} (expected one of {WRITABLE_DTYPES})")
    header = {}
    if metadata is not None:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    size = 4 if dtype == "F32" else 2
    names = sorted(tensors)
    offset = 0
    for name in names:
        shape = list(np.shape(tensors[name]))
        nbytes = int(np.prod(shape, dtype=np.int64)) * size
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    # Tensors are converted and written one at a time: a base-size checkpoint is ~0.8 GB.
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for name in names:
            arr = np.asarray(tensors[name], dtype=np.float32)
            if dtype == "F32":
                f.write(np.ascontiguousarray(arr, dtype="<f4").tobytes())
            elif dtype == "F16":
                f.write(np.ascontiguousarray(arr.astype("<f2")).tobytes())
            else:
                f.write(f32_to_bf16_bits(arr).astype("<u2").tobytes())
