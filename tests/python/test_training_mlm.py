"""Masked-language modelling for the default model (python/spanguard_train/mlm.py):

* paragraphs are read from plain, .xz and .tsv text, short ones dropped, unreadable files named;
* a batch wraps each sequence in [CLS] ... [SEP], scores about 15 % of the text pieces and never
  the control pieces, and replaces most scored pieces by [MASK] (BERT's 80/10/10 rule);
* pure MLM training of a tiny encoder lowers the held-out masked-piece loss far below chance,
  resumes with its head and corpus position, refuses to resume a state saved without MLM, and
  exports a GLiNER2 folder without the training-only head;
* MLM beside the task losses trains both.
"""

import json
import lzma
import math
import os
import random
import sys

import pytest
import sentencepiece
import torch

SOURCE_DIR = os.environ.get("SPANGUARD_SOURCE_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, os.path.join(SOURCE_DIR, "python"))
sys.path.insert(0, os.path.join(SOURCE_DIR, "python", "tools"))

from spanguard_train import export, mlm, pii_synth, train  # noqa: E402
import train_default_model  # noqa: E402

SPM = os.path.join(SOURCE_DIR, "data", "models", "spanguard-small-v1", "spm.model")
TINY = ["--hidden", "32", "--layers", "2", "--heads", "1", "--ffn", "64",
        "--position-buckets", "32"]
NO_TASKS = ["--w-pii", "0", "--w-ner", "0", "--w-cls", "0", "--w-mod", "0"]
SENTENCES = [
    "The old sailor walked along the harbour and looked at the ships that came in from the sea.",
    "In the morning the children went to school, and their mother worked in the garden.",
    "She wrote a long letter to her brother, who lived in a small town far to the north.",
    "The farmer sold his horses at the market and bought a new plough for the spring.",
]


def write_corpus(path, paragraphs):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n\n".join(paragraphs) + "\n")


@pytest.fixture
def corpus_files(tmp_path):
    rng = random.Random(5)
    train_file = tmp_path / "train.txt"
    write_corpus(train_file, [" ".join(rng.choice(SENTENCES) for _ in range(3))
                              for _ in range(200)])
    held = tmp_path / "held.txt"
    write_corpus(held, [" ".join(rng.choice(SENTENCES) for _ in range(3)) for _ in range(40)])
    return str(train_file), str(held)


def test_paragraphs_from_plain_xz_and_tsv_text(tmp_path):
    long_a = "A paragraph that is long enough to be kept for training,\nover two lines."
    plain = tmp_path / "a.txt"
    plain.write_text(long_a + "\n\nToo short.\n\n" + "Another paragraph of plenty characters here.")
    assert mlm.read_paragraphs(str(plain)) == [
        "A paragraph that is long enough to be kept for training, over two lines.",
        "Another paragraph of plenty characters here."]
    packed = tmp_path / "b.txt.xz"
    with lzma.open(packed, "wt", encoding="utf-8") as f:
        f.write(long_a)
    assert mlm.read_paragraphs(str(packed)) == [" ".join(long_a.split())]
    tsv = tmp_path / "glosses.tsv"
    tsv.write_text("dog.n.01\ta member of the genus Canis\tthe dog barked all night long\n"
                   "x\tshort\n")
    assert mlm.read_paragraphs(str(tsv)) == [
        "a member of the genus Canis: the dog barked all night long"]
    broken = tmp_path / "c.txt.xz"
    broken.write_bytes(b"not xz at all")
    with pytest.raises(ValueError, match="c.txt.xz: cannot read MLM text"):
        mlm.read_paragraphs(str(broken))


def test_batch_masks_like_bert_and_never_scores_control_pieces(corpus_files):
    sp = sentencepiece.SentencePieceProcessor(model_file=SPM)
    corpus = mlm.MlmCorpus([corpus_files[0]], sp, 64, seed=3)
    mask_id = export.added_tokens(sp.get_piece_size())["[MASK]"]
    ids, att, labels = corpus.batch(64, mask_id)
    assert ids.shape == att.shape == labels.shape and ids.shape[1] <= 64
    lengths = att.sum(1)
    assert (ids[:, 0] == mlm.CLS_ID).all() and (labels[:, 0] == -100).all()
    for b, n in enumerate(lengths.tolist()):
        assert ids[b, n - 1] == mlm.SEP_ID and labels[b, n - 1] == -100
        assert (labels[b, n:] == -100).all() and (ids[b, n:] == 0).all()
    scored = labels >= 0
    text_pieces = int((lengths - 2).sum())
    assert 0.12 < int(scored.sum()) / text_pieces < 0.18
    masked = (ids[scored] == mask_id).float().mean()
    kept = (ids[scored] == labels[scored]).float().mean()
    assert 0.74 < float(masked) < 0.86 and 0.05 < float(kept) < 0.16
    assert int(labels[scored].min()) >= mlm.FIRST_TEXT_ID


def args_for(tmp_path, corpus_files, *extra):
    return train_default_model.parse_args(
        ["--data", str(tmp_path / "data"), "--spm", SPM, "--work", str(tmp_path / "work"),
         "--out", str(tmp_path / "model"), "--log-every", "5", "--lr", "3e-3",
         "--warmup-steps", "1", "--save-minutes", "100", "--threads", "1",
         "--mlm-text", corpus_files[0], "--mlm-heldout", corpus_files[1],
         "--mlm-seq-len", "48", "--mlm-batch", "8"] + TINY + list(extra))


def heldout_losses(log_text):
    return [float(x.split(",")[0]) for x in log_text.split("held-out MLM loss ")[1:]]


def test_pure_mlm_pretraining_learns_resumes_and_exports_without_head(tmp_path, corpus_files):
    (tmp_path / "data").mkdir()
    train.train(args_for(tmp_path, corpus_files, *NO_TASKS, "--w-mlm", "1",
                         "--max-steps", "60"), {})
    train.train(args_for(tmp_path, corpus_files, *NO_TASKS, "--w-mlm", "1",
                         "--max-steps", "70", "--resume"), {})
    log = (tmp_path / "work" / "train_log.txt").read_text()
    assert "mixture: none (MLM only)" in log
    assert "resumed at step 60" in log and "done: 70 steps" in log
    losses = heldout_losses(log)
    assert len(losses) == 2
    # Chance is ln(8011) = 8.99 nats; four sentences repeated are learnt far below it.
    assert losses[-1] < 0.6 * math.log(8011), losses
    state = torch.load(tmp_path / "work" / "train_state.pt", map_location="cpu")
    assert set(state["mlm_head"]) == {"mlm_head.dense.weight", "mlm_head.dense.bias",
                                      "mlm_head.LayerNorm.weight", "mlm_head.LayerNorm.bias",
                                      "mlm_head.decoder.bias"}
    with open(tmp_path / "model" / "model.safetensors", "rb") as f:
        header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
    assert "encoder.embeddings.word_embeddings.weight" in header
    assert not [k for k in header if "mlm" in k]


def test_resuming_a_state_without_mlm_is_refused(tmp_path, corpus_files):
    data = tmp_path / "data"
    data.mkdir()
    with open(data / "pii_train.jsonl", "w", encoding="utf-8") as f:
        for r in pii_synth.make_documents(6, 5, "train"):
            f.write(json.dumps(r) + "\n")
    only_pii = ["--w-pii", "1", "--w-ner", "0", "--w-cls", "0", "--w-mod", "0",
                "--batch-size", "2", "--pool-batches", "2"]
    train.train(args_for(tmp_path, corpus_files, *only_pii, "--max-steps", "2"), {})
    with pytest.raises(SystemExit, match="saved by a run without MLM"):
        train.train(args_for(tmp_path, corpus_files, *only_pii, "--w-mlm", "0.5",
                             "--max-steps", "4", "--resume"), {})
    # Beside a task, MLM logs both losses.
    train.train(args_for(tmp_path, corpus_files, *only_pii, "--w-mlm", "0.5", "--max-steps", "5",
                         "--work", str(tmp_path / "work2")), {})
    log = (tmp_path / "work2" / "train_log.txt").read_text()
    assert "mlm: weight 0.5" in log and " span " in log and " mlm " in log
    assert "done: 5 steps" in log


def test_nothing_to_train_is_an_error(tmp_path, corpus_files):
    (tmp_path / "data").mkdir()
    with pytest.raises(SystemExit, match="nothing to train"):
        train.train(args_for(tmp_path, corpus_files, *NO_TASKS, "--max-steps", "2"), {})
