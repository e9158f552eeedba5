"""The GLiNER2 span model: encoder + heads over a batch of ModelInputs (GLINER2.md §2.7, §3).

`GlinerModel.forward(inputs)` pads the batch (right, id 0, mask 0), runs the encoder once, and
returns, per input, one BlockOutput per task block:
  * classification blocks: the label logits;
  * other blocks: the predicted count and, when it is > 0, the span probabilities
    [count, children, text positions (choice prefix + words), max_width].
`on_encoder_call(input_ids, attention_mask, last_hidden_state)` may be set to observe every
encoder invocation (the parity tests record them).
"""

import dataclasses
from typing import Optional

import torch

from .deberta import DebertaV3Encoder
from .heads import Classifier, CountEmbedding, CountPredictor, SpanRepresentation
from .inputs import CLASSIFICATION


@dataclasses.dataclass
class BlockOutput:
    positions: object  # inputs.BlockPositions
    count: Optional[int] = None
    span_probs: Optional[torch.Tensor] = None
    class_logits: Optional[torch.Tensor] = None


class GlinerModel:
    def __init__(self, checkpoint, relative_positions="hf"):
        cfg, enc = checkpoint.config, checkpoint.encoder
        if cfg.token_pooling != "first":
            raise ValueError(f"token_pooling '{cfg.token_pooling}' is not implemented "
                             "(no known checkpoint uses it; 'first' is)")
        H = enc.hidden_size
        w = checkpoint.weights
        self.max_width = cfg.max_width
        self.encoder = DebertaV3Encoder(enc, w, relative_positions=relative_positions)
        self.span_rep = SpanRepresentation(w, H, cfg.max_width)
        self.count_pred = CountPredictor(w, H)
        self.count_embed = CountEmbedding(w, H, cfg.counting_layer)
        self.classifier = Classifier(w, H)
        self.on_encoder_call = None

    def encode(self, inputs):
        S = max(len(x.input_ids) for x in inputs)
        ids = torch.zeros(len(inputs), S, dtype=torch.int64)
        mask = torch.zeros(len(inputs), S, dtype=torch.int64)
        for b, x in enumerate(inputs):
            ids[b, :len(x.input_ids)] = torch.tensor(x.input_ids, dtype=torch.int64)
            mask[b, :len(x.input_ids)] = 1
        hidden = self.encoder(ids, mask)
        if self.on_encoder_call is not None:
            self.on_encoder_call(ids, mask, hidden)
        return hidden

    def heads(self, hidden, x):
        """hidden [S, H] of one input -> list of BlockOutput."""
        spans = None
        out = []
        for bp in x.blocks:
            prompt = hidden[bp.prompt_position]
            children = hidden[bp.child_positions]
            if bp.block.kind == CLASSIFICATION:
                out.append(BlockOutput(bp, class_logits=self.classifier(children)))
                continue
            count = self.count_pred(prompt)
            result = BlockOutput(bp, count=count)
            if count > 0:
                if spans is None:
                    spans = self.span_rep(hidden[x.text_positions])  # [N, K, H]
                fields = self.count_embed(children, count)  # [C, M, H]
                logits = torch.einsum("cmh,nkh->cmnk", fields, spans)
                result.span_probs = torch.sigmoid(logits)
            out.append(result)
        return out

    @torch.no_grad()
    def forward(self, inputs):
        hidden = self.encode(inputs)
        return [self.heads(hidden[b, :len(x.input_ids)], x) for b, x in enumerate(inputs)]
