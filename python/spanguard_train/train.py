"""The training loop: GLiNER2 losses, AdamW, a wall-clock time box, resumable checkpoints.

Losses (as in GLiNER2's span architecture, plus optional masked-language modelling, mlm.py):
  * span: binary cross-entropy over every valid (field, start word, width) score of the entity
    block's instance 0, summed over the grid and averaged over the batch's entity examples;
  * count: cross-entropy of the entity block's count logits against 1 (see batches.py);
  * classification: softmax cross-entropy for single-label tasks, masked sigmoid BCE (summed over
    the supervised labels) for multi-label tasks.
  * mlm: cross-entropy of the masked pieces of plain English text, weighted by --w-mlm; with every
    task weight 0 the run is pure MLM pretraining.
The learning rate warms up linearly, then decays linearly with the *elapsed fraction of the time
box* to 10% of the peak, so a run that is stopped at --max-minutes has annealed properly whatever
the machine's speed.
"""

import os
import random
import sys
import time

import torch
import torch.nn.functional as F

from spanguard_reference.checkpoint import EncoderConfig, GlinerConfig, load_checkpoint
from spanguard_reference.tokenization import GlinerTokenizer

from . import batches, export, mlm, sources
from .model import TrainableGliner, init_weights, no_decay


def _log(log, msg):
    print(msg, flush=True)
    if log is not None:
        log.write(msg + "\n")
        log.flush()


def example_loss(model, hidden_row, ex):
    """-> (span loss, count loss, cls loss) tensors (0 where not applicable), on the device of
    hidden_row (examples are built on the CPU)."""
    dev = hidden_row.device
    zero = hidden_row.new_zeros(())
    span_l, count_l, cls_l = zero, zero, zero
    for bp, cls in zip([b for b in ex.x.blocks if batches.is_classification(b)], ex.cls):
        logits = model.class_logits(hidden_row, bp)
        multi, target, mask = cls
        target = target.to(dev)
        if multi:
            mask = mask.to(dev)
            bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
            cls_l = cls_l + (bce * mask).sum()
        else:
            cls_l = cls_l + F.cross_entropy(logits[None], target[None])
    if ex.spans is not None:
        bp = ex.x.blocks[0]
        count_l = F.cross_entropy(model.count_logits(hidden_row, bp)[None],
                                  torch.tensor([1], device=dev))
        logits = model.span_logits(hidden_row, ex.x, bp)[0]  # [M, N, K]
        M, N, K = logits.shape
        target = torch.zeros(M, N, K)
        for m, i, j in ex.spans:
            target[m, i, j - i] = 1.0
        target = target.to(dev)
        valid = (torch.arange(N, device=dev)[:, None] + torch.arange(K, device=dev)[None, :]) < N
        bce = F.binary_cross_entropy_with_logits(logits, target, reduction="none")
        span_l = (bce * valid[None].float()).sum()
    return span_l, count_l, cls_l


def batch_loss(model, exs, span_weight=1.0):
    ids, mask = batches.pad(exs)
    dev = next(model.parameters()).device
    hidden = model.encode(ids.to(dev), mask.to(dev))
    tot = {"span": 0.0, "count": 0.0, "cls": 0.0}
    n_ent = max(1, sum(e.spans is not None for e in exs))
    n_cls = max(1, sum(bool(e.cls) for e in exs))
    loss = hidden.new_zeros(())
    for b, e in enumerate(exs):
        s, c, k = example_loss(model, hidden[b, :len(e.x.input_ids)], e)
        loss = loss + span_weight * s / n_ent + c / n_ent + k / n_cls
        tot["span"] += float(s) / n_ent
        tot["count"] += float(c) / n_ent
        tot["cls"] += float(k) / n_cls
    return loss, tot, int(mask.sum())


def lr_at(args, step, frac):
    warm = min(1.0, (step + 1) / args.warmup_steps)
    decay = 1.0 - 0.9 * min(1.0, frac)
    return args.lr * warm * decay


POOLS = ("pii", "ner", "cls", "mod", "pii_prose", "mod_contrast", "mod_length")
# Weight argument of each pool (args.w_*).
POOL_WEIGHTS = {"pii": "w_pii", "ner": "w_ner", "cls": "w_cls", "mod": "w_mod",
                "pii_prose": "w_prose", "mod_contrast": "w_contrast", "mod_length": "w_length"}


def load_pools(data_dir, wanted=POOLS):
    """{pool: records} for the pools in `wanted`; a wanted pool's file must exist, as
    <pool>_train.jsonl or xz-compressed as <pool>_train.jsonl.xz (how a GPU run carries them)."""
    def read(name):
        path = os.path.join(data_dir, name)
        if not os.path.exists(path) and os.path.exists(path + ".xz"):
            path += ".xz"
        return sources.read_jsonl(path)
    return {k: read(f"{k}_train.jsonl") for k in wanted}


def build_model(args, n_pieces):
    enc = EncoderConfig(hidden_size=args.hidden, num_hidden_layers=args.layers,
                        num_attention_heads=args.heads, intermediate_size=args.ffn,
                        vocab_size=n_pieces + 11, max_position_embeddings=512,
                        position_buckets=args.position_buckets)
    gcfg = GlinerConfig(max_width=args.max_width, counting_layer="count_lstm")
    return TrainableGliner(enc, gcfg, init_weights(enc, "count_lstm", args.seed))


def init_from(model, path):
    """Copies the weights of the GLiNER2 folder `path` into `model` (same architecture and
    vocabulary size required): a warm start that keeps what an earlier run learned."""
    ck = load_checkpoint(path)
    for n, p in model.params.items():
        if n not in ck.weights or tuple(ck.weights[n].shape) != tuple(p.shape):
            got = tuple(ck.weights[n].shape) if n in ck.weights else "missing"
            raise ValueError(f"{path}: tensor {n} is {got}, the model needs {tuple(p.shape)}")
        p.data.copy_(ck.weights[n])


def make_batch(mixture, tokenizer, guard, rng, args):
    """A pool of candidates sorted by length, cut into batches of similar length: returns one
    list of batches (less padding on 2 cores)."""
    exs = [batches.make_example(tokenizer, mixture.sample(), rng, guard, args.max_width)
           for _ in range(args.batch_size * args.pool_batches)]
    exs.sort(key=lambda e: len(e.x.input_ids))
    out = [exs[i:i + args.batch_size] for i in range(0, len(exs), args.batch_size)]
    rng.shuffle(out)
    return out


def resolve_device(name):
    """--device -> torch.device; a clear error when CUDA is asked for but absent."""
    device = torch.device(name)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit(f"--device {name}: this PyTorch ({torch.__version__}) sees no CUDA "
                         "device; use --device cpu")
    if device.type not in ("cpu", "cuda"):
        raise SystemExit(f"--device {name}: only cpu and cuda[:N] are supported")
    return device


def train(args, guard):
    device = resolve_device(args.device)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    os.makedirs(args.work, exist_ok=True)
    log = open(os.path.join(args.work, "train_log.txt"), "a", encoding="utf-8")
    sp_pieces = GlinerTokenizer(args.spm, export.added_tokens(0)).sp.get_piece_size()
    tokenizer = GlinerTokenizer(args.spm, export.added_tokens(sp_pieces))
    model = build_model(args, sp_pieces).to(device)  # moves the Parameters' data in place
    decay = [p for n, p in model.params.items() if not no_decay(n)]
    keep = [p for n, p in model.params.items() if no_decay(n)]
    groups = [{"params": decay, "weight_decay": args.weight_decay},
              {"params": keep, "weight_decay": 0.0}]
    mask_id = tokenizer.special["[MASK]"]
    head = corpus = heldout = None
    w_mlm = getattr(args, "w_mlm", 0.0)
    if w_mlm > 0:
        # A third parameter group, so a run without MLM keeps the optimizer layout it always had.
        head = mlm.MlmHead(mlm.head_weights(args.hidden, model.enc.vocab_size, args.seed + 1),
                           model.enc.layer_norm_eps).to(device)
        groups.append({"params": list(head.parameters()), "weight_decay": 0.0})
        files = args.mlm_text.split(",") if args.mlm_text else mlm.default_text_files(args.shared)
        corpus = mlm.MlmCorpus(files, tokenizer.sp, args.mlm_seq_len, args.seed + 2)
        held = (args.mlm_heldout.split(",") if args.mlm_heldout
                else mlm.heldout_text_files(args.shared))
        heldout = mlm.MlmCorpus(held, tokenizer.sp, args.mlm_seq_len, 0)
        _log(log, f"mlm: weight {w_mlm:g}, {len(corpus.paragraphs)} paragraphs from "
                  f"{len(files)} files, {args.mlm_batch} x {args.mlm_seq_len} pieces per step")
    opt = torch.optim.AdamW(groups, lr=args.lr)
    # Pools with weight 0 are not read: a run of the four original pools needs only their files
    # and draws the same sequence of records as before the others existed.
    weights = {k: getattr(args, POOL_WEIGHTS[k], 0.0) for k in POOLS}
    used = [k for k in POOLS if weights[k] > 0]
    if not used and head is None:
        raise SystemExit("every task weight and --w-mlm are 0: nothing to train")
    pools = load_pools(args.data, used) if used else {}
    mixture = batches.Mixture([pools[k] for k in used], [weights[k] for k in used], args.seed)
    _log(log, "mixture: " + (", ".join(f"{k} {weights[k]:g} ({len(pools[k])} records)"
                                       for k in used) or "none (MLM only)"))
    state_path = os.path.join(args.work, "train_state.pt")
    step, elapsed = 0, 0.0
    if args.init_from and not (args.resume and os.path.exists(state_path)):
        init_from(model, args.init_from)
        _log(log, f"warm start from {args.init_from}")
    if args.resume and os.path.exists(state_path):
        st = torch.load(state_path, map_location="cpu")  # a GPU run resumes on a CPU too
        if (head is not None) != ("mlm_head" in st):
            saved = "with" if "mlm_head" in st else "without"
            raise SystemExit(f"{state_path}: saved by a run {saved} MLM; --resume needs the same "
                             "--w-mlm setting (use --init-from to start a new run from its model)")
        for n, p in model.params.items():
            p.data.copy_(st["weights"][n])
        opt.load_state_dict(st["optimizer"])
        step, elapsed = st["step"], st["elapsed"]
        rng.setstate(st["rng"])
        mixture.rng.setstate(st["mixture_rng"])
        torch.set_rng_state(st["torch_rng"])
        if head is not None:
            for n, p in head.params.items():
                p.data.copy_(st["mlm_head"][n])
            corpus.rng.setstate(st["mlm_rng"])
        _log(log, f"resumed at step {step}, {elapsed / 60:.1f} min elapsed")
    n_params = sum(p.numel() for p in model.parameters())
    _log(log, f"model: {n_params} parameters, hidden {args.hidden}, layers {args.layers}, "
              f"vocab {sp_pieces}+11; budget {args.max_minutes} min")
    budget = args.max_minutes * 60.0
    start = time.time() - elapsed
    last_save = run_start = time.time()
    queue = []
    ema = mlm_ema = None
    tokens = 0
    while True:
        elapsed = time.time() - start
        if elapsed >= budget or (args.max_steps and step >= args.max_steps):
            break
        frac = elapsed / budget
        for g in opt.param_groups:
            g["lr"] = lr_at(args, step, frac)
        if used:
            if not queue:
                queue = make_batch(mixture, tokenizer, guard, rng, args)
            loss, parts, ntok = batch_loss(model, queue.pop(), args.span_weight)
        else:
            loss, parts, ntok = 0.0, {"span": 0.0, "count": 0.0, "cls": 0.0}, 0
        if head is not None:
            ids, att, labels = corpus.batch(args.mlm_batch, mask_id)
            m_loss, m_n, m_ok = mlm.mlm_loss(model, head, ids, att, labels)
            loss = loss + w_mlm * m_loss
            ntok += int(att.sum())
            m_acc = m_ok / max(1, m_n)
            mlm_ema = (float(m_loss), m_acc) if mlm_ema is None else (
                0.98 * mlm_ema[0] + 0.02 * float(m_loss), 0.98 * mlm_ema[1] + 0.02 * m_acc)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        tokens += ntok
        ema = float(loss) if ema is None else 0.98 * ema + 0.02 * float(loss)
        if step % args.log_every == 0 or step == 1:
            bar = "#" * int(30 * frac) + "." * (30 - int(30 * frac))
            _log(log, f"[{bar}] step {step} {elapsed / 60:5.1f}/{args.max_minutes} min "
                      f"loss {float(loss):.3f} (ema {ema:.3f}) span {parts['span']:.3f} "
                      f"count {parts['count']:.3f} cls {parts['cls']:.3f} "
                      + (f"mlm {mlm_ema[0]:.3f} acc {mlm_ema[1]:.3f} " if mlm_ema else "")
                      + f"lr {opt.param_groups[0]['lr']:.2e} tok/s "
                      f"{tokens / max(1e-6, time.time() - run_start):.0f}")
        if time.time() - last_save > args.save_minutes * 60:
            save_state(args, model, opt, step, time.time() - start, rng, mixture, state_path,
                       head, corpus)
            export.export(args.out, model.weights(), model.enc, model.gliner_cfg, args.spm,
                          sp_pieces, dtype=args.dtype)
            _log(log, f"checkpoint at step {step}" + heldout_note(model, head, heldout, mask_id))
            last_save = time.time()
    save_state(args, model, opt, step, time.time() - start, rng, mixture, state_path, head,
               corpus)
    export.export(args.out, model.weights(), model.enc, model.gliner_cfg, args.spm, sp_pieces,
                  dtype=args.dtype)
    _log(log, f"done: {step} steps in {(time.time() - start) / 60:.1f} min; exported {args.out}"
              + heldout_note(model, head, heldout, mask_id))
    log.close()
    return model


def heldout_note(model, head, heldout, mask_id):
    """'; held-out MLM loss L, accuracy A' (Gutenberg part 05, never trained on), or ''."""
    if head is None:
        return ""
    loss, acc = mlm.evaluate(model, head, heldout, mask_id)
    return f"; held-out MLM loss {loss:.3f}, masked-piece accuracy {acc:.3f}"


def save_state(args, model, opt, step, elapsed, rng, mixture, path, head=None, corpus=None):
    tmp = path + ".tmp"
    state = {"weights": model.weights(), "optimizer": opt.state_dict(), "step": step,
             "elapsed": elapsed, "rng": rng.getstate(), "mixture_rng": mixture.rng.getstate(),
             "torch_rng": torch.get_rng_state(), "args": vars(args)}
    if head is not None:
        state["mlm_head"] = head.weights()
        state["mlm_rng"] = corpus.rng.getstate()
    torch.save(state, tmp)
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit("use python/tools/train_default_model.py")
