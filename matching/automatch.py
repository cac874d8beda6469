"""Automatic matching: the assignment of mentees to mentors that maximises total compatibility.

Mentor capacities are handled by giving each mentor one column per free place ("slots"). With
excluded pairs scored 0, a maximum-weight *complete* assignment on that matrix is a maximum-
weight matching once the zero pairs are dropped, so SciPy's `linear_sum_assignment` solves it
exactly. Pools too large for a dense matrix are solved with the sparse
`min_weight_full_bipartite_matching` over each mentee's best candidates, with a private
"stay unmatched" column per mentee so that a full matching always exists.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from .scoring import MAX_SCORE, Pool, score_matrix

# Up to this many mentee x place cells the exact dense solver is fast (< 0.05 s); above it the
# sparse solver over each mentee's best candidates is much faster and close to optimal. Measured
# against the exact dense solver on the benchmark's pools (capacity 4, 2026-12): 0 % short at
# 1,000 x 250, at most 0.002 % at 2,000 x 500, 0.006 % at 6,000 x 1,500, 0.017 % at 10,000 x 2,500;
# test_automatch holds it to 0.01 % at 2,000 x 500.
DENSE_CELL_LIMIT = 1_000_000
CANDIDATES_PER_MENTEE = 40


@dataclass
class Assignment:
    pairs: list[tuple[int, int, int]]  # (mentee index, mentor index, score)
    solver_seconds: float = 0.0

    @property
    def count(self) -> int:
        return len(self.pairs)

    @property
    def total(self) -> int:
        return sum(score for _, _, score in self.pairs)

    @property
    def mean(self) -> float:
        return self.total / self.count if self.pairs else 0.0


def _slots(capacities: np.ndarray) -> np.ndarray:
    """Column index -> mentor index, one column per free place."""
    return np.repeat(np.arange(len(capacities)), np.maximum(capacities, 0))


def optimal_assignment(scores: np.ndarray, capacities, candidates_per_mentee: int | None = None) -> Assignment:
    """Maximise the total score; each mentee at most once, each mentor at most `capacity` times."""
    capacities = np.asarray(capacities, dtype=np.int64)
    slot_owner = _slots(capacities)
    n_mentees = scores.shape[0]
    if n_mentees == 0 or len(slot_owner) == 0 or not scores.any():
        return Assignment([])
    started = time.perf_counter()
    if candidates_per_mentee is None and n_mentees * len(slot_owner) <= DENSE_CELL_LIMIT:
        rows, columns = linear_sum_assignment(scores[:, slot_owner], maximize=True)
        mentors = slot_owner[columns]
    else:
        rows, mentors = _sparse_assignment(scores, capacities, candidates_per_mentee or CANDIDATES_PER_MENTEE)
    elapsed = time.perf_counter() - started
    pairs = [(int(i), int(j), int(scores[i, j])) for i, j in zip(rows, mentors, strict=True) if scores[i, j] > 0]
    return Assignment(pairs, solver_seconds=elapsed)


def _sparse_assignment(scores: np.ndarray, capacities: np.ndarray, k: int):
    n_mentees, n_mentors = scores.shape
    k = min(k, n_mentors)
    # Each mentee's k best mentors (unordered), then keep only the pairs that are allowed.
    best = (
        np.argpartition(-scores, k - 1, axis=1)[:, :k]
        if k < n_mentors
        else np.tile(np.arange(n_mentors), (n_mentees, 1))
    )
    rows = np.repeat(np.arange(n_mentees), k)
    mentors = best.ravel()
    allowed = scores[rows, mentors] > 0
    rows, mentors = rows[allowed], mentors[allowed]

    # Expand each (mentee, mentor) edge to the mentor's slots.
    slot_start = np.concatenate([[0], np.cumsum(capacities)[:-1]])
    repeats = capacities[mentors]
    edge_rows = np.repeat(rows, repeats)
    edge_mentors = np.repeat(mentors, repeats)
    offsets = np.arange(len(edge_rows)) - np.repeat(np.cumsum(repeats) - repeats, repeats)
    edge_columns = slot_start[edge_mentors] + offsets
    # Cost = MAX_SCORE + 1 - score, so costs are positive; staying unmatched costs MAX_SCORE + 1.
    costs = (MAX_SCORE + 1 - scores[edge_rows, edge_mentors]).astype(np.float64)

    n_slots = int(capacities.sum())
    dummy_columns = n_slots + np.arange(n_mentees)
    graph = csr_matrix(
        (
            np.concatenate([costs, np.full(n_mentees, MAX_SCORE + 1.0)]),
            (np.concatenate([edge_rows, np.arange(n_mentees)]), np.concatenate([edge_columns, dummy_columns])),
        ),
        shape=(n_mentees, n_slots + n_mentees),
    )
    matched_rows, matched_columns = min_weight_full_bipartite_matching(graph)
    slot_owner = _slots(capacities)
    real = matched_columns < n_slots
    return matched_rows[real], slot_owner[matched_columns[real]]


def greedy_assignment(scores: np.ndarray, capacities) -> Assignment:
    """The obvious baseline: best pair first, while there is room."""
    capacities = np.array(capacities, dtype=np.int64)
    started = time.perf_counter()
    flat = np.flatnonzero(scores > 0)
    order = flat[np.argsort(-scores.ravel()[flat], kind="stable")]
    taken = np.zeros(scores.shape[0], dtype=bool)
    limit = min(scores.shape[0], int(capacities.sum()))
    pairs = []
    for index in order:
        i, j = divmod(int(index), scores.shape[1])
        if taken[i] or capacities[j] <= 0:
            continue
        taken[i] = True
        capacities[j] -= 1
        pairs.append((i, j, int(scores[i, j])))
        if len(pairs) == limit:
            break
    return Assignment(pairs, solver_seconds=time.perf_counter() - started)


def assign_pool(pool: Pool, candidates_per_mentee: int | None = None) -> tuple[Assignment, Assignment, np.ndarray]:
    """Our assignment and the greedy one for the same pool, and the score matrix both used."""
    scores = score_matrix(pool.mentees, pool.mentors, pool.excluded_pairs, pool.criteria, pool.weights)
    capacities = [mentor.remaining_capacity for mentor in pool.mentors]
    return optimal_assignment(scores, capacities, candidates_per_mentee), greedy_assignment(scores, capacities), scores
