#!/usr/bin/env python3
"""Trains the SentencePiece Unigram vocabulary of spanguard's default model.

    /usr/bin/python3 python/tools/train_default_vocab.py --text build-T/train_data/vocab_text.txt \
        --out build-T/vocab/spm

The corpus (vocab_text.txt, from make_training_data.py) is lower-cased because GLiNER2 feeds
lower-cased words. Piece ids 0-3 are [PAD] [CLS] [SEP] [UNK] as in DeBERTa-v3, so the engine's
control-token handling is unchanged; [MASK] and the ten GLiNER2 markers are appended after the
pieces by the exporter (added_tokens.json). No byte fallback (as DeBERTa-v3): unseen characters
become [UNK].
"""

import argparse

import sentencepiece


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--text", required=True)
    ap.add_argument("--out", required=True, help="model prefix: writes OUT.model and OUT.vocab")
    ap.add_argument("--vocab-size", type=int, default=8000)
    ap.add_argument("--seed", type=int, default=20261121,
                    help="SentencePiece's sampling seed (the shipped spm.model predates this "
                         "option and was trained unseeded, see MODEL_CARD.md)")
    args = ap.parse_args()
    sentencepiece.SentencePieceTrainer.train(
        input=args.text, model_prefix=args.out, vocab_size=args.vocab_size, model_type="unigram",
        character_coverage=0.9995, pad_id=0, bos_id=1, eos_id=2, unk_id=3, pad_piece="[PAD]",
        bos_piece="[CLS]", eos_piece="[SEP]", unk_piece="[UNK]", input_sentence_size=400000,
        shuffle_input_sentence=True, num_threads=2, max_sentence_length=8192,
        split_digits=False, random_seed=args.seed, minloglevel=1)


if __name__ == "__main__":
    main()
