"""Typed exceptions: the library raises these, the CLI turns them into one line and exit 2."""

from __future__ import annotations


class KgError(Exception):
    """Base of every error the library raises on purpose."""


class InputError(KgError):
    """Bad input: names the file and, where there is one, the line (and column)."""

    def __init__(
        self, path: str | None, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __reduce__(self) -> tuple[object, ...]:
        # Rebuilt from its fields: an error raised in a worker process comes back whole
        # (unpickling calls __init__ with `args`, which holds only the formatted text).
        return (type(self), (self.path, self.message, self.line, self.column))

    def __str__(self) -> str:
        where = self.path or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class ValidationError(KgError):
    """The graph breaks the SHACL shapes; `report` is the readable text."""

    def __init__(self, report: str, count: int) -> None:
        self.report = report
        self.count = count
        super().__init__(f"SHACL validation failed with {count} violation(s)")

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.report, self.count))


class OutputError(KgError):
    """A file or folder could not be written (full disk, no permission, not a folder...);
    names the path the user gave, never a temporary one."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(str(self))

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.message))

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"
