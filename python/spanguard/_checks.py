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
    """A list or tuple of str; a lone str is refused, as the reference refuses it."""
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise ValueError(f"{name} must be a list of strings, got {type(value).__name__}")
    return value
