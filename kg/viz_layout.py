"""The page's layout: ForceAtlas2 in numpy, each connected component on its own, packed in rows.

ForceAtlas2 (Jacomy et al. 2014, Gephi's default) as Gephi runs it: degree-weighted
repulsion, linear attraction along weighted edges, gravity, node sizes kept from
overlapping, and the adaptive speed of the paper (swing and traction). networkx >= 3.4
has it too (`forceatlas2_layout`), but loops in Python: 27 s for 1,500 nodes where this
dense float32 version takes about a second. One addition: gravity pulls each node towards
its side's anchor (the home side's bodies to the left, the partner's to the right, the
rest to the middle), so that the picture itself says who is on which side; the attraction
along edges still keeps partners and communities together.

Deterministic: a seeded start, a fixed number of iterations, sorted edges and positions
rounded to a tenth of a pixel, so a page's bytes never depend on floating point's last bits.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

LAYOUT_SEED = 20230511  # any fixed number: the same graph always gets the same picture
SPACING = 200.0  # pixels between neighbours: room for a node and its label (14 px, wrapped)
SCREEN = 1.5  # the canvas's width for a height of 1, at 1280x720 beside the sidebar
SIDE_PULL = {"home": -1.0, "partner": 1.0}  # anchors' x, in component widths; others at 0


def forceatlas2(
    n: int,
    edges: Sequence[tuple[int, int, float]],
    *,
    sizes: Sequence[float] | None = None,
    anchors: Sequence[float] | None = None,
    iterations: int = 200,
) -> tuple[np.ndarray, np.ndarray]:
    """Positions of nodes 0..n-1 (x and y, the mean at the origin), in ForceAtlas2's units.
    `sizes` are radii kept apart; `anchors` the x each node's gravity pulls it to, in units
    of the layout's expected radius (0 for all: plain FA2)."""
    rng = np.random.RandomState(LAYOUT_SEED)
    radius = math.sqrt(n) * 10.0
    pos = (rng.rand(n, 2).astype(np.float32) - 0.5) * np.float32(radius)
    anchor_x = np.zeros(n, np.float32)
    if anchors is not None:
        anchor_x = np.asarray(anchors, np.float32) * np.float32(radius)
        pos[:, 0] += anchor_x
    size = np.asarray(sizes if sizes is not None else [0.0] * n, np.float32)
    a = np.array([e[0] for e in edges], np.int64)
    b = np.array([e[1] for e in edges], np.int64)
    w = np.array([e[2] for e in edges], np.float32)
    mass = np.ones(n, np.float32)
    np.add.at(mass, a, 1.0)
    np.add.at(mass, b, 1.0)
    kr, kg = np.float32(2.0), np.float32(1.0)
    mm = mass[:, None] * mass[None, :]
    reach = size[:, None] + size[None, :]
    np.fill_diagonal(mm, 0.0)
    previous = np.zeros((n, 2), np.float32)
    speed, efficiency = 1.0, 1.0
    for _ in range(iterations):
        x, y = pos[:, 0], pos[:, 1]
        dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
        dist = np.sqrt(dx * dx + dy * dy)
        gap = dist - reach
        # Repulsion kr·m_i·m_j / d, a hundred times stronger where two nodes overlap.
        strength = np.where(gap > 0, kr * mm / np.maximum(gap, 0.01), 100 * kr * mm)
        k = strength / np.maximum(dist, 0.01)
        # sum_j k_ij (p_i - p_j) = p_i·sum_j k_ij - (K p)_i: a matrix product, no n×n×2 array
        force = pos * k.sum(axis=1)[:, None] - k @ pos
        pull = pos[a] - pos[b]  # linear attraction, weighted
        np.add.at(force, a, -pull * w[:, None])
        np.add.at(force, b, pull * w[:, None])
        home = pos - np.stack([anchor_x, np.zeros(n, np.float32)], axis=1)
        length = np.maximum(np.sqrt((home**2).sum(axis=1)), 0.01)
        force -= home * (kg * mass / length)[:, None]
        # Adaptive speed: fast while nodes move steadily, slow where they oscillate.
        swing = mass * np.sqrt(((force - previous) ** 2).sum(axis=1))
        traction = mass * np.sqrt(((force + previous) ** 2).sum(axis=1)) / 2
        total_swing, total_traction = float(swing.sum()), float(traction.sum())
        jitter = 0.05 * math.sqrt(n)
        minimum = math.sqrt(jitter)
        ratio = total_swing / max(total_traction, 1e-9)
        jitter = max(min(jitter, 10.0), minimum) * (1.0 if ratio <= 2.0 else 0.5)
        if ratio > 2.0:
            efficiency = max(efficiency * 0.5, 0.05)
        target = jitter * efficiency * total_traction / max(total_swing, 1e-9)
        if total_swing > jitter * total_traction:
            efficiency = max(efficiency * 0.7, 0.05)
        elif speed < 1000:
            efficiency *= 1.3
        speed = speed + min(target - speed, 0.5 * speed)
        node_speed = speed / (1.0 + speed * np.sqrt(swing / mass))
        magnitude = np.sqrt((force**2).sum(axis=1))
        node_speed = np.minimum(node_speed, 10.0 / np.maximum(magnitude, 1e-9))
        pos += force * node_speed[:, None].astype(np.float32)
        previous = force
    pos -= pos.mean(axis=0)
    return pos[:, 0], pos[:, 1]


def layout(
    n: int,
    edges: Iterable[tuple[int, int, float]],
    *,
    sizes: Sequence[float] | None = None,
    sides: Mapping[int, str] | None = None,
) -> list[tuple[float, float]]:
    """Positions in pixels of nodes 0..n-1: each connected component laid out on its own
    (one layout of everything flings lone nodes to the edges and squeezes the rest), scaled
    so that neighbours are about SPACING apart, then packed in rows, largest first, in a
    block about as wide as 1.5 times its height (a screen's shape). `sides` (node -> "home",
    "partner" or other) pulls each side towards its own half of its component."""
    edge_list = sorted(edges)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, _ in edge_list:
        parent[find(a)] = find(b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    components = sorted(groups.values(), key=lambda c: (-len(c), c[0]))
    by_component: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for a, b, w in edge_list:
        by_component[find(a)].append((a, b, w))
    boxes: list[tuple[float, float, dict[int, tuple[float, float]]]] = []
    for nodes in components:
        if len(nodes) == 1:
            boxes.append((SPACING, SPACING * 0.6, {nodes[0]: (0.0, 0.0)}))
            continue
        local = {g: i for i, g in enumerate(nodes)}
        sub = [(local[a], local[b], w) for a, b, w in by_component[find(nodes[0])]]
        anchors = [SIDE_PULL.get((sides or {}).get(g, ""), 0.0) for g in nodes]
        radii = [(sizes[g] if sizes else 10.0) * 1.5 for g in nodes]
        if len(nodes) == 2:  # a pair side by side, the home side's on the left
            left, right = sorted(nodes, key=lambda g: (anchors[local[g]], g))
            pair = {left: (-SPACING * 0.45, 0.0), right: (SPACING * 0.45, 0.0)}
            boxes.append((SPACING * 1.9, SPACING * 0.6, pair))
            continue
        xs, ys = forceatlas2(
            len(nodes),
            sub,
            sizes=radii,
            anchors=anchors,
            iterations=100 if len(nodes) < 30 else 200 if len(nodes) < 300 else 120,
        )
        pos = _spaced(xs, ys, sub)
        width = float(pos[:, 0].max() - pos[:, 0].min()) + SPACING
        height = float(pos[:, 1].max() - pos[:, 1].min()) + SPACING * 0.6
        centre = (pos.max(axis=0) + pos.min(axis=0)) / 2
        boxes.append(
            (
                width,
                height,
                {
                    g: (float(pos[i, 0] - centre[0]), float(pos[i, 1] - centre[1]))
                    for g, i in local.items()
                },
            )
        )
    positions: list[tuple[float, float]] = [(0.0, 0.0)] * n
    for i, (px, py) in _pack(boxes).items():
        positions[i] = (round(px, 1), round(py, 1))
    return positions


def _rows(
    boxes: Sequence[tuple[float, float, dict[int, tuple[float, float]]]], row_width: float
) -> tuple[float, float, dict[int, tuple[float, float]]]:
    out: dict[int, tuple[float, float]] = {}
    x = y = row_height = widest = 0.0
    for width, height, pos in boxes:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for i, (px, py) in pos.items():
            out[i] = (x + width / 2 + px, y + height / 2 + py)
        x += width
        widest = max(widest, x)
        row_height = max(row_height, height)
    return widest, y + row_height, out


def _pack(
    boxes: Sequence[tuple[float, float, dict[int, tuple[float, float]]]],
) -> dict[int, tuple[float, float]]:
    """Components in rows, largest first, the row width chosen so that the block fills a
    screen-shaped canvas (SCREEN wide for 1 high) at the largest scale."""
    if not boxes:
        return {}
    total = sum(w for w, _, _ in boxes)
    narrowest = max(w for w, _, _ in boxes)
    best: tuple[float, float] | None = None
    for step in range(41):
        row_width = narrowest + (total - narrowest) * step / 40
        width, height, _ = _rows(boxes, row_width)
        fill = min(SCREEN / width, 1.0 / height)
        if best is None or fill > best[0] * 1.0001:
            best = (fill, row_width)
    assert best is not None
    return _rows(boxes, best[1])[2]


def _spaced(xs: np.ndarray, ys: np.ndarray, edges: Sequence[tuple[int, int, float]]) -> np.ndarray:
    """The layout scaled so that its median edge is SPACING long (a pair's two labels then
    sit side by side), and no closer than half of that for any two nodes."""
    pos = np.stack([xs, ys], axis=1).astype(np.float64)
    lengths = [float(np.hypot(*(pos[a] - pos[b]))) for a, b, _ in edges]
    median = sorted(lengths)[len(lengths) // 2] if lengths else 1.0
    return pos * (SPACING / max(median, 1e-6))
