"""A deterministic layered (Sugiyama-style) layout of a directed graph, in plain Python.

Steps: cycles are broken by reversing the back edges of a depth-first search; nodes get
layers by longest path; an edge spanning several layers becomes a chain through one dummy
vertex per layer between its ends; each layer is ordered by barycentre sweeps (the order with
the fewest crossings wins); then each layer's vertices get positions as close as possible to
the mean of their neighbours' with at least one slot between neighbours in the layer (an
isotonic regression). Since real and dummy vertices never share a slot, an edge drawn through
its dummies never passes under a node of a layer it crosses. The same input gives the same
layout: no randomness, ties keep the input order.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

ORDER_SWEEPS = 12
PLACEMENT_ROUNDS = 8


@dataclass
class LayeredLayout:
    """``layer`` and ``position`` (slot, at least 1 apart within a layer) of every vertex:
    the graph's nodes are ``0..n-1``, dummies follow; ``chains[i]`` is the vertex path of
    ``edges[i]`` from its source to its target."""

    layer: list[int]
    position: list[float]
    edges: list[tuple[int, int]]
    chains: list[list[int]]


def layered_layout(n: int, edges: Sequence[tuple[int, int]]) -> LayeredLayout:
    """Lay out nodes ``0..n-1`` joined by ``edges`` (self-loops and repeats are dropped)."""
    kept = list(dict.fromkeys((s, t) for s, t in edges if s != t and 0 <= s < n and 0 <= t < n))
    reversed_edges = _back_edges(n, kept)
    dag = [(t, s) if (s, t) in reversed_edges else (s, t) for s, t in kept]
    layer = _longest_path_layers(n, dag)
    chains, links = [], []
    for (s, t), (a, b) in zip(kept, dag, strict=True):
        chain = [a]
        for step in range(layer[a] + 1, layer[b]):
            chain.append(len(layer))
            layer.append(step)
        chain.append(b)
        links += list(zip(chain, chain[1:], strict=False))
        chains.append(chain if (a, b) == (s, t) else chain[::-1])
    layers = _ordered_layers(layer, links)
    position = _placed(layers, links, len(layer))
    return LayeredLayout(layer, position, kept, chains)


def _back_edges(n: int, edges: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Edges that close a cycle in a depth-first search from each node in order (iterative)."""
    successors: list[list[int]] = [[] for _ in range(n)]
    for s, t in edges:
        successors[s].append(t)
    state = [0] * n  # 0 new, 1 on the stack, 2 done
    back: set[tuple[int, int]] = set()
    for root in range(n):
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, iter(successors[root]))]
        while stack:
            node, rest = stack[-1]
            following = next(rest, None)
            if following is None:
                state[node] = 2
                stack.pop()
            elif state[following] == 1:
                back.add((node, following))
            elif state[following] == 0:
                state[following] = 1
                stack.append((following, iter(successors[following])))
    return back


def _longest_path_layers(n: int, dag: list[tuple[int, int]]) -> list[int]:
    """Sources in layer 0, every other node one after its furthest predecessor; then a node
    whose every edge leaves it moves up to just before its nearest successor."""
    successors: list[list[int]] = [[] for _ in range(n)]
    indegree = [0] * n
    for s, t in dag:
        successors[s].append(t)
        indegree[t] += 1
    layer = [0] * n
    ready = [v for v in range(n) if indegree[v] == 0]
    order = []
    while ready:
        node = ready.pop(0)
        order.append(node)
        for t in successors[node]:
            layer[t] = max(layer[t], layer[node] + 1)
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    has_predecessor = {t for _, t in dag}
    for node in reversed(order):
        if node not in has_predecessor and successors[node]:
            layer[node] = min(layer[t] for t in successors[node]) - 1
    return layer


def _ordered_layers(layer: list[int], links: list[tuple[int, int]]) -> list[list[int]]:
    """Each layer's vertices in the order with the fewest crossings found by barycentre
    sweeps, down and up in turn."""
    layers: list[list[int]] = [[] for _ in range(max(layer, default=-1) + 1)]
    for vertex, index in enumerate(layer):
        layers[index].append(vertex)
    up: dict[int, list[int]] = {}
    down: dict[int, list[int]] = {}
    for s, t in links:
        down.setdefault(s, []).append(t)
        up.setdefault(t, []).append(s)
    best, best_crossings = [list(x) for x in layers], _crossings(layers, down)
    for sweep in range(ORDER_SWEEPS):
        downward = sweep % 2 == 0
        indices = range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1)
        for i in indices:
            fixed = layers[i - 1] if downward else layers[i + 1]
            rank = {v: r for r, v in enumerate(fixed)}
            neighbours = up if downward else down
            layers[i] = _by_barycentre(layers[i], neighbours, rank)
        crossings = _crossings(layers, down)
        if crossings < best_crossings:
            best, best_crossings = [list(x) for x in layers], crossings
    return best


def _by_barycentre(
    vertices: list[int], neighbours: dict[int, list[int]], rank: dict[int, int]
) -> list[int]:
    """The vertices sorted by the mean rank of their neighbours in the fixed layer; a vertex
    without any keeps its place (stable)."""
    keys: list[float] = []
    for vertex in vertices:
        ranks = [rank[v] for v in neighbours.get(vertex, ()) if v in rank]
        keys.append(sum(ranks) / len(ranks) if ranks else -1.0)
    placed = sorted((k, i) for i, k in enumerate(keys) if k >= 0)
    slots = [i for i, k in enumerate(keys) if k >= 0]
    result = list(vertices)
    for slot, (_, index) in zip(slots, placed, strict=True):
        result[slot] = vertices[index]
    return result


def _crossings(layers: list[list[int]], down: dict[int, list[int]]) -> int:
    """Edge crossings between each pair of adjacent layers (inversions, counted by bisection)."""
    total = 0
    for upper, lower in zip(layers, layers[1:], strict=False):
        rank = {v: r for r, v in enumerate(lower)}
        seen: list[int] = []
        for vertex in upper:
            targets = sorted(rank[t] for t in down.get(vertex, ()) if t in rank)
            for target in targets:
                total += len(seen) - bisect_right(seen, target)
            for target in targets:
                seen.insert(bisect_right(seen, target), target)
    return total


def _placed(layers: list[list[int]], links: list[tuple[int, int]], count: int) -> list[float]:
    """Positions: each layer's vertices as near the mean position of their neighbours as the
    order and a gap of one slot allow, refined over a few rounds down and up."""
    position = [0.0] * count
    for vertices in layers:
        for index, vertex in enumerate(vertices):
            position[vertex] = float(index)
    neighbours: dict[int, list[int]] = {}
    for s, t in links:
        neighbours.setdefault(s, []).append(t)
        neighbours.setdefault(t, []).append(s)
    for round_index in range(PLACEMENT_ROUNDS):
        order = layers if round_index % 2 == 0 else layers[::-1]
        for vertices in order:
            wanted = []
            for vertex in vertices:
                near = neighbours.get(vertex)
                wanted.append(
                    sum(position[v] for v in near) / len(near) if near else position[vertex]
                )
            for vertex, value in zip(vertices, _spaced(wanted), strict=True):
                position[vertex] = value
    low = min(position, default=0.0)
    return [p - low for p in position]


def _spaced(wanted: list[float]) -> list[float]:
    """The closest positions (least squares) to ``wanted`` that keep their order and are at
    least 1 apart: pool-adjacent-violators on ``wanted[i] - i``."""
    blocks: list[list[float]] = []  # [mean, count]
    for index, value in enumerate(wanted):
        blocks.append([value - index, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            mean, size = blocks.pop()
            blocks[-1] = [
                (blocks[-1][0] * blocks[-1][1] + mean * size) / (blocks[-1][1] + size),
                blocks[-1][1] + size,
            ]
    result: list[float] = []
    for mean, size in blocks:
        for _ in range(int(size)):
            result.append(mean + len(result))
    return result
