"""The typed stubs (python/spanguard/*.pyi) describe what the package really has: every stubbed
name exists, and every public function, class and method of the package is stubbed, with the
same parameter names."""

import ast
import inspect
import os

from python_package_support import SOURCE_DIR, spanguard_package

STUBS = os.path.join(SOURCE_DIR, "python", "spanguard")


def stub_tree(module):
    with open(os.path.join(STUBS, module + ".pyi"), encoding="utf-8") as f:
        return ast.parse(f.read())


def stub_functions(body):
    return {n.name: n for n in body if isinstance(n, ast.FunctionDef)}


def parameter_names(node):
    a = node.args
    return ([x.arg for x in a.posonlyargs + a.args] + ([a.vararg.arg] if a.vararg else []) +
            [x.arg for x in a.kwonlyargs] + ([a.kwarg.arg] if a.kwarg else []))


def test_extension_stub_names_exist():
    sg = spanguard_package()
    ext = sg._spanguard
    tree = stub_tree("_spanguard")
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            assert hasattr(ext, node.name), node.name
        if isinstance(node, ast.ClassDef):
            for name in stub_functions(node.body):
                assert hasattr(getattr(ext, node.name), name), f"{node.name}.{name}"
    stubbed = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
    public = {n for n in dir(ext) if not n.startswith("_")}
    assert public <= stubbed, public - stubbed


def test_python_layer_stubs_match_signatures():
    sg = spanguard_package()
    import importlib
    for module in ("model", "gliner_v1", "schema", "safety", "rendering", "dask"):
        real = importlib.import_module("spanguard." + module)
        tree = stub_tree(module)
        for name, node in stub_functions(tree.body).items():
            assert parameter_names(node) == list(inspect.signature(getattr(real, name)).parameters)
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            methods = stub_functions(cls.body)
            actual = getattr(real, cls.name)
            for name, node in methods.items():
                member = inspect.getattr_static(actual, name)
                if isinstance(member, property):
                    continue
                fn = member.__func__ if isinstance(member, (classmethod, staticmethod)) else member
                params = list(inspect.signature(fn).parameters.values())
                want = [p.name for p in params]
                got = parameter_names(node)
                if params and params[-1].kind is inspect.Parameter.VAR_KEYWORD \
                        and got[-1:] != want[-1:]:
                    # **options forwarded to extract(): the stub spells those keywords out.
                    want = want[:-1]
                    got = got[:len(want)]
                assert got == want, f"{module}.{cls.name}.{name}: {got} vs {want}"
            public = {n for n, v in vars(actual).items() if not n.startswith("_")}
            assert public <= set(methods), f"{cls.name}: {public - set(methods)} not stubbed"
    assert set(sg.__all__) <= {n for n in dir(sg)}
