#!/usr/bin/env python3
"""A whole default-model training run on a lent GPU machine, in one call of under 10 minutes.

The GPU machine has PyTorch and sentencepiece but not this repository's data, reaches no network
and sends back at most 8 files of 16 MiB. So the run is prepared here, carried in an ignored
folder of at most 64 MiB with the working tree, and its result comes back in pieces:

1. here:  /usr/bin/python3 python/tools/gpu_training_run.py pack --data build-model/td6 \\
              --spm data/models/spanguard-small-v1/spm.model --out gpu-run
   writes gpu-run/: the training pools (xz), plain English text for masked-language modelling
   (Gutenberg parts 01-03 of pretrain_text, part 05 held out), the moderation task
   definitions, the SentencePiece model and PACK.json (what is inside, sizes, sources).
2. there (the device tool's `run`, carry ["gpu-run"], timeout_s 590):
       PYTHONUNBUFFERED=1 python3 python/tools/gpu_training_run.py run --pack gpu-run
   pretrains a new encoder with MLM alone (--pretrain-minutes), then trains the GLiNER2 tasks
   from it with MLM beside them (--task-minutes), and writes to $OUT the exported model
   (model.safetensors in parts of at most 15 MiB, the other files in one tar) and both logs.
3. here:  /usr/bin/python3 python/tools/gpu_training_run.py unpack --files DIR --out build-model/gpu1
   reassembles the model folder from the returned files; evaluate it with
   evaluate_default_model.py --dev before anything ships (MODEL_CARD.md).

The default shape (hidden 256, 6 layers, 4 heads, FFN 1024, the 8k vocabulary) is the size the
default model's plan names; every training option of train_default_model.py can be changed with
--pretrain-args / --task-args.
"""

import argparse
import hashlib
import json
import lzma
import os
import shutil
import sys
import tarfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

PACK_LIMIT = 48 << 20  # the working tree (~15 MB) travels too, 64 MiB in all
PART_BYTES = 15 << 20  # files come back at most 16 MiB each
# Not gut_part04 or the WordNet glosses: the length-balanced moderation test set takes benign texts
# from them (spanguard_train/mlm.py, default_text_files).
TEXT_FILES = ("gut_part01.txt.xz", "gut_part02.txt.xz", "gut_part03.txt.xz")
HELDOUT_TEXT = "gut_part05.txt.xz"
# Weights of the task pools, as the fifth CPU run used them (MODEL_CARD.md, "Fifth run").
TASK_WEIGHTS = ["--w-pii", "0.36", "--w-prose", "0.18", "--w-ner", "0.04", "--w-cls", "0.04",
                "--w-mod", "0.12", "--w-contrast", "0.14", "--w-length", "0.12"]
NO_TASKS = ["--w-pii", "0", "--w-ner", "0", "--w-cls", "0", "--w-mod", "0"]
SMALL_FILES = ("config.json", "encoder_config/config.json", "spm.model", "added_tokens.json",
               "tokenizer_config.json", "special_tokens_map.json")


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def pack(a):
    from spanguard_train import sources, train
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    os.makedirs(os.path.join(a.out, "data"))
    os.makedirs(os.path.join(a.out, "text"))
    files = {}
    for pool in train.POOLS:
        src = os.path.join(a.data, f"{pool}_train.jsonl")
        dst = os.path.join(a.out, "data", f"{pool}_train.jsonl.xz")
        with open(src, "rb") as f, lzma.open(dst, "wb", preset=9) as g:
            shutil.copyfileobj(f, g)
        files[dst] = src
    text_dir = os.path.join(a.shared, "datasets", "pretrain_text")
    for name in TEXT_FILES + (HELDOUT_TEXT,):
        dst = os.path.join(a.out, "text", name)
        shutil.copyfile(os.path.join(text_dir, name), dst)
        files[dst] = os.path.join(text_dir, name)
    with open(os.path.join(a.out, "guard.json"), "w", encoding="utf-8") as f:
        json.dump(sources.guard_tasks(a.shared), f, indent=1)
    files[os.path.join(a.out, "guard.json")] = "sources.guard_tasks(--shared)"
    shutil.copyfile(a.spm, os.path.join(a.out, "spm.model"))
    files[os.path.join(a.out, "spm.model")] = a.spm
    total = sum(os.path.getsize(p) for p in files)
    manifest = {"made": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "bytes": total,
                "files": {os.path.relpath(p, a.out): {"bytes": os.path.getsize(p),
                                                       "sha256": sha256(p), "from": src}
                          for p, src in sorted(files.items())}}
    with open(os.path.join(a.out, "PACK.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1)
    print(f"{a.out}: {len(files)} files, {total / 2**20:.1f} MiB")
    if total > PACK_LIMIT:
        raise SystemExit(f"{a.out} is {total / 2**20:.1f} MiB: over the {PACK_LIMIT >> 20} MiB "
                         "that may travel beside the working tree; carry less text")


def check_pack(folder):
    """Every file PACK.json lists is there with its checksum (a truncated transfer fails here,
    not minutes into the run)."""
    with open(os.path.join(folder, "PACK.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    for rel, info in manifest["files"].items():
        path = os.path.join(folder, rel)
        if not os.path.exists(path) or sha256(path) != info["sha256"]:
            raise SystemExit(f"{path}: missing or not the file PACK.json describes")


def run(a):
    import torch
    import train_default_model
    from spanguard_train import train

    check_pack(a.pack)
    out = a.out or os.environ.get("OUT") or os.path.join(a.pack, "out")
    # Not under $OUT: everything there is sent back, at most 8 files.
    work = a.work or os.path.join(a.pack, "work")
    os.makedirs(work, exist_ok=True)
    print(f"torch {torch.__version__}, device {a.device}"
          + (f" ({torch.cuda.get_device_name(0)})" if a.device.startswith("cuda") else ""))
    text = ",".join(os.path.join(a.pack, "text", n) for n in TEXT_FILES)
    common = ["--data", os.path.join(a.pack, "data"), "--spm", os.path.join(a.pack, "spm.model"),
              "--guard", os.path.join(a.pack, "guard.json"), "--device", a.device,
              "--threads", str(a.threads), "--mlm-text", text,
              "--mlm-heldout", os.path.join(a.pack, "text", HELDOUT_TEXT),
              "--hidden", str(a.hidden), "--layers", str(a.layers), "--heads", str(a.heads),
              "--ffn", str(a.ffn), "--save-minutes", "1000"]
    pretrained = os.path.join(work, "pretrained")
    stages = [
        ("pretrain", common + NO_TASKS + [
            "--w-mlm", "1", "--work", os.path.join(work, "pretrain"), "--out", pretrained,
            "--max-minutes", str(a.pretrain_minutes), "--lr", "5e-4", "--warmup-steps", "300",
            "--mlm-batch", "64", "--log-every", "100"] + a.pretrain_args.split()),
        ("tasks", common + TASK_WEIGHTS + [
            "--w-mlm", "0.2", "--init-from", pretrained, "--work", os.path.join(work, "tasks"),
            "--out", os.path.join(work, "model"), "--max-minutes", str(a.task_minutes),
            "--lr", "3e-4", "--warmup-steps", "200", "--batch-size", "16", "--mlm-batch", "16",
            "--log-every", "50"] + a.task_args.split()),
    ]
    for name, argv in stages:
        print(f"== {name}: train_default_model.py {' '.join(argv)}", flush=True)
        args = train_default_model.parse_args(argv)
        with open(args.guard, encoding="utf-8") as f:
            guard = json.load(f)
        train.train(args, guard)
    send_back(os.path.join(work, "model"), work, out)


def send_back(model, work, out):
    """The model folder and logs as at most 8 files of at most 15 MiB, 1 folder deep."""
    os.makedirs(out, exist_ok=True)
    with tarfile.open(os.path.join(out, "model_small_files.tar"), "w") as tar:
        for rel in SMALL_FILES:
            tar.add(os.path.join(model, rel), arcname=rel)
    weights = os.path.join(model, "model.safetensors")
    with open(weights, "rb") as f:
        part = 0
        while True:
            block = f.read(PART_BYTES)
            if not block:
                break
            with open(os.path.join(out, f"model.safetensors.part{part}"), "wb") as g:
                g.write(block)
            part += 1
    if part > 5:
        raise SystemExit(f"{weights}: {part} parts; only 5 fit beside the tar and the logs")
    for stage in ("pretrain", "tasks"):
        shutil.copyfile(os.path.join(work, stage, "train_log.txt"),
                        os.path.join(out, f"{stage}_log.txt"))
    print(f"sent back: {sorted(os.listdir(out))}")


def unpack(a):
    parts = sorted((n for n in os.listdir(a.files) if n.startswith("model.safetensors.part")),
                   key=lambda n: int(n.rsplit("part", 1)[1]))
    if not parts:
        raise SystemExit(f"{a.files}: no model.safetensors.part* files")
    os.makedirs(a.out, exist_ok=True)
    with tarfile.open(os.path.join(a.files, "model_small_files.tar")) as tar:
        for member in tar.getmembers():
            if member.name not in SMALL_FILES or not member.isfile():
                raise SystemExit(f"{a.files}/model_small_files.tar: unexpected entry "
                                 f"{member.name!r}")
        tar.extractall(a.out, members=tar.getmembers())
    with open(os.path.join(a.out, "model.safetensors"), "wb") as g:
        for n in parts:
            with open(os.path.join(a.files, n), "rb") as f:
                shutil.copyfileobj(f, g)
    for log in ("pretrain_log.txt", "tasks_log.txt"):
        if os.path.exists(os.path.join(a.files, log)):
            shutil.copyfile(os.path.join(a.files, log), os.path.join(a.out, log))
    print(f"{a.out}: model folder from {len(parts)} parts")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pack", help="prepare the folder the GPU run carries (here)")
    p.add_argument("--data", required=True, help="make_training_data.py output")
    p.add_argument("--spm", required=True)
    p.add_argument("--shared", default="/work/shared")
    p.add_argument("--out", default="gpu-run")
    r = sub.add_parser("run", help="the training run (on the GPU machine)")
    r.add_argument("--pack", default="gpu-run")
    r.add_argument("--out", default="", help="default: $OUT, else <pack>/out")
    r.add_argument("--work", default="", help="checkpoints and exports; default: <pack>/work")
    r.add_argument("--device", default="cuda")
    r.add_argument("--threads", type=int, default=8, help="CPU threads (example building)")
    r.add_argument("--pretrain-minutes", type=float, default=3.5)
    r.add_argument("--task-minutes", type=float, default=4.0)
    r.add_argument("--hidden", type=int, default=256)
    r.add_argument("--layers", type=int, default=6)
    r.add_argument("--heads", type=int, default=4)
    r.add_argument("--ffn", type=int, default=1024)
    r.add_argument("--pretrain-args", default="", help="extra train_default_model.py options")
    r.add_argument("--task-args", default="", help="extra train_default_model.py options")
    u = sub.add_parser("unpack", help="rebuild the model folder from the returned files (here)")
    u.add_argument("--files", required=True, help="the folder the device tool returned")
    u.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    {"pack": pack, "run": run, "unpack": unpack}[a.command](a)


if __name__ == "__main__":
    main()
