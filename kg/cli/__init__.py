"""The `kg` command: a thin layer that reads argv, calls the library, prints and exits.

Each command lives in the module for its part (build, query, outputs, data); heavy modules
are imported inside each command so that `kg extract` starts quickly.
"""

from __future__ import annotations

import logging
import sys
import warnings

import click

from kg.cli import build, data, outputs, push, query, serve  # noqa: F401  (registers the commands)
from kg.cli.app import app
from kg.cli.build import _print_left_out, _worded
from kg.cli.console import _err, _one_line, out
from kg.cli.query import _Interrupted
from kg.errors import KgError, ValidationError

__all__ = ["_print_left_out", "_worded", "app", "main", "out"]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; library errors become one line on stderr and exit status 2."""
    args = sys.argv[1:] if argv is None else list(argv)
    if not args:  # `kg` alone: the help, as `kg --help` prints it, and success
        args = ["--help"]
    # rdflib logs a traceback for each ill-typed literal ("zz"^^xsd:date) it meets; the
    # value is still shown as written, and a graph that breaks the shapes is reported
    # by `kg validate`, so the screen gets no stack dumps.
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore", category=UserWarning, module=r"rdflib\.")
    try:
        code = app.main(args=args, prog_name="kg", standalone_mode=False)
    except ValidationError as exc:
        _err(exc.report.rstrip() + "\n")
        _err(f"kg: error: {_one_line(str(exc))}\n")
        return 2
    except KgError as exc:
        _err(f"kg: error: {_one_line(str(exc))}\n")
        return 2
    except OSError as exc:  # a write or read no library function turned into KgError
        where = exc.filename if exc.filename is not None else "kg"
        _err(f"kg: error: {_one_line(f'{where}: {exc.strerror or exc}')}\n")
        return 2
    except _Interrupted:
        _err("kg: interrupted: the query was stopped (Ctrl-C)\n")
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):
            sys.stderr.write("kg: interrupted (Ctrl-C)\n")
            return 130
        sys.stderr.write("kg: aborted\n")
        return 1
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "kg"
        _err(f"kg: error: {_one_line(exc.format_message())} (see '{_one_line(command)} --help')\n")
        return 2
    except click.ClickException as exc:
        _err(f"kg: error: {_one_line(exc.format_message())}\n")
        return 2
    except UnicodeError as exc:
        # Arguments that are not UTF-8 arrive as lone surrogates; most commands name the
        # argument themselves, the rest fail on encoding it (for an engine, a terminal).
        bad = _not_utf8(args)
        if bad is None:
            raise
        sys.stderr.write(f"kg: error: {bad} ({type(exc).__name__})\n")
        return 2
    except Exception as exc:
        # A graph that parses but breaks the shapes can trip any reader of the graph. Say
        # so in one line when that is the cause; anything else is coopkg's bug and shows.
        why = _graph_breaks_shapes(args)
        if why is None:
            raise
        _err(_one_line(f"kg: error: {why} ({type(exc).__name__}: {exc})")[:600] + "\n")
        return 2
    return code if isinstance(code, int) else 0


def _not_utf8(args: list[str]) -> str | None:
    """Arguments Python could only decode with surrogate escapes: not UTF-8 text."""
    for number, arg in enumerate(args, 1):
        if any("\ud800" <= c <= "\udfff" for c in arg):
            return (
                f"argument {number} ({ascii(arg)[:80]}) is not UTF-8 text: "
                "kg reads arguments and file names as UTF-8"
            )
    return None


def _graph_breaks_shapes(args: list[str]) -> str | None:
    """'GRAPH: breaks the shapes' when the command's graph file does not conform."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ctx = app.make_context("kg", list(args), resilient_parsing=True)
            rest = [*ctx.protected_args, *ctx.args]
            command = app.get_command(ctx, rest[0]) if rest else None
            if command is None:
                return None
            sub = command.make_context(rest[0], rest[1:], parent=ctx, resilient_parsing=True)
        graph = sub.params.get("graph")
        if not isinstance(graph, str) or graph.startswith(("http://", "https://", "sparql:")):
            return None
        from kg.store import RdflibStore
        from kg.validate import validate_graph

        report = validate_graph(RdflibStore.from_file(graph).graph)
    except Exception:
        return None
    if report.conforms:
        return None
    return (
        f"{graph}: the graph breaks the coopkg shapes ({report.count} violation(s); "
        f"`kg validate {graph}` lists them)"
    )
