"""Masked-language modelling on plain English text: the objective that teaches the encoder English
words, names and phrasing beyond the task data's templates.

It runs alone (pretraining, every task weight 0) or beside the GLiNER2 task losses (an auxiliary
loss weighted by --w-mlm, so a warm-started model keeps its tasks while it reads general text).

The head is DeBERTa-v2's: dense H -> H, GELU, LayerNorm, then the word-embedding matrix (tied) plus a
bias over the vocabulary. Its weights exist only during training (saved in train_state.pt, never
exported: a GLiNER2 folder has no MLM head).

Masking follows BERT: 15 % of the text pieces are chosen; of those 80 % become [MASK], 10 % a
random text piece, 10 % stay. Only chosen positions are scored, so the vocabulary projection costs
15 % of a full one.
"""

import lzma
import os
import random

import torch
import torch.nn.functional as F

from . import sources
from .model import NamedParameters

CLS_ID, SEP_ID = 1, 2  # DeBERTa-v3 SentencePiece control pieces ([PAD] 0, [CLS] 1, [SEP] 2, [UNK] 3)
FIRST_TEXT_ID = 4
MASK_RATE = 0.15
MIN_PARAGRAPH_CHARS = 40


def default_text_files(shared):
    """Training text: Gutenberg parts 01-03. Part 04 and the WordNet glosses are left out because
    the length-balanced moderation test set (mod_length.py, split "test") takes its benign book
    and glossary texts from them, and reading a test set's texts, even without labels, would let
    the model see it before it is judged on it; part 05 is held out for the MLM figures."""
    d = os.path.join(shared, "datasets", "pretrain_text")
    return [os.path.join(d, f"gut_part0{i}.txt.xz") for i in range(1, 4)]


def heldout_text_files(shared):
    return [os.path.join(shared, "datasets", "pretrain_text", "gut_part05.txt.xz")]


def read_paragraphs(path):
    """A text file (plain or .xz) -> paragraphs of at least MIN_PARAGRAPH_CHARS characters with
    their line breaks joined. Blank lines separate paragraphs; in a .tsv (the WordNet glosses)
    every line is one, its tab-separated fields joined by ': '."""
    try:
        with sources.open_text(path) as f:
            text = f.read()
    except (OSError, lzma.LZMAError, UnicodeDecodeError) as e:
        raise ValueError(f"{path}: cannot read MLM text: {e}") from e
    if ".tsv" in os.path.basename(path):
        chunks = [": ".join(p for p in line.split("\t")[1:] if p) or line
                  for line in text.split("\n")]
    else:
        chunks = text.split("\n\n")
    out = []
    for c in chunks:
        c = " ".join(c.split())
        if len(c) >= MIN_PARAGRAPH_CHARS:
            out.append(c)
    return out


class MlmCorpus:
    """Samples training sequences: a random paragraph and the ones after it, encoded by the
    model's SentencePiece and cut to seq_len pieces including [CLS] and [SEP]."""

    def __init__(self, files, sp, seq_len, seed):
        if seq_len < 8:
            raise ValueError(f"MLM sequence length {seq_len}: need at least 8 pieces")
        self.paragraphs = []
        for path in files:
            self.paragraphs.extend(read_paragraphs(path))
        if not self.paragraphs:
            raise ValueError(f"no paragraph of >= {MIN_PARAGRAPH_CHARS} characters in {files}")
        self.sp = sp
        self.seq_len = seq_len
        self.n_text = sp.get_piece_size()
        self.rng = random.Random(seed)

    def sequence(self):
        i = self.rng.randrange(len(self.paragraphs))
        ids = []
        room = self.seq_len - 2
        while len(ids) < room and i < len(self.paragraphs):
            ids.extend(self.sp.encode(self.paragraphs[i]))
            i += 1
        return [CLS_ID] + ids[:room] + [SEP_ID]

    def batch(self, size, mask_id):
        """-> (input ids [B, S], attention mask [B, S], labels [B, S] with -100 where unscored)."""
        seqs = [self.sequence() for _ in range(size)]
        S = max(len(s) for s in seqs)
        ids = torch.zeros(size, S, dtype=torch.int64)
        att = torch.zeros(size, S, dtype=torch.int64)
        labels = torch.full((size, S), -100, dtype=torch.int64)
        for b, s in enumerate(seqs):
            n = len(s)
            att[b, :n] = 1
            row = list(s)
            for p in range(1, n - 1):
                # [UNK] (a character outside the vocabulary) is context, never a target.
                if s[p] < FIRST_TEXT_ID or self.rng.random() >= MASK_RATE:
                    continue
                labels[b, p] = s[p]
                r = self.rng.random()
                if r < 0.8:
                    row[p] = mask_id
                elif r < 0.9:
                    row[p] = self.rng.randrange(FIRST_TEXT_ID, self.n_text)
            ids[b, :n] = torch.tensor(row)
        return ids, att, labels


def head_weights(hidden, vocab, seed):
    gen = torch.Generator().manual_seed(seed)
    return {"mlm_head.dense.weight": torch.randn(hidden, hidden, generator=gen) * 0.02,
            "mlm_head.dense.bias": torch.zeros(hidden),
            "mlm_head.LayerNorm.weight": torch.ones(hidden),
            "mlm_head.LayerNorm.bias": torch.zeros(hidden),
            "mlm_head.decoder.bias": torch.zeros(vocab)}


class MlmHead(NamedParameters):
    def __init__(self, weights, eps):
        super().__init__(weights)
        self.eps = eps

    def logits(self, hidden, word_embeddings):
        """hidden [N, H] of the scored positions -> logits [N, vocab]."""
        p = self.params
        x = F.gelu(F.linear(hidden, p["mlm_head.dense.weight"], p["mlm_head.dense.bias"]))
        x = F.layer_norm(x, x.shape[-1:], p["mlm_head.LayerNorm.weight"],
                         p["mlm_head.LayerNorm.bias"], self.eps)
        return F.linear(x, word_embeddings, p["mlm_head.decoder.bias"])


def mlm_loss(model, head, ids, att, labels):
    """-> (mean cross-entropy over the scored positions, their count, number correct)."""
    dev = next(model.parameters()).device
    hidden = model.encode(ids.to(dev), att.to(dev))
    labels = labels.to(dev)
    scored = labels >= 0
    logits = head.logits(hidden[scored], model.params["encoder.embeddings.word_embeddings.weight"])
    gold = labels[scored]
    if gold.numel() == 0:
        return hidden.new_zeros(()), 0, 0
    loss = F.cross_entropy(logits, gold)
    correct = int((logits.argmax(-1) == gold).sum())
    return loss, int(gold.numel()), correct


@torch.no_grad()
def evaluate(model, head, corpus, mask_id, batches=20, batch_size=8):
    """Held-out masked-piece loss and accuracy on `batches` fixed batches (the corpus' rng is
    reseeded, so every call scores the same pieces)."""
    corpus.rng = random.Random(0)
    tot_loss, tot_n, tot_ok = 0.0, 0, 0
    for _ in range(batches):
        ids, att, labels = corpus.batch(batch_size, mask_id)
        loss, n, ok = mlm_loss(model, head, ids, att, labels)
        tot_loss += float(loss) * n
        tot_n += n
        tot_ok += ok
    return tot_loss / max(1, tot_n), tot_ok / max(1, tot_n)
