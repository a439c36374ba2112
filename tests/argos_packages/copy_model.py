"""A one-layer CTranslate2 Transformer whose output is its input, token for token.

Used for the tiny test packages: translation through it is exact, so a test can tell a
bug in triglot's pipeline from a model's choice. Built by hand as
``../shared/notes/offline-test-models.md`` describes:

- width ``d = V + P``: a one-hot token code in the first ``V`` dimensions, a position
  code (sines and cosines) in the last ``P``;
- the encoder adds nothing (zero self-attention and feed-forward outputs), so its output
  is the layer-normed ``one-hot(token) + position``;
- in the decoder, cross-attention step ``t`` attends to source position ``t`` (query and
  key read the position code), reads the token code there (value) and writes it back;
- the final projection turns token dimension ``i`` into vocabulary entry ``i``;
- ``add_source_eos`` makes the source end with ``</s>``, which is copied last and stops.
"""

from __future__ import annotations

import numpy as np
from ctranslate2.specs import TransformerSpec

# Dimensions of the position code: 32 frequencies, a sine and a cosine each.
POSITION_DIMS = 64
# Longest source (end token included) and longest output; ample for ~200-token sentences.
MAX_LENGTH = 512
# Random frequencies in this band (radians per position) keep neighbouring positions
# clearly apart, which the usual geometric series does not in its slow dimensions.
FREQUENCY_BAND = (0.3, 3.0)
# Position match must win the cross-attention softmax by a wide margin; the score of
# the right position is POSITION_DIMS / 2, a wrong one at most this fraction of it.
MAX_WRONG_POSITION_MATCH = 0.75
# Gains chosen so attention is one-hot and the right logit beats the rest by far,
# also after int8 quantisation of the weights and activations.
QUERY_GAIN = 60.0
WRITE_GAIN = 10.0
LOGIT_GAIN = 10.0


def position_codes(seed: int, max_length: int = MAX_LENGTH) -> np.ndarray:
    """``max_length x POSITION_DIMS`` sines and cosines at random (seeded) frequencies."""
    rng = np.random.default_rng(seed)
    frequencies = rng.uniform(*FREQUENCY_BAND, size=POSITION_DIMS // 2)
    angles = np.arange(max_length)[:, None] * frequencies[None, :]
    codes = np.concatenate([np.sin(angles), np.cos(angles)], axis=1).astype(np.float32)
    # sum(sin a sin b + cos a cos b) = sum cos(a - b): the codes' dot products.
    similarity = codes @ codes.T
    np.fill_diagonal(similarity, 0.0)
    worst = float(similarity.max()) / (POSITION_DIMS / 2)
    if worst > MAX_WRONG_POSITION_MATCH:
        raise ValueError(f"seed {seed} gives position codes too alike ({worst:.2f}); pick another")
    return codes


def copy_model_spec(vocabulary: list[str], seed: int = 0, max_length: int = MAX_LENGTH) -> TransformerSpec:
    """The validated (not yet quantised) spec of a model that copies its input over ``vocabulary``."""
    vocab = len(vocabulary)
    width = vocab + POSITION_DIMS
    tokens = slice(0, vocab)
    positions = slice(vocab, width)

    def zeros(rows: int, columns: int) -> np.ndarray:
        return np.zeros((rows, columns), dtype=np.float32)

    def route(source: slice, target: slice, gain: float, rows: int = width) -> np.ndarray:
        """A (rows x width) matrix copying dimensions ``source`` of the input to ``target``."""
        matrix = zeros(rows, width)
        size = source.stop - source.start
        matrix[target.start : target.start + size, source] = gain * np.eye(size, dtype=np.float32)
        return matrix

    spec = TransformerSpec.from_config(num_layers=1, num_heads=1)
    encodings = zeros(max_length, width)
    encodings[:, positions] = position_codes(seed, max_length)

    # Encoder embeddings are the one-hot codes; the decoder's are zero, since it must
    # not see what it wrote, only where it is.
    spec.encoder.embeddings[0].weight = route(tokens, tokens, 1.0, rows=vocab)
    spec.decoder.embeddings.weight = zeros(vocab, width)
    for side in (spec.encoder, spec.decoder):
        side.scale_embeddings = False
        side.position_encodings.encodings = encodings
        _set_norm(side.layer_norm, width)
        layer = side.layer[0]
        # Self-attention and feed-forward add nothing: the residual stream passes through.
        layer.self_attention.linear[0].weight = zeros(3 * width, width)
        layer.self_attention.linear[1].weight = zeros(width, width)
        _set_norm(layer.self_attention.layer_norm, width)
        layer.ffn.linear_0.weight = zeros(1, width)
        layer.ffn.linear_1.weight = zeros(width, 1)
        _set_norm(layer.ffn.layer_norm, width)

    cross = spec.decoder.layer[0].attention
    _set_norm(cross.layer_norm, width)
    cross.linear[0].weight = route(positions, positions, QUERY_GAIN)
    # Keys and values are one fused projection of the encoder output: keys first.
    cross.linear[1].weight = np.concatenate([route(positions, positions, 1.0), route(tokens, tokens, 1.0)])
    cross.linear[2].weight = route(tokens, tokens, WRITE_GAIN)
    spec.decoder.projection.weight = route(tokens, tokens, LOGIT_GAIN, rows=vocab)

    # Biases are optional in the spec; leaving them out makes them zero.
    spec.config.add_source_eos = True
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    return spec


def _set_norm(norm: object, width: int) -> None:
    norm.gamma = np.ones(width, dtype=np.float32)  # type: ignore[attr-defined]
    norm.beta = np.zeros(width, dtype=np.float32)  # type: ignore[attr-defined]

