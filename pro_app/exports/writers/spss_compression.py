"""SPSS bytecode compression, vectorised: the cases become a stream of 8-byte slots, each
group of 8 one-byte commands followed by the raw 8-byte values that the commands call for.

Commands: 1-251 the whole number (command - 100), 253 a raw value follows, 254 eight spaces,
255 system-missing, 0 padding after the last case.
"""
from __future__ import annotations

import sys

import numpy as np

BIAS = 100.0
_RAW, _BLANK, _SYSMIS = 253, 254, 255
_SPACES = np.uint64(0x2020202020202020)
_SYSMIS_VALUE = -sys.float_info.max


def compress(block: np.ndarray, numeric_segments: np.ndarray, last: bool) -> np.ndarray:
    """block: the fixed-width cases; numeric_segments: which 8-byte segments of a case hold
    numbers. Unless this is the last block, its segment count must be a multiple of 8."""
    segments = block.view("<u8").reshape(len(block), -1)
    commands = np.full(segments.shape, _RAW, dtype=np.uint8)
    numbers = segments[:, numeric_segments].view("<f8")
    small = (numbers == np.floor(numbers)) & (numbers >= 1 - BIAS) & (numbers <= 251 - BIAS)
    numeric_commands = np.where(small, (np.where(small, numbers, 0) + BIAS), _RAW).astype(np.uint8)
    numeric_commands[numbers == _SYSMIS_VALUE] = _SYSMIS
    commands[:, numeric_segments] = numeric_commands
    text = ~numeric_segments
    commands[:, text] = np.where(segments[:, text] == _SPACES, _BLANK, _RAW)
    return _interleave(commands.ravel(), segments.ravel(), last)


def _interleave(commands: np.ndarray, values: np.ndarray, last: bool) -> np.ndarray:
    if last and len(commands) % 8:
        padding = 8 - len(commands) % 8
        commands = np.concatenate([commands, np.zeros(padding, dtype=np.uint8)])
        values = np.concatenate([values, np.zeros(padding, dtype=np.uint64)])
    raw = commands == _RAW
    raw_index = np.cumsum(raw) - 1
    groups = len(commands) // 8
    raw_before_group = np.concatenate([[0], np.cumsum(raw)])[np.arange(groups) * 8]
    out = np.empty(groups + int(raw.sum()), dtype="<u8")
    out[np.arange(groups) + raw_before_group] = commands.reshape(groups, 8).copy().view("<u8").ravel()
    positions = np.flatnonzero(raw)
    out[positions // 8 + 1 + raw_index[positions]] = values[positions]
    return out
