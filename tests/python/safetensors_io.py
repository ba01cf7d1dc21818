"""Minimal reader and writer of the safetensors format (no dependency but numpy + torch).

Layout of a file (https://github.com/huggingface/safetensors, "Format"):

    [8 bytes]  N, the header length, unsigned 64-bit little-endian
    [N bytes]  JSON header, UTF-8:
                 {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]},
                  ...,
                  "__metadata__": {"key": "value", ...}}        (optional, str -> str)
               the header may be padded with trailing spaces (writers align the data to 8)
    [rest]     the data buffer; data_offsets are byte offsets into it (begin inclusive,
               end exclusive). Tensors are row-major, little-endian.

The reader validates what the format requires: a sane header length, a JSON object, known
dtypes, non-negative integer shapes, end - begin == numel * itemsize, and that the tensors
cover the data buffer exactly (no overlap, no hole, nothing after the last tensor) — the
format forbids holes so that files cannot double as other formats.

API:
    load(path) -> (dict name -> torch.Tensor, dict metadata str -> str)
    save(path, tensors, metadata=None)
    loads(bytes) / dumps(tensors, metadata) -> the same on in-memory bytes
"""

import json
import struct

import numpy as np
import torch

# safetensors dtype name -> (numpy little-endian dtype, torch dtype)
_DTYPES = {
    "F64": (np.dtype("<f8"), torch.float64),
    "F32": (np.dtype("<f4"), torch.float32),
    "F16": (np.dtype("<f2"), torch.float16),
    "I64": (np.dtype("<i8"), torch.int64),
    "I32": (np.dtype("<i4"), torch.int32),
    "I16": (np.dtype("<i2"), torch.int16),
    "I8": (np.dtype("i1"), torch.int8),
    "U8": (np.dtype("u1"), torch.uint8),
    "BOOL": (np.dtype("?"), torch.bool),
}
_TORCH_TO_NAME = {tdt: name for name, (_, tdt) in _DTYPES.items()}

# The reference implementation refuses headers above 100 MB; so do we.
_MAX_HEADER = 100 * 1000 * 1000


class SafetensorsError(ValueError):
    """Raised for a malformed file."""


def loads(buf):
    """Parses safetensors bytes. Returns (tensors, metadata)."""
    buf = memoryview(buf)
    if len(buf) < 8:
        raise SafetensorsError("file shorter than the 8-byte header length")
    (n,) = struct.unpack("<Q", buf[:8])
    if n > _MAX_HEADER or 8 + n > len(buf):
        raise SafetensorsError(f"header length {n} does not fit a file of {len(buf)} bytes")
    try:
        header = json.loads(bytes(buf[8:8 + n]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SafetensorsError(f"header is not UTF-8 JSON: {exc}") from None
    if not isinstance(header, dict):
        raise SafetensorsError("header is not a JSON object")

    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
        raise SafetensorsError("__metadata__ must map strings to strings")

    data = buf[8 + n:]
    spans = []  # (begin, end, name) for the coverage check
    tensors = {}
    for name, info in header.items():
        if not isinstance(info, dict) or set(info) != {"dtype", "shape", "data_offsets"}:
            raise SafetensorsError(f"{name}: entry needs exactly dtype, shape, data_offsets")
        dtype, shape, offsets = info["dtype"], info["shape"], info["data_offsets"]
        if dtype not in _DTYPES:
            raise SafetensorsError(f"{name}: unsupported dtype {dtype!r}")
        if not isinstance(shape, list) or not all(
                isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in shape):
            raise SafetensorsError(f"{name}: bad shape {shape!r}")
        if (not isinstance(offsets, list) or len(offsets) != 2 or not all(
                isinstance(o, int) and not isinstance(o, bool) for o in offsets)):
            raise SafetensorsError(f"{name}: bad data_offsets {offsets!r}")
        begin, end = offsets
        np_dtype, _ = _DTYPES[dtype]
        numel = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if not 0 <= begin <= end <= len(data):
            raise SafetensorsError(f"{name}: data_offsets {offsets} outside the "
                                   f"{len(data)}-byte data buffer")
        if end - begin != numel * np_dtype.itemsize:
            raise SafetensorsError(f"{name}: {end - begin} bytes for shape {shape} {dtype} "
                                   f"(expected {numel * np_dtype.itemsize})")
        spans.append((begin, end, name))
        arr = np.frombuffer(data[begin:end], dtype=np_dtype).reshape(shape)
        # .copy(): own the memory (frombuffer is read-only and tied to buf); native order.
        tensors[name] = torch.from_numpy(arr.astype(np_dtype.newbyteorder("="), copy=True))

    # Coverage: sorted spans must tile [0, len(data)) exactly.
    pos = 0
    for begin, end, name in sorted(spans):
        if begin != pos:
            kind = "overlaps the previous tensor" if begin < pos else f"leaves a hole at {pos}"
            raise SafetensorsError(f"{name}: data_offsets [{begin}, {end}] {kind}")
        pos = end
    if pos != len(data):
        raise SafetensorsError(f"{len(data) - pos} trailing bytes after the last tensor")
    return tensors, metadata


def load(path):
    """Reads a safetensors file. Returns (dict name -> torch.Tensor, metadata dict)."""
    with open(path, "rb") as f:
        return loads(f.read())


def dumps(tensors, metadata=None):
    """Serialises a dict name -> torch.Tensor (or numpy array) to safetensors bytes."""
    header, chunks, pos = {}, [], 0
    for name in sorted(tensors):  # sorted names: deterministic files
        if name == "__metadata__":
            raise SafetensorsError("'__metadata__' is reserved")
        t = tensors[name]
        if isinstance(t, np.ndarray):
            t = torch.from_numpy(t)
        t = t.detach().cpu().contiguous()
        if t.dtype not in _TORCH_TO_NAME:
            raise SafetensorsError(f"{name}: unsupported dtype {t.dtype}")
        dtype = _TORCH_TO_NAME[t.dtype]
        raw = t.numpy().astype(_DTYPES[dtype][0], copy=False).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape),
                        "data_offsets": [pos, pos + len(raw)]}
        chunks.append(raw)
        pos += len(raw)
    if metadata:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise SafetensorsError("metadata must map strings to strings")
        header["__metadata__"] = dict(metadata)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * (-(8 + len(head)) % 8)  # pad so that the data starts 8-aligned
    return struct.pack("<Q", len(head)) + head + b"".join(chunks)


def save(path, tensors, metadata=None):
    """Writes a dict name -> tensor (and an optional str -> str metadata) to path."""
    with open(path, "wb") as f:
        f.write(dumps(tensors, metadata))
