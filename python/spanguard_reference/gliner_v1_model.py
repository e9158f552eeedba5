"""The GLiNER v1 forward pass (urchade/GLiNER 0.2.x, uni-encoder, span mode markerV0 or
token_level), eval mode, float32, from words to logits.

Steps, per batch of texts sharing one label list:
  * words: regex `\\w+(?:[-_]\\w+)*|\\S` (Python `re`, Unicode), with code-point offsets; at most
    max_len words (the rest is dropped with a UserWarning); a text without words becomes the one
    word "[PAD]" so that every text has at least one word position;
  * prompt: for each label "<<ENT>>", label; then "<<SEP>>"; then the text words. Every entry is
    ONE pre-split word for the tokenizer, even a label with spaces;
  * tokenizer: [CLS] + the pieces of each word, encoded alone + [SEP], word_ids recorded; right
    padding with id 0 (mask 0); no truncation;
  * encoder: DeBERTa-v3 (deberta.py), then the linear `token_rep_layer.projection` when GLiNER's
    hidden size differs from the encoder's (upstream creates that layer exactly then);
  * pooling: a text word's vector is its first piece's (a word without pieces keeps zeros); label
    vectors are the vectors at the <<ENT>> positions (or just after them, embed_ent_token false);
  * bidirectional LSTM over each text's words (its own length; padded word positions give 0);
  * markerV0: span (i, i+k), k < max_width, = out_project(relu([start_i ; end_(i+k)])); spans past
    the text are computed on (0, 0) as upstream does; logit = span . prompt_rep_layer(label);
    output [B, L, max_width, C];
  * token_level: logits out_mlp([t0 ; l0 ; t1 * l1]) for (t0, t1) = proj_token(word) and
    (l0, l1) = proj_label(label); output [3, B, L, C] (start, end, inside).
L is the largest word count of the batch. Tensor names are the upstream state-dict names. A label
or text containing the <<ENT>> marker itself is refused (upstream would score a different label
set than it reports).
"""

import dataclasses
import re
import warnings

import torch
import torch.nn.functional as F

from .checkpoint import CheckpointError, require
from .deberta import DebertaV3Encoder
from .tokenization import AddedTokenTokenizer

WORD_PATTERN = re.compile(r"\w+(?:[-_]\w+)*|\S")
EMPTY_TEXT_WORD = "[PAD]"
ENCODER_PREFIX = "token_rep_layer.bert_layer.model."


@dataclasses.dataclass(frozen=True)
class TextWords:
    words: tuple  # the word strings given to the tokenizer (("[PAD]",) for a text without words)
    starts: tuple  # code-point offsets into the text, half-open; empty for a text without words
    ends: tuple
    original_length: int  # word count before truncation

    @property
    def count(self):
        """Words of the text itself (0 for a text without words, which still has one position)."""
        return len(self.starts)


def split_words(text, max_len):
    """text -> TextWords: at most `max_len` words, warning as upstream when some are dropped."""
    matches = list(WORD_PATTERN.finditer(text))
    if len(matches) > max_len:
        warnings.warn(f"Sentence of length {len(matches)} has been truncated to {max_len}",
                      UserWarning, stacklevel=3)
    kept = matches[:max_len]
    if not kept:
        return TextWords((EMPTY_TEXT_WORD,), (), (), 0)
    return TextWords(tuple(m.group() for m in kept), tuple(m.start() for m in kept),
                     tuple(m.end() for m in kept), len(matches))


class V1Tokenizer(AddedTokenTokenizer):
    """Pre-split words -> ids, as the checkpoint's Hugging Face fast tokenizer does with
    is_split_into_words: each word alone, the added tokens (and the control pieces) cut out first,
    longest first, the plain segments encoded by SentencePiece (nmt_nfkc, whitespace stripped and
    collapsed, "▁" prefix, Unigram; a run of unknown characters is one [UNK])."""

    def __init__(self, spm_path, added_tokens):
        super().__init__(spm_path, added_tokens)
        for piece in ("[CLS]", "[SEP]"):
            if piece not in self.special:
                raise CheckpointError(f"{spm_path}: the SentencePiece model has no {piece} piece")
        self.cls_id = self.special["[CLS]"]
        self.sep_id = self.special["[SEP]"]

    def token_id(self, token):
        return self.special.get(token)

    def encode_words(self, words):
        """-> (input_ids, word_ids): [CLS] pieces... [SEP], word_ids None for [CLS]/[SEP]."""
        ids, word_ids = [self.cls_id], [None]
        for w, word in enumerate(words):
            pieces = self.encode(word)
            ids.extend(pieces)
            word_ids.extend([w] * len(pieces))
        ids.append(self.sep_id)
        word_ids.append(None)
        return ids, word_ids


def prompt_words(labels, ent_token, sep_token):
    words = []
    for label in labels:
        words += [ent_token, label]
    words.append(sep_token)
    return words


@dataclasses.dataclass
class ForwardTrace:
    """Everything one forward call computed, for layer-by-layer comparisons."""
    texts: list  # TextWords per text
    labels: list
    tokenizer_words: list  # per text: the pre-split word list given to the tokenizer
    word_ids: list  # per text: word_ids before padding (None for [CLS]/[SEP])
    input_ids: torch.Tensor  # int64 [B, S]
    attention_mask: torch.Tensor  # int64 [B, S]
    last_hidden_state: torch.Tensor  # [B, S, encoder hidden]: the encoder's output
    token_embeddings: torch.Tensor  # [B, S, H]: after the projection (if any)
    word_embeddings: torch.Tensor  # [B, L, H]: first-piece pooling
    word_mask: torch.Tensor  # bool [B, L]: positions that are words (incl. the "[PAD]" word)
    label_embeddings: torch.Tensor  # [B, C, H]
    rnn_output: torch.Tensor  # [B, L, H]: the LSTM's output (= word_embeddings without LSTM)
    logits: torch.Tensor  # span [B, L, max_width, C]; token [3, B, L, C]


def _mlp2(weights, prefix, d_in, d_hidden, d_out):
    """Linear(d_in, d_hidden), ReLU, (Dropout), Linear(d_hidden, d_out): indices 0 and 3."""
    return (require(weights, prefix + "0.weight", (d_hidden, d_in)),
            require(weights, prefix + "0.bias", (d_hidden,)),
            require(weights, prefix + "3.weight", (d_out, d_hidden)),
            require(weights, prefix + "3.bias", (d_out,)))


def _apply_mlp2(params, x):
    w0, b0, w3, b3 = params
    return F.linear(torch.relu(F.linear(x, w0, b0)), w3, b3)


class GlinerV1Model:
    def __init__(self, cfg, weights, tokenizer, relative_positions="hf"):
        self.cfg = cfg
        self.tokenizer = tokenizer
        enc = cfg.encoder
        H = cfg.hidden_size
        self.encoder = DebertaV3Encoder(enc, weights, prefix=ENCODER_PREFIX,
                                        relative_positions=relative_positions)
        self.projection = None
        if H != enc.hidden_size:
            # Upstream adds this layer exactly when the two sizes differ.
            self.projection = (
                require(weights, "token_rep_layer.projection.weight", (H, enc.hidden_size)),
                require(weights, "token_rep_layer.projection.bias", (H,)))
        self.lstm = None
        if cfg.has_rnn:
            self.lstm = torch.nn.LSTM(H, H // 2, num_layers=1, bidirectional=True,
                                      batch_first=True)
            for suffix in ("", "_reverse"):
                for kind, shape in (("weight_ih", (2 * H, H)), ("weight_hh", (2 * H, H // 2)),
                                    ("bias_ih", (2 * H,)), ("bias_hh", (2 * H,))):
                    name = f"{kind}_l0{suffix}"
                    getattr(self.lstm, name).data.copy_(require(weights, "rnn.lstm." + name,
                                                                shape))
            self.lstm.eval()
        if cfg.span_mode == "markerV0":
            p = "span_rep_layer.span_rep_layer."
            self.project_start = _mlp2(weights, p + "project_start.", H, 4 * H, H)
            self.project_end = _mlp2(weights, p + "project_end.", H, 4 * H, H)
            self.out_project = _mlp2(weights, p + "out_project.", 2 * H, 4 * H, H)
            self.prompt_rep = _mlp2(weights, "prompt_rep_layer.", H, 4 * H, H)
        else:
            self.proj_token = (require(weights, "scorer.proj_token.weight", (2 * H, H)),
                               require(weights, "scorer.proj_token.bias", (2 * H,)))
            self.proj_label = (require(weights, "scorer.proj_label.weight", (2 * H, H)),
                               require(weights, "scorer.proj_label.bias", (2 * H,)))
            self.out_mlp = _mlp2(weights, "scorer.out_mlp.", 3 * H, 4 * H, 3)
        self.ent_id = cfg.class_token_index

    # -----------------------------------------------------------------------------------------

    def tokenize(self, texts, labels):
        """texts: list of TextWords -> (tokenizer words, input_ids, word_ids) per text."""
        prompt = prompt_words(labels, self.cfg.ent_token, self.cfg.sep_token)
        words, ids, word_ids = [], [], []
        for t in texts:
            w = prompt + list(t.words)
            i, wi = self.tokenizer.encode_words(w)
            words.append(w)
            ids.append(i)
            word_ids.append(wi)
        return words, ids, word_ids

    def _pool(self, tokens, input_ids, word_ids, n_labels, texts):
        B, _, H = tokens.shape
        prompt_len = 2 * n_labels + 1
        L = max(len(t.words) for t in texts)
        words = tokens.new_zeros(B, L, H)
        word_mask = torch.zeros(B, L, dtype=torch.bool)
        for b, (t, wids) in enumerate(zip(texts, word_ids)):
            word_mask[b, :len(t.words)] = True
            seen = set()
            for pos, w in enumerate(wids):
                if w is None or w < prompt_len or w in seen:
                    continue
                seen.add(w)
                words[b, w - prompt_len] = tokens[b, pos]
        ent = input_ids == self.ent_id
        counts = ent.sum(dim=1).tolist()
        if any(c != n_labels for c in counts):
            # Only possible when a label or a text contains the marker itself; upstream would
            # then score a different set of labels than it reports.
            raise ValueError(f"found {counts} {self.cfg.ent_token} tokens per text for "
                             f"{n_labels} labels: labels and texts must not contain "
                             f"{self.cfg.ent_token!r}")
        label_rows = []
        for b in range(B):
            positions = ent[b].nonzero().flatten()
            if not self.cfg.embed_ent_token:
                positions = positions + 1  # the first piece of the label itself
            label_rows.append(tokens[b, positions])
        return words, word_mask, torch.stack(label_rows)

    def _rnn(self, words, word_mask):
        if self.lstm is None:
            return words
        lengths = word_mask.sum(dim=1)
        packed = torch.nn.utils.rnn.pack_padded_sequence(words, lengths, batch_first=True,
                                                         enforce_sorted=False)
        out, _ = self.lstm(packed)
        out, _ = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True,
                                                        total_length=words.shape[1])
        return out

    def _span_logits(self, words, n_words, labels):
        """words [B, L, H], n_words: positions per text (>= 1), labels [B, C, H]."""
        B, L, H = words.shape
        K = self.cfg.max_width
        start = _apply_mlp2(self.project_start, words)
        end = _apply_mlp2(self.project_end, words)
        i = torch.arange(L)[:, None].expand(L, K)
        j = i + torch.arange(K)[None, :]
        reps = []
        for b in range(B):
            valid = j < n_words[b]  # also false for every i past the text
            si = torch.where(valid, i, torch.zeros_like(i))
            ej = torch.where(valid, j, torch.zeros_like(j))
            reps.append(torch.cat([start[b][si], end[b][ej]], dim=-1))  # [L, K, 2H]
        spans = _apply_mlp2(self.out_project, torch.relu(torch.stack(reps)))
        queries = _apply_mlp2(self.prompt_rep, labels)
        return torch.einsum("blkh,bch->blkc", spans, queries)

    def _token_logits(self, words, labels):
        H = words.shape[-1]
        t = F.linear(words, *self.proj_token)  # [B, L, 2H]
        lab = F.linear(labels, *self.proj_label)  # [B, C, 2H]
        t0, t1 = t[..., None, :H], t[..., None, H:]  # [B, L, 1, H]
        l0, l1 = lab[:, None, :, :H], lab[:, None, :, H:]  # [B, 1, C, H]
        B, L, C = words.shape[0], words.shape[1], labels.shape[1]
        x = torch.cat([t0.expand(B, L, C, H), l0.expand(B, L, C, H), t1 * l1], dim=-1)
        return _apply_mlp2(self.out_mlp, x).permute(3, 0, 1, 2)  # [3, B, L, C]

    @torch.no_grad()
    def forward(self, texts, labels):
        """texts: list of TextWords; labels: list of label strings -> ForwardTrace."""
        if not labels:
            raise ValueError("at least one label is needed")
        words, ids, word_ids = self.tokenize(texts, labels)
        S = max(len(x) for x in ids)
        input_ids = torch.zeros(len(ids), S, dtype=torch.int64)
        mask = torch.zeros(len(ids), S, dtype=torch.int64)
        for b, x in enumerate(ids):
            input_ids[b, :len(x)] = torch.tensor(x, dtype=torch.int64)
            mask[b, :len(x)] = 1
        hidden = self.encoder(input_ids, mask)
        tokens = hidden if self.projection is None else F.linear(hidden, *self.projection)
        word_emb, word_mask, label_emb = self._pool(tokens, input_ids, word_ids, len(labels),
                                                    texts)
        rnn = self._rnn(word_emb, word_mask)
        if self.cfg.span_mode == "markerV0":
            logits = self._span_logits(rnn, [len(t.words) for t in texts], label_emb)
        else:
            logits = self._token_logits(rnn, label_emb)
        return ForwardTrace(list(texts), list(labels), words, word_ids, input_ids, mask, hidden,
                            tokens, word_emb, word_mask, label_emb, rnn, logits)
