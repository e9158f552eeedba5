"""Argument checks shared by the public methods, so that a wrong type or range is a ValueError
naming the argument (as the reference's are) rather than a pybind11 TypeError about C++ types."""

import numbers


def threshold(value, name="threshold"):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a number within [0, 1], got {value!r}")
    return float(value)


def positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def non_negative_int(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return int(value)


def optional_positive_int(value, name):
    return None if value is None else positive_int(value, name)


def flag(value, name):
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return value


def text_list(value, name="texts"):
    """Any sequence or iterable of str as a list: list, tuple, pandas Series, numpy array of str,
    generator. A lone str (or bytes) is refused, as the reference refuses it; an element that is
    not a str is named by its position."""
    if isinstance(value, (str, bytes)) or value is None:
        raise ValueError(f"{name} must be a sequence of strings, got {type(value).__name__}")
    if isinstance(value, list):
        items = value
    elif hasattr(value, "tolist") and callable(value.tolist):  # numpy arrays, pandas Series
        items = value.tolist()
    else:
        try:
            items = list(value)
        except TypeError:
            raise ValueError(f"{name} must be a sequence of strings, got "
                             f"{type(value).__name__}") from None
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise ValueError(f"{name}[{i}] must be a string, got {type(item).__name__}")
    return items


def device(value, name="device"):
    """CPU is the only device: "cpu", "cpu:0", a torch.device("cpu") or None are accepted (and
    change nothing), anything else is refused."""
    if value is None or str(value) in ("cpu", "cpu:0"):
        return "cpu"
    raise ValueError(f"{name}={value!r}: spanguard runs on the CPU only (device='cpu' or None)")


def progress_chunks(items, progress, what="texts"):
    """Yields (start, end) slices of `items`; with `progress` true, a bar on stderr as they are
    done (about 40 slices, at least 64 items each)."""
    total = len(items)
    if not progress or total == 0:
        yield 0, total
        return
    import sys
    import time
    step = max(64, -(-total // 40))
    started = time.monotonic()
    for start in range(0, total, step):
        end = min(total, start + step)
        yield start, end
        done = end / total
        rate = end / max(time.monotonic() - started, 1e-9)
        bar = "#" * int(30 * done)
        sys.stderr.write(f"\r[{bar:<30}] {end}/{total} {what} {rate:.1f}/s")
        sys.stderr.flush()
    sys.stderr.write("\n")
