"""Duplicates: exact (same normalised body text) and near (MinHash LSH over word shingles).

Near-duplicate clustering is calibrated on the farm's republished articles: a press release
republished by a department site and a newspaper with a tweaked title and a lead paragraph added
or cut keeps a Jaccard similarity of 0.6 or more over 3-word shingles of the body; distinct reports
built from the same officialese stay well below.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

import numpy as np
from datasketch import MinHash, MinHashLSH

from portaltext.text import fold

NUM_PERM = 128
SHINGLE = 3
THRESHOLD = 0.6  # Jaccard on 3-word shingles; see the module docstring
# LSH proposes candidates at a lower similarity so that true pairs near THRESHOLD are not lost to
# banding; each candidate is then confirmed against THRESHOLD.
CANDIDATE_THRESHOLD = 0.45
# Signatures are stored; the scheme and width must match when they are read back.
SCHEME = "affine32"
HASH_DTYPE = np.uint32


def normalise_words(text: str) -> list[str]:
    """Folded words (diacritics off, đ→d, numbers kept) so typography and tones typed
    differently by two portals do not hide a copy."""
    return re.findall(r"\w+", fold(text))


def text_hash(text: str) -> str | None:
    """Identity of the body text; None for bodies too short to call two pages one article."""
    words = normalise_words(text)
    if len(words) < 20:
        return None
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    words = normalise_words(text)
    if len(words) < k:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + k]).encode() for i in range(len(words) - k + 1)}


# The permutations depend only on (num_perm, seed, scheme): computed once here rather than in every
# MinHash built (bench.pipeline's profile: 1,843 computations for 619 articles).
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, scheme=SCHEME).permutations


def signature(text: str) -> bytes | None:
    sh = shingles(text)
    if len(sh) < 5:
        return None
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME, permutations=_PERMUTATIONS)
    m.update_batch(sorted(sh))
    return m.hashvalues.astype(HASH_DTYPE).tobytes()


def _values(sig: bytes) -> np.ndarray:
    return np.frombuffer(sig, dtype=HASH_DTYPE)


def similar(a: bytes, b: bytes, threshold: float = THRESHOLD) -> bool:
    """Two signatures' estimated Jaccard (the share of equal hash values, as MinHash.jaccard) at or
    above the threshold."""
    return int(np.count_nonzero(_values(a) == _values(b))) >= threshold * NUM_PERM


# The banding MinHashLSH uses at CANDIDATE_THRESHOLD (25 bands of 5 values for 128 permutations), so
# the store's persisted bands (store.clusters) propose exactly the candidates `clusters` does.
_BANDING = MinHashLSH(threshold=CANDIDATE_THRESHOLD, num_perm=NUM_PERM)
BANDS, ROWS = _BANDING.b, _BANDING.r


def band_keys(sig: bytes) -> list[int]:
    """One signed 64-bit key per band: two signatures are LSH candidates when any key is equal. The
    band's number is hashed in, so one key column serves every band."""
    values = _values(sig)
    keys = []
    for band in range(BANDS):
        chunk = band.to_bytes(2, "big") + values[band * ROWS:(band + 1) * ROWS].tobytes()
        keys.append(int.from_bytes(hashlib.blake2b(chunk, digest_size=8).digest(), "big", signed=True))
    return keys


def minhash_of(sig: bytes) -> MinHash:
    return MinHash(num_perm=NUM_PERM, hashvalues=np.frombuffer(sig, dtype=HASH_DTYPE), scheme=SCHEME,
                   permutations=_PERMUTATIONS)


def cluster_ids(signatures: Iterable[tuple[int, bytes]], threshold: float = THRESHOLD) -> dict[int, int | None]:
    """article id → its cluster's id, None for an article alone: what `articles.cluster_id` holds."""
    found = clusters(signatures, threshold)
    sizes: dict[int, int] = {}
    for root in found.values():
        sizes[root] = sizes.get(root, 0) + 1
    return {aid: (root if sizes[root] > 1 else None) for aid, root in found.items()}


def clusters(signatures: Iterable[tuple[int, bytes]], threshold: float = THRESHOLD) -> dict[int, int]:
    """article id → cluster id (the smallest member id), for every article with a signature.

    LSH proposes candidate pairs; each is confirmed on the estimated Jaccard before the union."""
    lsh = MinHashLSH(threshold=min(threshold, CANDIDATE_THRESHOLD), num_perm=NUM_PERM)
    seen: dict[int, MinHash] = {}
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for aid, sig in signatures:
        m = minhash_of(sig)
        parent[aid] = aid
        for key in lsh.query(m):
            other = int(key)
            a, b = find(aid), find(other)
            # Already joined through another member: the pair cannot change the components, so its
            # Jaccard estimate (the costly part) is not computed.
            if a != b and m.jaccard(seen[other]) >= threshold:
                parent[max(a, b)] = min(a, b)
        lsh.insert(str(aid), m)
        seen[aid] = m
    return {aid: find(aid) for aid in parent}
