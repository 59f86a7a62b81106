"""Reading one kg serve request within its limits: its parameters, body and dataset.

Whatever breaks a limit (too many fields, a body too long, cut short or not UTF-8, two
values where one is meant) raises Refused with the reply that says so; `close` is set
when the connection cannot go on, because an unread body would be taken for a request.
"""

from __future__ import annotations

import urllib.parse
from email.message import Message
from typing import BinaryIO

from kg.answer import Reply, text_reply

MAX_FIELDS = 1024  # form fields or query parameters (dataset IRIs) read from one request


class Refused(Exception):
    """The request is answered with `reply` and nothing else is done with it."""

    def __init__(self, reply: Reply, close: bool = False) -> None:
        super().__init__(reply.status)
        self.reply = reply
        self.close = close


def parameters(
    method: str, query: str, headers: Message, body: BinaryIO, max_body: int
) -> dict[str, list[str]]:
    """The parameters of a /sparql request: its query string, and for a POST its form
    fields or its body as `query` (application/sparql-query) or `update`."""
    params = fields(query)
    if method != "POST":
        return params
    kind = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    data = read_body(headers, body, max_body)
    if kind == "application/x-www-form-urlencoded":
        params.update(fields(utf8(data)))
    elif kind == "application/sparql-query":
        params["query"] = [utf8(data)]
    elif kind == "application/sparql-update":
        params["update"] = [utf8(data)]
    else:
        raise Refused(text_reply(415, f"cannot read a body of type {kind!r}"))
    return params


def read_body(headers: Message, body: BinaryIO, max_body: int) -> bytes:
    """Exactly Content-Length bytes of `body`, at most `max_body` of them."""
    if headers.get("Transfer-Encoding"):
        raise Refused(text_reply(411, "send the body with a Content-Length"))
    length = headers.get("Content-Length")
    if length is None or not length.isdigit():
        raise Refused(text_reply(411, "a POST needs a Content-Length"))
    if int(length) > max_body:
        raise Refused(text_reply(413, f"the body is over {max_body} bytes"), close=True)
    data = body.read(int(length))
    if len(data) < int(length):
        raise Refused(text_reply(400, "the body ended early"), close=True)
    return data


def fields(text: str) -> dict[str, list[str]]:
    try:
        return urllib.parse.parse_qs(
            text, keep_blank_values=True, errors="strict", max_num_fields=MAX_FIELDS
        )
    except UnicodeDecodeError:
        raise Refused(text_reply(400, "the parameters are not UTF-8")) from None
    except ValueError:
        raise Refused(text_reply(400, f"more than {MAX_FIELDS} parameters")) from None


def utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(text_reply(400, "the body is not UTF-8 text")) from None


def one(params: dict[str, list[str]], name: str) -> str:
    values = params[name]
    if len(values) != 1:
        raise Refused(text_reply(400, f"give one {name}, not {len(values)}"))
    return values[0]


def graph_uris(params: dict[str, list[str]], name: str) -> tuple[str, ...]:
    """The IRIs given as `name` (a dataset for one query); Refused for one that is not."""
    iris = tuple(params.get(name, ()))
    for iri in iris:
        if not iri.startswith(("http://", "https://", "urn:")) or any(
            c in iri for c in '<>"{}|^`\\ '
        ):
            raise Refused(text_reply(400, f"{name}: {iri!r} is not an absolute IRI"))
    return iris
