"""Models by Hub id: `--model ORG/NAME[@REV]`, aliases, the shared Hugging Face cache, and the
download client (libcurl) against a local Hub stand-in on 127.0.0.1 (hub_server.py): fresh
download, cache hit with the server stopped, resume after a cut, a corrupted blob, 401/404,
offline mode, two processes at once, the Python loader doing the same, and GLiNER v1
repositories (gliner_config.json, the pickle only) loaded by spanguard.GLiNER."""

import hashlib
import json
import os
import subprocess
import sys

import pytest

from conftest import BUILD_DIR, SHARED_DIR, SOURCE_DIR, require_shared_file, spanguard_binary

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hub_server  # noqa: E402

pytestmark = pytest.mark.skipif(BUILD_DIR is None, reason="SPANGUARD_BUILD_DIR is not set (run through ctest)")

REPO = "acme/tiny-gliner2"
EXTRAS = {"README.md": b"# tiny\n", "tokenizer_config.json": b"{}", "optimizer.bin": b"x" * 1000}


@pytest.fixture
def hub(checkpoint):
    server = hub_server.HubServer().start()
    server.add_folder(REPO, checkpoint, extra=EXTRAS)
    yield server
    try:
        server.stop()
    except Exception:
        pass


def env_for(hub, tmp_path, **extra):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("HF_", "HUGGING")) and k != "SPANGUARD_MODEL"}
    env.update({"HF_HOME": str(tmp_path / "hf"), "HF_ENDPOINT": hub.endpoint})
    env.update(extra)
    return env


def extract(env, model, cwd):
    return subprocess.run([spanguard_binary(), "extract", "--model", model, "--entities", "person",
                           "--threads", "1", "--text", "Maria met Tim in Paris."],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=str(cwd),
                          check=False)


def cache_folder(tmp_path, repo=REPO):
    return tmp_path / "hf" / "hub" / ("models--" + repo.replace("/", "--"))


def test_fresh_download_then_cache_hit_with_the_server_stopped(hub, tmp_path):
    env = env_for(hub, tmp_path)
    first = extract(env, REPO, tmp_path)
    assert first.returncode == 0, first.stderr.decode()
    assert "entities" in json.loads(first.stdout)
    repo = hub.repos[REPO]
    folder = cache_folder(tmp_path)
    # The Hugging Face layout: refs/main -> commit, snapshot links into content-addressed blobs.
    assert (folder / "refs" / "main").read_text() == repo.commit
    snapshot = folder / "snapshots" / repo.commit
    weights = snapshot / "model.safetensors"
    assert weights.is_symlink()
    sha = hashlib.sha256(repo.files["model.safetensors"]).hexdigest()
    assert os.readlink(weights) == os.path.join("..", "..", "blobs", sha)
    assert (snapshot / "encoder_config" / "config.json").read_bytes() == repo.files["encoder_config/config.json"]
    assert os.readlink(snapshot / "encoder_config" / "config.json").startswith(os.path.join("..", "..", ".."))
    # Only what the checkpoint needs: no README, optimizer state or unused tokenizer files.
    assert sorted(p.name for p in snapshot.rglob("*") if not p.is_dir()) == sorted(
        ["added_tokens.json", "config.json", "config.json", "model.safetensors", "spm.model"])
    assert not list(folder.rglob("*.incomplete"))
    assert len(hub.gets("/cdn/")) == 2  # model.safetensors and spm.model, once each

    # Again: the revision is looked up, nothing is downloaded.
    before = len(hub.gets("/cdn/"))
    assert extract(env, REPO, tmp_path).returncode == 0
    assert len(hub.gets("/cdn/")) == before

    hub.stop()
    again = extract(env, REPO, tmp_path)
    assert again.returncode == 0, again.stderr.decode()
    assert again.stdout == first.stdout
    offline = extract(env_for(hub, tmp_path, HF_HUB_OFFLINE="1"), REPO, tmp_path)
    assert offline.returncode == 0 and offline.stdout == first.stdout
    # The commit works as a revision, from the cache.
    pinned = extract(env_for(hub, tmp_path, HF_HUB_OFFLINE="1"), f"{REPO}@{repo.commit}", tmp_path)
    assert pinned.returncode == 0, pinned.stderr.decode()


def test_offline_and_unreachable_without_a_cached_copy(hub, tmp_path):
    proc = extract(env_for(hub, tmp_path, HF_HUB_OFFLINE="1"), REPO, tmp_path)
    assert proc.returncode == 1
    assert "HF_HUB_OFFLINE is set and the model is not in the cache" in proc.stderr.decode()
    hub.stop()
    proc = extract(env_for(hub, tmp_path), REPO, tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 1 and f"cannot reach {hub.endpoint}" in err and "not in the cache" in err, err


def test_an_interrupted_download_resumes_with_a_range_request(hub, tmp_path):
    size = len(hub.repos[REPO].files["model.safetensors"])
    hub.interrupt_once["model.safetensors"] = size // 3
    proc = extract(env_for(hub, tmp_path), REPO, tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    sha = hashlib.sha256(hub.repos[REPO].files["model.safetensors"]).hexdigest()
    ranges = [r for _, _, r, _ in hub.gets(f"/cdn/{sha}")]
    assert ranges[0] is None and ranges[1] == f"bytes={size // 3}-", ranges
    blob = cache_folder(tmp_path) / "blobs" / sha
    assert hashlib.sha256(blob.read_bytes()).hexdigest() == sha


def test_a_partial_file_left_by_another_run_is_resumed(hub, tmp_path):
    data = hub.repos[REPO].files["model.safetensors"]
    sha = hashlib.sha256(data).hexdigest()
    blobs = cache_folder(tmp_path) / "blobs"
    blobs.mkdir(parents=True)
    (blobs / (sha + ".incomplete")).write_bytes(data[:1000])
    proc = extract(env_for(hub, tmp_path), REPO, tmp_path)
    assert proc.returncode == 0, proc.stderr.decode()
    assert [r for _, _, r, _ in hub.gets(f"/cdn/{sha}")] == ["bytes=1000-"]


def test_a_corrupted_blob_is_rejected_and_not_kept(hub, tmp_path):
    hub.corrupt.add("model.safetensors")
    proc = extract(env_for(hub, tmp_path), REPO, tmp_path)
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert "checksum mismatch for model.safetensors: expected sha256" in err, err
    folder = cache_folder(tmp_path)
    assert not list(folder.rglob("*.incomplete"))
    sha = hashlib.sha256(hub.repos[REPO].files["model.safetensors"]).hexdigest()
    assert not (folder / "blobs" / sha).exists()
    assert not (folder / "refs" / "main").exists()
    # The next run, with the server fixed, downloads a good copy.
    hub.corrupt.clear()
    assert extract(env_for(hub, tmp_path), REPO, tmp_path).returncode == 0


def test_401_and_404_say_what_failed(hub, checkpoint, tmp_path):
    hub.add_folder("acme/private", checkpoint, token="s3cret")
    env = env_for(hub, tmp_path)
    err = extract(env, "acme/private", tmp_path).stderr.decode()
    assert "401 Unauthorized" in err and "set HF_TOKEN" in err, err
    err = extract(env_for(hub, tmp_path, HF_TOKEN="wrong"), "acme/private", tmp_path).stderr.decode()
    assert "the token in HF_TOKEN was not accepted for acme/private" in err, err
    ok = extract(env_for(hub, tmp_path, HF_TOKEN="s3cret"), "acme/private", tmp_path)
    assert ok.returncode == 0, ok.stderr.decode()
    # The token reaches the Hub, never the CDN the download is redirected to.
    private = [r for r in hub.requests if "acme/private" in r[1] and r[3] == "Bearer s3cret"]
    assert private and all(r[3] is None for r in hub.gets("/cdn/"))
    err = extract(env, "acme/nope", tmp_path).stderr.decode()
    assert f"no repository acme/nope on {hub.endpoint}" in err, err
    err = extract(env, REPO + "@v9", tmp_path).stderr.decode()
    assert f"no revision 'v9' in {REPO}" in err, err
    hub.add_repo("acme/not-a-model", {"README.md": b"hi"})
    err = extract(env, "acme/not-a-model", tmp_path).stderr.decode()
    assert "acme/not-a-model is not a GLiNER2 checkpoint: it has no config.json" in err, err
    # Aliases name the published repositories.
    err = extract(env, "gliner2-base", tmp_path).stderr.decode()
    assert "no repository fastino/gliner2-base-v1" in err, err


def test_two_processes_fetching_one_model_download_it_once(hub, tmp_path):
    hub.chunk_delay = 0.002
    env = env_for(hub, tmp_path)
    cmd = [spanguard_binary(), "models", "--fetch", REPO]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outs]
    assert outs[0][0] == outs[1][0]
    sha = hashlib.sha256(hub.repos[REPO].files["model.safetensors"]).hexdigest()
    assert len(hub.gets(f"/cdn/{sha}")) == 1
    listed = subprocess.run([spanguard_binary(), "models"], stdout=subprocess.PIPE, env=env, check=True)
    assert REPO in listed.stdout.decode() and "gliner2-pii" in listed.stdout.decode()


def test_python_and_the_cli_share_the_cache(hub, tmp_path, monkeypatch):
    for k, v in env_for(hub, tmp_path).items():
        if k.startswith("HF_"):
            monkeypatch.setenv(k, v)
    sys.path.insert(0, os.path.join(BUILD_DIR, "python"))
    import spanguard
    model = spanguard.load(REPO)
    py = model.extract_entities("Maria met Tim in Paris.", ["person"])
    hub.stop()
    cli = extract(env_for(hub, tmp_path), REPO, tmp_path)
    assert cli.returncode == 0, cli.stderr.decode()
    assert json.loads(cli.stdout) == py
    with pytest.raises(spanguard.LoadError, match="acme/absent: cannot reach .* not in the cache"):
        spanguard.load("acme/absent")


def test_redact_on_a_published_pii_model_uses_its_labels(hub, checkpoint, tmp_path):
    hub.add_folder("fastino/gliner2-privacy-filter-PII-multi", checkpoint)
    proc = subprocess.run([spanguard_binary(), "redact", "--model", "gliner2-pii", "--threads", "1",
                           "--text", "Mail jo@x.org"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env_for(hub, tmp_path), check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "<EMAIL_ADDRESS>" in json.loads(proc.stdout)["text"]


CPP_PROGRAM = r"""
#include <spanguard/spanguard.h>
#include <iostream>
int main(int argc, char** argv) {
    try {
        const spanguard::Model model = spanguard::Model::load(argv[1]);
        std::cout << model.directory() << "\n";
        for (const auto& e : model.extract("Maria met Tim in Paris.", spanguard::Schema().entities({"person"})).entities)
            std::cout << e.text << "\n";
    } catch (const spanguard::LoadError& e) {
        std::cout << "LoadError: " << e.what() << "\n";
        return 1;
    }
}
"""


def test_the_cpp_library_loads_hub_ids_the_same_way(hub, tmp_path):
    source = tmp_path / "load.cc"
    source.write_text(CPP_PROGRAM)
    program = tmp_path / "load"
    libdir = os.path.join(BUILD_DIR, "schemas")
    subprocess.run(["g++", "-std=c++17", str(source), "-o", str(program),
                    "-I", os.path.join(SOURCE_DIR, "schemas", "api", "include"),
                    "-L", libdir, "-lspanguard", f"-Wl,-rpath,{libdir}"], check=True)
    env = env_for(hub, tmp_path)
    run = subprocess.run([str(program), REPO], stdout=subprocess.PIPE, env=env, check=False)
    assert run.returncode == 0, run.stdout
    lines = run.stdout.decode().splitlines()
    assert lines[0] == str(cache_folder(tmp_path) / "snapshots" / hub.repos[REPO].commit)
    cli = extract(env, REPO, tmp_path)
    assert [e for e in json.loads(cli.stdout)["entities"]["person"]] == lines[1:]
    run = subprocess.run([str(program), "acme/absent"], stdout=subprocess.PIPE, env=env, check=False)
    assert run.returncode == 1
    assert f"LoadError: acme/absent: no repository acme/absent on {hub.endpoint}" in run.stdout.decode()


V1_REPO = "acme/tiny-gliner-v1"
V1_TEXT = "Tim Cook is the CEO of Apple, based in Cupertino. Email tim@apple.com for details."
V1_LABELS = ["person", "organization", "location", "email"]


def v1_folder(name):
    return require_shared_file(os.path.join(SHARED_DIR, "reference", "parity_v1", name))


def snapshot_files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if not p.is_dir())


@pytest.mark.needs_shared
def test_gliner_v1_repositories_download_and_load_in_python(hub, tmp_path, monkeypatch):
    from python_package_support import spanguard_package
    sg = spanguard_package()
    # token_v1 as many published v1 models are: pytorch_model.bin only, both tokenizer forms,
    # and files the engine does not read.
    token_v1 = v1_folder("token_v1")
    files = {n: open(os.path.join(token_v1, n), "rb").read() for n in os.listdir(token_v1)
             if n != "model.safetensors"}
    files.update({"README.md": b"# tiny v1\n", ".gitattributes": b"*.bin filter=lfs\n",
                  "onnx/model.onnx": b"x" * 1000})
    repo = hub.add_repo(V1_REPO, files)
    for k in [k for k in os.environ if k.startswith(("HF_", "HUGGING"))]:
        monkeypatch.delenv(k)
    for k, v in env_for(hub, tmp_path).items():
        if k.startswith("HF_"):
            monkeypatch.setenv(k, v)

    model = sg.GLiNER.from_pretrained(V1_REPO)
    snapshot = cache_folder(tmp_path, V1_REPO) / "snapshots" / repo.commit
    assert model.directory == str(snapshot)
    assert model.span_mode == "token_level"
    # The weights (the pickle, read as data), one tokenizer form and the two small tokenizer
    # files upstream's loader also reads; no README, ONNX export, spm.model or added_tokens.json.
    assert snapshot_files(snapshot) == ["gliner_config.json", "pytorch_model.bin",
                                        "special_tokens_map.json", "tokenizer.json",
                                        "tokenizer_config.json"]
    sha = hashlib.sha256(files["pytorch_model.bin"]).hexdigest()
    assert os.readlink(snapshot / "pytorch_model.bin") == os.path.join("..", "..", "blobs", sha)
    # The pickle holds the same (F16) tensors as the folder's model.safetensors.
    local = sg.GLiNER.from_pretrained(token_v1)
    want = local.predict_entities(V1_TEXT, V1_LABELS, threshold=0.3)
    assert want and model.predict_entities(V1_TEXT, V1_LABELS, threshold=0.3) == want

    # An alias names the published repository; cache_dir= puts it elsewhere; model.safetensors
    # is preferred when a repository has both weights files.
    span_v1 = v1_folder("span_v1")
    published = hub.add_folder("urchade/gliner_multi_pii-v1", span_v1, extra={
        "pytorch_model.bin": open(os.path.join(token_v1, "pytorch_model.bin"), "rb").read()})
    own = tmp_path / "own-cache"
    pii = sg.GLiNER.from_pretrained("gliner-multi-pii", cache_dir=own)
    pii_snapshot = own / "models--urchade--gliner_multi_pii-v1" / "snapshots" / published.commit
    assert pii.directory == str(pii_snapshot)
    assert snapshot_files(pii_snapshot) == ["gliner_config.json", "model.safetensors",
                                            "special_tokens_map.json", "tokenizer.json",
                                            "tokenizer_config.json"]
    assert pii.predict_entities(V1_TEXT, V1_LABELS) == \
        sg.GLiNER.from_pretrained(span_v1).predict_entities(V1_TEXT, V1_LABELS)
    assert not cache_folder(tmp_path, "urchade/gliner_multi_pii-v1").exists()

    # revision=, token= and their errors.
    assert sg.GLiNER.from_pretrained(V1_REPO, revision=repo.commit).directory == str(snapshot)
    with pytest.raises(OSError, match=f"no revision 'v9' in {V1_REPO}"):
        sg.GLiNER.from_pretrained(V1_REPO, revision="v9")
    hub.add_folder("acme/private-v1", span_v1, token="s3cret")
    with pytest.raises(OSError, match="401 Unauthorized"):
        sg.GLiNER.from_pretrained("acme/private-v1")
    assert sg.GLiNER.from_pretrained("acme/private-v1", token="s3cret").span_mode == "markerV0"
    # A GLiNER2 repository is refused by name.
    with pytest.raises(OSError, match="not a GLiNER v1 checkpoint"):
        sg.GLiNER.from_pretrained(REPO)
    hub.add_repo("acme/v1-without-weights", {"gliner_config.json": files["gliner_config.json"],
                                             "tokenizer.json": files["tokenizer.json"]})
    with pytest.raises(OSError, match="acme/v1-without-weights is not a GLiNER v1 checkpoint: "
                                      r"it has no model.safetensors \(or pytorch_model.bin\)"):
        sg.GLiNER.from_pretrained("acme/v1-without-weights")

    # The server gone: the cache serves, also with local_files_only; the CLI lists the aliases.
    hub.stop()
    again = sg.GLiNER.from_pretrained(V1_REPO, local_files_only=True)
    assert again.predict_entities(V1_TEXT, V1_LABELS, threshold=0.3) == want
    assert sg.GLiNER.from_pretrained(V1_REPO).directory == str(snapshot)
    with pytest.raises(OSError, match="local files only and the model is not in the cache"):
        sg.GLiNER.from_pretrained("acme/never-fetched", local_files_only=True)
    listed = subprocess.run([spanguard_binary(), "models"], stdout=subprocess.PIPE,
                            env=env_for(hub, tmp_path), check=True).stdout.decode()
    assert "gliner-multi-pii" in listed and "urchade/gliner_multi_pii-v1" in listed
    assert "GLiNER v1 models find entity types only" in listed and V1_REPO in listed
