"""What one extraction asked of the registry's bodies, people and generic groups, so that
a registry change re-extracts only the documents whose answers it changes.

A document's extraction reads the registry through `Registry`'s lookups. Those that read
the curated bodies, people or generic groups (`bodies.yaml`, `people.yaml`,
`generic_groups.yaml`: a name looked up, the bodies or groups a text names, a place's
government, a body's ancestors, the registry a document's new places extend) are
`traced`: while `tracing` is on, each question is written down once, with a digest of its
answer. After a change to those files, `Trace.same_answers` asks the new registry the
same questions: when every answer is the same, the extraction is the same (it is a
function of the text and of those answers), and the last build's is kept. The places and
the posts are read whole by patterns made once per process, so a change to
`jurisdictions.yaml` or `posts.yaml` re-extracts every document (`kg.buildcache`).

Only the outermost lookup is written down: the ones it makes itself follow from it.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# (registry asked, lookup, its arguments, registry it made or None, digest of the answer).
# Registry 0 is the one tracing began with; others were made from it (`with_found`).
Call = tuple[int, str, tuple[Any, ...], int | None, str]


@dataclass(frozen=True)
class Trace:
    """The questions one extraction asked of the registry, and their answers."""

    calls: tuple[Call, ...]
    # False when the extraction asked a registry the trace did not see made (one a
    # cache of another document's kept): its answers cannot be asked again.
    complete: bool = True

    def digest(self) -> str:
        """A digest of the questions and answers: equal digests, equal extractions."""
        sha = hashlib.sha256(repr(self.calls).encode("utf-8", "surrogateescape"))
        return sha.hexdigest() if self.complete else "incomplete:" + sha.hexdigest()

    def same_answers(self, registry: Any) -> bool:
        """Whether `registry` answers every question as the traced one did."""
        if not self.complete:
            return False
        made: dict[int, Any] = {0: registry}
        for tag, name, args, out, said in self.calls:
            asked = made.get(tag)
            if asked is None:
                return False
            try:
                result = getattr(asked, name)(*args)
            except Exception as exc:  # a lookup that fails now: not the same answer
                result = exc
            if _said(result) != said:
                return False
            if out is not None:
                made[out] = result
        return True


class _Tracer:
    def __init__(self, registry: Any) -> None:
        self.tags: dict[int, int] = {id(registry): 0}
        self.kept: list[Any] = [registry]  # alive while traced: their ids stay theirs
        self.calls: dict[tuple[int, str, str], Call] = {}
        self.depth = 0
        self.complete = True

    def note(self, registry: Any, name: str, args: tuple[Any, ...], result: Any) -> None:
        tag = self.tags.get(id(registry))
        if tag is None:
            self.complete = False
            return
        out = None
        key = (tag, name, repr(args))
        if name == "with_found" and not isinstance(result, Exception):
            out = self.tags[id(result)] = len(self.kept)
            self.kept.append(result)
            key = (tag, name, str(out))  # each registry made is one of its own
        self.calls.setdefault(key, (tag, name, args, out, _said(result)))


_TRACER: _Tracer | None = None


def _said(result: Any) -> str:
    if isinstance(result, Exception):
        text = f"raised {type(result).__name__}: {result}"
    elif hasattr(result, "traced_answer"):
        text = result.traced_answer()
    else:
        text = repr(result)
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()


def traced(method: F) -> F:
    """Mark a `Registry` lookup that reads its bodies, people or generic groups: written
    down while tracing."""
    name = method.__name__

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any) -> Any:
        tracer = _TRACER
        if tracer is None or tracer.depth:
            return method(self, *args)
        tracer.depth += 1
        try:
            result = method(self, *args)
        except Exception as exc:
            tracer.depth -= 1
            tracer.note(self, name, args, exc)
            raise
        tracer.depth -= 1
        tracer.note(self, name, args, result)
        return result

    return wrapper  # type: ignore[return-value]


class Tracing:
    """The trace being written (`trace` is set when `tracing` ends)."""

    trace: Trace | None = None


@contextmanager
def tracing(registry: Any) -> Iterator[Tracing]:
    """Trace the lookups of `registry` (and of registries made from it) in this block."""
    global _TRACER
    outer, _TRACER = _TRACER, _Tracer(registry)
    done = Tracing()
    try:
        yield done
    finally:
        tracer, _TRACER = _TRACER, outer
        done.trace = Trace(tuple(tracer.calls.values()), tracer.complete)
