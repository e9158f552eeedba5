"""A trainable GLiNER2 span model that *is* the reference model.

The reference (spanguard_reference.model.GlinerModel) is functional over a dict of tensors. Here
that dict holds torch.nn.Parameters, so the reference's own encoder and head code computes the
training forward pass and autograd differentiates it: training and inference cannot drift apart.
Tensor names are exactly the published state-dict names (export writes them unchanged).
"""

import math

import torch

from spanguard_reference.checkpoint import Checkpoint, EncoderConfig, GlinerConfig
from spanguard_reference.model import GlinerModel
from spanguard_reference.random_checkpoint import tensor_shapes

INIT_STD = 0.02
SPAN_PRIOR_LOGIT = -4.6  # sigmoid = 0.01


def init_weights(enc, counting_layer, seed):
    """Fresh float32 weights (BERT-style init: N(0, 0.02) matrices, zero biases, unit LayerNorm
    gains; GRU matrices uniform(+-1/sqrt(H)) as torch.nn.GRU does)."""
    gen = torch.Generator().manual_seed(seed)
    weights = {}
    H = enc.hidden_size
    for name, shape in tensor_shapes(enc, counting_layer).items():
        if "LayerNorm" in name or ".norm1." in name or ".norm2." in name:
            t = torch.ones(shape) if name.endswith(".weight") else torch.zeros(shape)
        elif ".gru." in name:
            bound = 1.0 / math.sqrt(H)
            t = (torch.rand(shape, generator=gen) * 2 - 1) * bound
        elif name.endswith("bias") or name.endswith("_bias"):
            t = torch.zeros(shape)
        else:
            t = torch.randn(shape, generator=gen) * INIT_STD
        weights[name] = t
    # Prior for the span scores (as RetinaNet's focal-loss prior): the span and field vectors
    # start with opposite bias directions so every initial logit is about SPAN_PRIOR_LOGIT.
    # Starting at logit 0 puts ~10^4 negatives per example at loss ln 2, and the first updates
    # then flatten the encoder (all outputs alike) to push every score down at once.
    e = torch.randn(H, generator=gen)
    e = e / e.norm()
    a = math.sqrt(-SPAN_PRIOR_LOGIT)
    weights["span_rep.span_rep_layer.out_project.3.bias"] = a * e
    last = ("count_embed.projector.2.bias" if counting_layer == "count_lstm"
            else "count_embed.transformer.out_projector.4.bias")
    weights[last] = -a * e
    return weights


def no_decay(name):
    """Biases and LayerNorm gains are not weight-decayed (decaying gains toward 0 helps the
    flattening failure above)."""
    return (name.endswith("bias") or "LayerNorm" in name or ".norm" in name
            or name.endswith("_l0") and "bias" in name)


class NamedParameters(torch.nn.Module):
    """float32 Parameters under dotted state-dict names: `params` maps each name to its
    Parameter. ParameterDict keys may not contain "."; each is registered under an escaped name so
    that .parameters() and optimizers see them."""

    def __init__(self, weights):
        super().__init__()
        self.names = list(weights)
        self.params = {}
        for name in self.names:
            p = torch.nn.Parameter(weights[name].detach().clone().float())
            self.register_parameter(name.replace(".", "__"), p)
            self.params[name] = p

    def weights(self):
        """name -> float32 tensor (detached), under the names given."""
        return {n: self.params[n].detach() for n in self.names}


class TrainableGliner(NamedParameters):
    def __init__(self, enc: EncoderConfig, gliner: GlinerConfig, weights):
        super().__init__(weights)
        self.enc, self.gliner_cfg = enc, gliner
        ck = Checkpoint(path="<training>", config=gliner, encoder=enc, weights=self.params)
        self.ref = GlinerModel(ck)

    def encode(self, ids, mask):
        return self.ref.encoder(ids, mask)

    def span_logits(self, hidden_row, x, block, count=1):
        """Logits [count, M, N, K] of an entity/structure block of one input."""
        children = hidden_row[block.child_positions]
        fields = self.ref.count_embed(children, count)
        spans = self.ref.span_rep(hidden_row[x.text_positions])
        return torch.einsum("cmh,nkh->cmnk", fields, spans)

    def count_logits(self, hidden_row, block):
        return self.ref.count_pred.logits(hidden_row[block.prompt_position])

    def class_logits(self, hidden_row, block):
        return self.ref.classifier(hidden_row[block.child_positions])

