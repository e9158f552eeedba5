"""Fails when a source file includes a header from a layer above its own (STYLE §8).

tokenizer/ is standalone; core/ sees only itself; heads/ sees core/; schemas/ sees all three;
nothing below python/ includes pybind11 or python/.
"""
import pathlib
import re
import sys

ALLOWED = {
    "tokenizer": {"tokenizer"},
    "core": {"core"},
    "heads": {"core", "heads"},
    "schemas": {"tokenizer", "core", "heads", "schemas"},
}
LAYERS = {"tokenizer", "core", "heads", "schemas", "python"}
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', re.M)


def main(root: pathlib.Path) -> int:
    problems = []
    checked = 0
    for layer, allowed in ALLOWED.items():
        for path in sorted((root / layer).rglob("*")):
            if path.suffix not in {".h", ".cc", ".cpp", ".hpp"}:
                continue
            checked += 1
            for header in INCLUDE.findall(path.read_text(encoding="utf-8")):
                top = header.split("/", 1)[0]
                if header.startswith("pybind11"):
                    problems.append(f"{path.relative_to(root)} includes {header}")
                elif top in LAYERS and "/" in header and top not in allowed:
                    problems.append(f"{path.relative_to(root)} includes {header} (layer {top})")
    print(f"layering: checked {checked} files")
    for p in problems:
        print("layering violation:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1])))
