"""A full-size CTranslate2 Transformer with random weights that stops near the input length.

Used for the ``full`` packages, which exist to measure speed: the architecture and size of
the public Argos en↔zh and en↔ru models (Transformer base: 6+6 layers, d_model 512,
8 heads, feed-forward 2048), seeded random weights.

Random weights almost never pick ``</s>``, and a constant bias on it only moves the
problem: a decode then either stops at once or runs to the length limit, depending on
the sentence. So one residual dimension is kept out of the random computation and
used as a length counter, and ``</s>`` is driven by it:

- encoder position code: that dimension holds ``RAMP * s`` at source position ``s``;
- the last decoder layer's first cross-attention head has zero queries, so it averages
  the source positions evenly and reads the counter there: ``RAMP * (n - 1) / 2``;
- decoder position code: ``RAMP * t`` at step ``t``; the head writes minus
  ``READ_GAIN`` times its reading, so the counter is about ``RAMP * (t - n)`` at the end
  of the decoder;
- the ``</s>`` row of the output projection reads only the counter (``EOS_GAIN``),
  with no bias: strongly against ``</s>`` before step ``n``, for it after.

Layer norms divide the counter by the spread of each vector, which is larger in the
encoder than in the decoder and varies from token to token, so ``READ_GAIN`` is
measured rather than 2 and the output length tracks the input length only roughly
(120 NTREX sentences, 40 each of en/zh/ru, greedy or beam 2 or 4: median
output/input 1.04 to 1.10, all but one within a factor of 2); that is all a speed
benchmark needs.
"""

from __future__ import annotations

import numpy as np
from ctranslate2.specs import TransformerSpec

LAYERS = 6
WIDTH = 512
HEADS = 8
FFN = 2048
# Source and output length the position codes cover (CTranslate2 cuts inputs at 1024).
MAX_LENGTH = 1024
# The residual dimension kept for the length counter, and its growth per position.
COUNTER = 0
RAMP = 1.0 / 16.0
# How sharply the counter turns </s> on around step n.
EOS_GAIN = 30.0
# Times the head's reading is subtracted: 2 in theory, 5.5 makes up for the layer norms.
READ_GAIN = 5.5
# Index of </s> in the vocabulary (after <blank>, <unk>, <s>).
EOS_ID = 3


def sinusoids(max_length: int, width: int) -> np.ndarray:
    """The usual Transformer position code: sines in the first half, cosines in the second."""
    half = width // 2
    frequencies = np.exp(-np.log(10000.0) * np.arange(half) / (half - 1))
    angles = np.arange(max_length)[:, None] * frequencies[None, :]
    return np.concatenate([np.sin(angles), np.cos(angles)], axis=1).astype(np.float32)


def random_model_spec(vocabulary: list[str], seed: int = 0) -> TransformerSpec:
    """The validated (not yet quantised) spec of a random Transformer base over ``vocabulary``."""
    if vocabulary[EOS_ID] != "</s>":
        raise ValueError(f"the vocabulary must have </s> at index {EOS_ID}")
    rng = np.random.default_rng(seed)
    vocab = len(vocabulary)

    def linear(spec: object, rows: int, columns: int) -> None:
        """Random weight scaled by fan-in, so activations keep their size layer after layer."""
        weight = rng.standard_normal((rows, columns), dtype=np.float32) / np.float32(np.sqrt(columns))
        # Small biases, as trained models have; they cost the same to apply whatever their size.
        bias = rng.standard_normal(rows, dtype=np.float32) * np.float32(0.02)
        # Nothing random reads or writes the counter dimension of the residual stream.
        if columns == WIDTH:
            weight[:, COUNTER] = 0.0
        if rows == WIDTH:
            weight[COUNTER, :] = 0.0
            bias[COUNTER] = 0.0
        spec.weight = weight  # type: ignore[attr-defined]
        spec.bias = bias  # type: ignore[attr-defined]

    spec = TransformerSpec.from_config(num_layers=LAYERS, num_heads=HEADS)
    ramp = RAMP * np.arange(MAX_LENGTH, dtype=np.float32)
    for side in (spec.encoder, spec.decoder):
        encodings = sinusoids(MAX_LENGTH, WIDTH)
        encodings[:, COUNTER] = ramp
        side.position_encodings.encodings = encodings
        _set_norm(side.layer_norm)
        for layer in side.layer:
            _set_norm(layer.self_attention.layer_norm)
            linear(layer.self_attention.linear[0], 3 * WIDTH, WIDTH)
            linear(layer.self_attention.linear[1], WIDTH, WIDTH)
            if side is spec.decoder:
                _set_norm(layer.attention.layer_norm)
                linear(layer.attention.linear[0], WIDTH, WIDTH)
                linear(layer.attention.linear[1], 2 * WIDTH, WIDTH)
                linear(layer.attention.linear[2], WIDTH, WIDTH)
            _set_norm(layer.ffn.layer_norm)
            linear(layer.ffn.linear_0, FFN, WIDTH)
            linear(layer.ffn.linear_1, WIDTH, FFN)

    # Embeddings are scaled by sqrt(WIDTH) at run time, so unit-variance entries after it.
    for embeddings in (spec.encoder.embeddings[0], spec.decoder.embeddings):
        table = rng.standard_normal((vocab, WIDTH), dtype=np.float32) / np.float32(np.sqrt(WIDTH))
        table[:, COUNTER] = 0.0
        embeddings.weight = table
    linear(spec.decoder.projection, vocab, WIDTH)
    _wire_counter(spec)

    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    return spec


def _wire_counter(spec: TransformerSpec) -> None:
    """Connect the length counter: last decoder layer's head 0 reads it, ``</s>`` listens to it."""
    head = WIDTH // HEADS
    cross = spec.decoder.layer[-1].attention
    # Zero queries: every source position scores the same, so the head takes their mean.
    cross.linear[0].weight[:head] = 0.0
    cross.linear[0].bias[:head] = 0.0
    # Values follow the keys in the fused projection; value 0 of head 0 is the counter.
    values = cross.linear[1]
    values.weight[WIDTH] = 0.0
    values.weight[WIDTH, COUNTER] = 1.0
    values.bias[WIDTH] = 0.0
    output = cross.linear[2]
    output.weight[:, 0] = 0.0
    output.weight[COUNTER] = 0.0
    output.weight[COUNTER, 0] = -READ_GAIN
    projection = spec.decoder.projection
    projection.weight[EOS_ID] = 0.0
    projection.weight[EOS_ID, COUNTER] = EOS_GAIN
    projection.bias[EOS_ID] = 0.0


def _set_norm(norm: object) -> None:
    norm.gamma = np.ones(WIDTH, dtype=np.float32)  # type: ignore[attr-defined]
    norm.beta = np.zeros(WIDTH, dtype=np.float32)  # type: ignore[attr-defined]
