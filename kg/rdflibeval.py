"""rdflib's SPARQL engine, with each subquery evaluated once per query and joins made by
hashing.

rdflib evaluates the right side of an OPTIONAL (and of a lazy join) again for every row of
the left side, with that row's bindings pushed in. For a subquery (`{ SELECT ... }`) that
means the whole subquery, aggregates and all, once per row; and a join of two evaluated
parts tries every pair of their rows. `bridges` and `bodies-across-mechanisms` took 42 s
each on the dev set's 26,000 triples. SPARQL evaluates a subquery on its own and joins its
solutions (what Oxigraph does), so a subquery's solutions are made once here, without the
outer bindings, and each row gets the ones compatible with it, found by the values of the
variables the row binds; a join looks its rows up by the variables both sides always bind.

Only the queries `kg.store.RdflibStore` runs are evaluated so (their prologue is registered
with `once_per_query`); any other rdflib query in the process is rdflib's own.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import Any

from rdflib.plugins.sparql import CUSTOM_EVALS
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.sparql import Prologue, QueryContext

_NAME = "coopkg-subquery-once"
# The solutions of each subquery (by the id of its algebra node), per running query, and
# their index by the values of the variables the rows it is joined to bind.
_MEMOS: weakref.WeakKeyDictionary[Prologue, dict[Any, Any]] = weakref.WeakKeyDictionary()


def once_per_query(prologue: Prologue) -> None:
    """Evaluate each subquery of the query whose prologue this is once (see the module)."""
    CUSTOM_EVALS.setdefault(_NAME, _evaluate)
    _MEMOS[prologue] = {}


def _evaluate(ctx: QueryContext, part: Any) -> Any:
    memo = _MEMOS.get(ctx.prologue) if ctx.prologue is not None else None
    if memo is not None and part.name == "Join" and not part.lazy:
        # rdflib's evalJoin, its right side a set as there, joined by hashing.
        return _hash_join(list(evalPart(ctx, part.p1)), list(set(evalPart(ctx, part.p2))))
    if memo is not None and part.name == "ToMultiSet" and part.p.name == "Project":
        return _subquery_once(ctx, part, memo)
    raise NotImplementedError  # rdflib's own evaluation


def _hash_join(a: list[Any], b: list[Any]) -> Iterator[Any]:
    """rdflib's `_join` (every compatible pair, merged), each row of `a` meeting only the
    rows of `b` that agree with it on the variables both sides bind in every row."""
    if not a or not b:
        return
    shared = set(a[0]).intersection(*a[1:]).intersection(*b)
    keys = sorted(shared, key=str)
    index: dict[tuple[Any, ...], list[Any]] = {}
    for y in b:
        index.setdefault(tuple(y[v] for v in keys), []).append(y)
    for x in a:
        for y in index.get(tuple(x[v] for v in keys), ()):
            if x.compatible(y):
                yield x.merge(y)


def _subquery_once(ctx: QueryContext, part: Any, memo: dict[Any, Any]) -> Any:
    key = id(part)
    if key not in memo:
        # A context with the query's parameters (initBindings) and nothing else bound.
        fresh = QueryContext(
            ctx._dataset if ctx._dataset is not None else ctx.graph,
            initBindings=ctx.initBindings,
        )
        fresh.prologue, fresh.graph, fresh.bnodes = ctx.prologue, ctx.graph, ctx.bnodes
        memo[key] = list(evalPart(fresh, part.p))
    rows = memo[key]
    bound = tuple(v for v in part.p.PV if ctx[v] is not None)
    if not bound:
        return rows
    if (key, bound) not in memo:
        index: dict[tuple[Any, ...], list[Any]] = {}
        loose = []  # rows that leave one of those variables unbound: compatible with any
        for row in rows:
            values = tuple(row.get(v) for v in bound)
            if None in values:
                loose.append(row)
            else:
                index.setdefault(values, []).append(row)
        memo[key, bound] = index, loose
    index, loose = memo[key, bound]
    found = index.get(tuple(ctx[v] for v in bound), [])
    if not loose:
        return found
    values = [ctx[v] for v in bound]
    return found + [
        row
        for row in loose
        if all(row.get(v) is None or row.get(v) == x for v, x in zip(bound, values, strict=True))
    ]
