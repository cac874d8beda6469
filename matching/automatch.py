"""Automatic matching: the assignment of mentees to mentors with the highest total compatibility, proved so.

Each mentee is matched at most once, each mentor at most their free places, and pairs scored 0 never. That is a
maximum-weight b-matching, a linear programme whose optimum is whole:

    maximise  sum s_ij x_ij   subject to  sum_j x_ij <= 1,  sum_i x_ij <= c_j,  x >= 0
    dual:     minimise  sum u_i + sum c_j v_j   subject to  u_i + v_j >= s_ij,  u, v >= 0

It is solved over a set of candidate pairs (each mentee's best few mentors, by score) as a min-cost flow (OR-Tools).
The flow's node potentials, found by Bellman-Ford over its residual graph, give u and v, whose dual total equals the
flow's total. If every pair of the whole pool satisfies u_i + v_j >= s_ij, that dual is feasible for the whole pool,
and by weak duality no assignment of the whole pool can total more: the answer is optimal, with a certificate (the
gap, dual total minus our total, is 0). Pairs that break it join the candidates, with the best few of their mentees
by score less the mentor's dual price, and the flow is solved again. A pair that breaks it is never a candidate
already, so each round adds one at least and the loop ends, at the exact optimum of the whole pool.

Measured (bench/results/latest.json): exact on the benchmark's 10,000 x 2,500 pool in three rounds, where the
sparse solver this replaced was 0.016 % short.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from .scoring import MAX_SCORE, Pool, score_matrix

# Each mentee's first candidates: mentors scoring at least the 20th best score (ties all join). Fewer start faster
# but need more rounds; more make each round's flow slower. 20 is the quickest on the benchmark's pools.
CANDIDATES_PER_MENTEE = 20
# Rows of the score matrix checked against the duals at once (a few MB at a time, however large the pool).
_CHECK_ROWS = 1024


@dataclass
class Assignment:
    pairs: list[tuple[int, int, int]]  # (mentee index, mentor index, score)
    solver_seconds: float = 0.0
    # The certificate: the dual total minus our total. 0 proves no assignment of the pool totals more.
    certified_gap: int = 0
    rounds: int = 0

    @property
    def count(self) -> int:
        return len(self.pairs)

    @property
    def total(self) -> int:
        return sum(score for _, _, score in self.pairs)

    @property
    def mean(self) -> float:
        return self.total / self.count if self.pairs else 0.0


def optimal_assignment(
    scores: np.ndarray, capacities, candidates_per_mentee: int = CANDIDATES_PER_MENTEE
) -> Assignment:
    """The assignment with the highest total score, and the certificate that proves it."""
    capacities = np.maximum(np.asarray(capacities, dtype=np.int64), 0)
    scores = np.where(capacities > 0, np.asarray(scores, dtype=np.int16), np.int16(0))
    if scores.size == 0 or not scores.any():
        return Assignment([])
    started = time.perf_counter()
    rows, columns = np.nonzero(scores >= np.maximum(_kth_best(scores, candidates_per_mentee, 0, MAX_SCORE), 1)[:, None])
    candidate = np.zeros(scores.shape, dtype=bool)
    candidate[rows, columns] = True
    rounds = 0
    while True:
        rounds += 1
        matched_rows, matched_columns = _min_cost_flow(scores, capacities, rows, columns)
        u, v = _duals(scores, capacities, rows, columns, matched_rows, matched_columns)
        broken_rows, broken_columns = _pairs_breaking(scores, u, v)
        if len(broken_rows) == 0:
            break
        if candidate[broken_rows, broken_columns].any():
            raise RuntimeError("a candidate pair breaks the duals: the flow or its potentials are wrong")
        # The mentees with a broken pair take it, and their best few by score less the mentor's dual price
        # (marked as they join, so that no pair becomes a candidate twice).
        candidate[broken_rows, broken_columns] = True
        mentees = np.unique(broken_rows)
        priced = scores[mentees].astype(np.int32) - v[None, :]
        best = _kth_best(priced, candidates_per_mentee, -MAX_SCORE, MAX_SCORE)
        near_rows, near_columns = np.nonzero((priced >= best[:, None]) & (scores[mentees] > 0) & ~candidate[mentees])
        candidate[mentees[near_rows], near_columns] = True
        rows = np.concatenate([rows, broken_rows, mentees[near_rows]])
        columns = np.concatenate([columns, broken_columns, near_columns])
    elapsed = time.perf_counter() - started
    pairs = [(int(i), int(j), int(scores[i, j])) for i, j in zip(matched_rows, matched_columns, strict=True)]
    total = sum(score for _, _, score in pairs)
    dual_total = int(u.sum() + (capacities * v).sum())
    return Assignment(pairs, solver_seconds=elapsed, certified_gap=dual_total - total, rounds=rounds)


def _kth_best(values: np.ndarray, k: int, low: int, high: int) -> np.ndarray:
    """Each row's k-th largest value, for integers from `low` to `high`: counted, which is quicker than sorting."""
    n_rows, n_columns = values.shape
    k = max(1, min(k, n_columns))
    width = high - low + 1
    found = np.empty(n_rows, dtype=np.int64)
    for start in range(0, n_rows, _CHECK_ROWS):
        block = values[start : start + _CHECK_ROWS].astype(np.int32) - low
        offsets = (width * np.arange(len(block), dtype=np.int32))[:, None]
        counts = np.bincount((block + offsets).ravel(), minlength=len(block) * width).reshape(len(block), width)
        at_least = counts[:, ::-1].cumsum(axis=1)  # how many values are >= high, >= high - 1, ...
        found[start : start + _CHECK_ROWS] = high - np.argmax(at_least >= k, axis=1)
    return found


def _min_cost_flow(scores: np.ndarray, capacities: np.ndarray, rows: np.ndarray, columns: np.ndarray):
    """The best assignment using only the candidate pairs: source -> mentee (1) -> mentor (1, cost -score) ->
    sink (the mentor's places), and source -> sink for everyone left unmatched."""
    n_mentees, n_mentors = scores.shape
    source, sink = n_mentees + n_mentors, n_mentees + n_mentors + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate([np.full(n_mentees, source), rows, n_mentees + np.arange(n_mentors), [source]]),
        np.concatenate([np.arange(n_mentees), n_mentees + columns, np.full(n_mentors, sink), [sink]]),
        np.concatenate([np.ones(n_mentees + len(rows), dtype=np.int64), capacities, [n_mentees]]),
        np.concatenate([np.zeros(n_mentees, np.int64), -scores[rows, columns].astype(np.int64),
                        np.zeros(n_mentors + 1, np.int64)]),
    )  # fmt: skip
    supplies = np.zeros(n_mentees + n_mentors + 2, dtype=np.int64)
    supplies[source], supplies[sink] = n_mentees, -n_mentees
    flow.set_nodes_supplies(np.arange(len(supplies)), supplies)
    if flow.solve() != flow.OPTIMAL:
        raise RuntimeError("the min-cost flow found no optimum")
    used = flow.flows(np.arange(n_mentees, n_mentees + len(rows))) > 0
    return rows[used], columns[used]


def _duals(scores, capacities, rows, columns, matched_rows, matched_columns):
    """u (mentees) and v (mentors) from shortest distances d in the flow's residual graph, which has no negative
    cycle because the flow is optimal. With a = d(source): u_i = max(0, d_i - a), v_j = max(0, a - d_j). Every
    candidate arc i -> j (cost -s_ij) gives d_j <= d_i - s_ij, so u_i + v_j >= s_ij; a matched pair's reverse arc
    makes it an equality; the source and sink arcs make u 0 for the unmatched and v 0 for mentors with room.
    Those are the complementary-slackness conditions, so the dual total equals the flow's total."""
    n_mentees, n_mentors = scores.shape
    source, sink = n_mentees + n_mentors, n_mentees + n_mentors + 1
    matched = np.zeros(n_mentees, dtype=bool)
    matched[matched_rows] = True
    places_used = np.bincount(matched_columns, minlength=n_mentors)
    unmatched, matched_mentees = np.flatnonzero(~matched), np.flatnonzero(matched)
    with_room, in_use = np.flatnonzero(places_used < capacities), np.flatnonzero(places_used > 0)
    tails = np.concatenate([rows, n_mentees + matched_columns, np.full(len(unmatched), source), matched_mentees,
                            n_mentees + with_room, np.full(len(in_use), sink), [sink, source]])  # fmt: skip
    heads = np.concatenate([n_mentees + columns, matched_rows, unmatched, np.full(len(matched_mentees), source),
                            np.full(len(with_room), sink), n_mentees + in_use, [source, sink]])  # fmt: skip
    costs = np.zeros(len(tails), dtype=np.int64)
    costs[: len(rows)] = -scores[rows, columns]
    costs[len(rows) : len(rows) + len(matched_rows)] = scores[matched_rows, matched_columns]
    order = np.argsort(heads, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    starts = np.flatnonzero(np.r_[True, heads[1:] != heads[:-1]])
    into = heads[starts]
    distance = np.zeros(n_mentees + n_mentors + 2, dtype=np.int64)  # from a root with a 0 arc to every node
    for _ in range(len(distance) + 1):  # Bellman-Ford, every arc relaxed at once, until nothing shortens
        reached = np.minimum.reduceat(distance[tails] + costs, starts)
        shorter = reached < distance[into]
        if not shorter.any():
            break
        distance[into[shorter]] = reached[shorter]
    else:
        raise RuntimeError("the residual graph has a negative cycle: the flow is not optimal")
    a = distance[source]
    return np.maximum(0, distance[:n_mentees] - a), np.maximum(0, a - distance[n_mentees : n_mentees + n_mentors])


def _pairs_breaking(scores: np.ndarray, u: np.ndarray, v: np.ndarray):
    """Every pair of the whole pool with s_ij > u_i + v_j, a block of rows at a time."""
    found_rows, found_columns = [], []
    v = v.astype(np.int32)
    for start in range(0, scores.shape[0], _CHECK_ROWS):
        block = scores[start : start + _CHECK_ROWS]
        r, c = np.nonzero(block > u[start : start + _CHECK_ROWS, None].astype(np.int32) + v)
        found_rows.append(r + start)
        found_columns.append(c)
    return np.concatenate(found_rows), np.concatenate(found_columns)


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


def assign_pool(pool: Pool) -> tuple[Assignment, Assignment, np.ndarray]:
    """Our assignment and the greedy one for the same pool, and the score matrix both used."""
    scores = score_matrix(pool.mentees, pool.mentors, pool.excluded_pairs, pool.criteria, pool.weights)
    capacities = [mentor.remaining_capacity for mentor in pool.mentors]
    return optimal_assignment(scores, capacities), greedy_assignment(scores, capacities), scores
