"""Schema + text -> encoder input ids and the positions the heads read (GLINER2.md §2.4-§2.5).

Prompt: task blocks `( [P] prompt ( marker child ... ) )`, structures first, then the single entity
block, relations, classifications; joined by [SEP_STRUCT]; then [SEP_TEXT], the choice-field
prefix and the lower-cased words. Every GLiNER2 token string is sub-tokenised on its own.
"""

import dataclasses
from typing import List

from .words import apply_end_of_text_rule, split_words

STRUCTURE, ENTITIES = "structure", "entities"
RELATION, CLASSIFICATION = "relation", "classification"
_CHILD_MARKER = {STRUCTURE: "[C]", ENTITIES: "[E]", RELATION: "[R]", CLASSIFICATION: "[L]"}


@dataclasses.dataclass
class TaskBlock:
    kind: str
    task: object  # the schema object (Structure, list of EntityType, RelationType, ...)
    name: str
    children: List[str]
    tokens: List[str]


@dataclasses.dataclass
class BlockPositions:
    block: TaskBlock
    prompt_position: int
    child_positions: List[int]


@dataclasses.dataclass
class ModelInput:
    input_ids: List[int]
    blocks: List[BlockPositions]
    prefix: List[str]  # choice-prefix tokens (text positions without character offsets)
    text_positions: List[int]  # first sub-token of each prefix token, then of each word
    text: str  # after the end-of-text rule
    words: list  # words.Word, after any max_len cut


def _description(child, description):
    return f" [DESCRIPTION] {child}: {description}"


def _block(kind, task, name, prompt, children):
    tokens = ["(", "[P]", prompt, "("]
    for child in children:
        tokens += [_CHILD_MARKER[kind], child]
    tokens += [")", ")"]
    return TaskBlock(kind, task, name, list(children), tokens)


def build_task_blocks(schema):
    blocks = []
    for s in schema.structures:
        prompt = s.name
        for f in s.fields:
            if f.description:
                prompt += _description(f.name, f.description)
        blocks.append(_block(STRUCTURE, s, s.name, prompt, [f.name for f in s.fields]))
    if schema.entities:
        prompt = "entities"
        for e in schema.entities:
            if e.description is not None:
                prompt += _description(e.name, e.description)
        blocks.append(_block(ENTITIES, schema.entities, "entities", prompt,
                             [e.name for e in schema.entities]))
    for r in schema.relations:
        blocks.append(_block(RELATION, r, r.name, r.name, ["head", "tail"]))
    for t in schema.classifications:
        prompt = t.task if t.prompt is None else f"{t.task}: {t.prompt}"
        names = [label.name for label in t.labels]
        for label in t.labels:
            if label.description is not None:
                prompt += _description(label.name, label.description)
        for example_input, example_output in t.examples:
            # Examples whose output is not one of the labels stay out of the prompt.
            if example_output in names:
                prompt += f" [EXAMPLE] {example_input} [OUTPUT] {example_output}"
        blocks.append(_block(CLASSIFICATION, t, t.task, prompt, names))
    return blocks


def build_choice_prefix(schema):
    prefix = []
    for s in schema.structures:
        choice_fields = [f for f in s.fields if f.choices]
        if not choice_fields:
            continue
        prefix += ["(", f"{s.name}:"]
        for n, f in enumerate(choice_fields):
            if n:
                prefix.append(",")
            prefix += [f.name, "("]
            for i, c in enumerate(f.choices):
                if i:
                    prefix.append("|")
                prefix.append(c)
            prefix.append(")")
        prefix.append(")")
    return prefix


def build_input(tokenizer, schema, text, max_len=None):
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    if schema.empty():
        raise ValueError("schema asks for nothing")
    blocks = build_task_blocks(schema)
    ids = []
    positions = []
    for b, block in enumerate(blocks):
        if b:
            ids += tokenizer.encode("[SEP_STRUCT]")
        marker_positions = []
        for token in block.tokens:
            piece_ids = tokenizer.encode(token)
            if piece_ids and piece_ids[0] in tokenizer.pooled_ids:
                marker_positions.append(len(ids))
            ids += piece_ids
        if len(marker_positions) != len(block.children) + 1:
            # A name or prompt that itself starts with a pooled marker would shift every marker.
            raise ValueError(f"task '{block.name}': a name or prompt starts with a marker token "
                             "([P] [C] [E] [R] [L]); that is not a valid request")
        positions.append(BlockPositions(block, marker_positions[0], marker_positions[1:]))
    ids += tokenizer.encode("[SEP_TEXT]")
    prefix = build_choice_prefix(schema)
    full_text = apply_end_of_text_rule(text)
    words = split_words(full_text, max_len)
    text_positions = []
    for token in prefix + [w.token for w in words]:
        # A token with no sub-token points at the next one, as in the reference.
        text_positions.append(len(ids))
        ids += tokenizer.encode(token)
    if text_positions and text_positions[-1] >= len(ids):
        raise ValueError("the last word of the text yields no sub-token; the reference cannot "
                         "index it")
    return ModelInput(ids, positions, prefix, text_positions, full_text, words)
