"""Comparing a decoded result with a golden one, allowing only float noise (GLINER2.md §10.5, parity
README): confidences within `tol`; an item present on one side only when its confidence lies
within `tol` of a decision threshold of the request ("near-threshold decision"); items of a
confidence-ordered list in a different order only where their confidences are within `tol` of
each other ("tie swap"). Everything else (keys, key order, texts, offsets, labels, list lengths
of plain strings) must be identical.
"""

import dataclasses
import json


@dataclasses.dataclass
class Comparison:
    mismatches: list = dataclasses.field(default_factory=list)
    near_threshold: int = 0
    tie_swaps: int = 0

    @property
    def ok(self):
        return not self.mismatches


def request_thresholds(args, kwargs):
    """Every decision threshold a request can use: 0.5 (the default of threshold and
    cls_threshold) and any `threshold` / `cls_threshold` value found in its arguments."""
    found = {0.5}

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                if k in ("threshold", "cls_threshold") and isinstance(x, (int, float)) \
                        and not isinstance(x, bool):
                    found.add(float(x))
                walk(x)
        elif isinstance(v, (list, tuple)):
            for x in v:
                walk(x)

    walk(list(args))
    walk(kwargs)
    return sorted(found)


def _identity(item):
    return json.dumps({k: v for k, v in item.items() if k != "confidence"}, sort_keys=True,
                      ensure_ascii=False)


def _is_item_list(a, b):
    items = list(a) + list(b)
    return bool(items) and all(isinstance(x, dict) and "confidence" in x for x in items)


def compare_results(got, want, thresholds, tol=1e-5):
    c = Comparison()
    _compare(got, want, "result", thresholds, tol, c)
    return c


def _near_threshold(item, thresholds, tol):
    conf = item.get("confidence")
    return isinstance(conf, float) and any(abs(conf - t) <= tol for t in thresholds)


def _compare_item_lists(got, want, path, thresholds, tol, c):
    got_ids = [_identity(x) for x in got]
    want_ids = [_identity(x) for x in want]
    if len(set(got_ids)) != len(got_ids) or len(set(want_ids)) != len(want_ids):
        # Decoded lists are de-duplicated; repeated items can only be compared position-wise.
        if got_ids != want_ids:
            c.mismatches.append(f"{path}: {got} vs {want}")
            return
    want_at = {k: j for j, k in enumerate(want_ids)}
    got_at = {k: i for i, k in enumerate(got_ids)}
    for i, key in enumerate(got_ids):
        if key not in want_at:
            if _near_threshold(got[i], thresholds, tol):
                c.near_threshold += 1
            else:
                c.mismatches.append(f"{path}: unexpected item {got[i]}")
    for j, key in enumerate(want_ids):
        if key not in got_at:
            if _near_threshold(want[j], thresholds, tol):
                c.near_threshold += 1
            else:
                c.mismatches.append(f"{path}: missing item {want[j]}")
    # Items on both sides, in each side's order. Where the orders differ, the two items meeting
    # at a position must have confidences within tol (a tie broken the other way).
    common_got = [k for k in got_ids if k in want_at]
    common_want = [k for k in want_ids if k in got_at]
    for p, (g, w) in enumerate(zip(common_got, common_want)):
        if g != w:
            if abs(want[want_at[g]]["confidence"] - want[want_at[w]]["confidence"]) <= tol:
                c.tie_swaps += 1
            else:
                c.mismatches.append(f"{path}: order differs at {p}: got {got[got_at[g]]}, "
                                    f"want {want[want_at[w]]}")
        _compare(got[got_at[g]], want[want_at[g]], f"{path}[{p}]", thresholds, tol, c)


def _compare(got, want, path, thresholds, tol, c):
    if isinstance(got, float) and isinstance(want, float):
        if abs(got - want) > tol:
            c.mismatches.append(f"{path}: {got} vs {want}")
        return
    if isinstance(got, dict) and isinstance(want, dict):
        if list(got) != list(want):
            c.mismatches.append(f"{path}: keys {list(got)} vs {list(want)}")
            return
        for k in got:
            _compare(got[k], want[k], f"{path}.{k}", thresholds, tol, c)
        return
    if isinstance(got, list) and isinstance(want, list):
        if _is_item_list(got, want):
            _compare_item_lists(got, want, path, thresholds, tol, c)
            return
        if len(got) != len(want):
            c.mismatches.append(f"{path}: {len(got)} items vs {len(want)}: {got} vs {want}")
            return
        for p, (x, y) in enumerate(zip(got, want)):
            _compare(x, y, f"{path}[{p}]", thresholds, tol, c)
        return
    if type(got) is not type(want) or got != want:
        c.mismatches.append(f"{path}: {got!r} vs {want!r}")
