"""Schemathesis hooks for scripts/fuzz.sh (loaded through SCHEMATHESIS_HOOKS).

Python 3.11 before 3.11.9 (and 3.12 before 3.12.4) keeps the AST constructor's recursion depth in
interpreter-wide state, so two threads calling ast.parse at once can fail with
"SystemError: AST constructor recursion depth mismatch" (CPython gh-106905). Hypothesis calls
ast.parse to describe lambdas while schemathesis's workers (threads) generate cases, which made a
whole operation error out at random. Serialising ast.parse costs nothing measurable here.
"""

import ast
import sys
import threading

if sys.version_info < (3, 12, 4):
    _parse = ast.parse
    _lock = threading.Lock()

    def _locked_parse(*args, **kwargs):
        with _lock:
            return _parse(*args, **kwargs)

    ast.parse = _locked_parse


# Hostile leaves. Schemathesis draws values that fit (or plainly break) the schema; the server's weak
# spots are elsewhere: numbers that do not fit an Int64 or a Double exactly where an id or text is
# expected, control characters inside strings, empty and blank strings, deep nesting in the free-form
# structures (automation steps, segment conditions, score rules). In the fuzzing phase, about half of
# the generated JSON bodies get one of their values (at any depth, the whole body included) replaced
# by one of these. Every such reply must still be documented: 400, 404, 409, 413 or 422, never a 5xx.

import copy

import schemathesis
from hypothesis import strategies as st


def _nested(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


HOSTILE = [
    1e19, -1e19, 1e308, -1e308, 5e-324, 1.5, -1, 0, 2**53 + 1, 2**63 - 1, 2**63, -(2**63) - 1, 2**64,
    10**40, "\u0000", "a\u0001b", "tab\tand\nnewline", "\u007f", "\u0085", "\u2028", "\ufeff", "",
    " ", "9" * 40, "-1", "0", "1e19", {}, [], None, True, {"": None}, _nested(64), _nested(400),
    {"steps": _nested(200)},
]


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value[:20]):
            yield from _paths(item, path + (index,))


def _replace(body, path, new):
    if not path:
        return new
    body = copy.deepcopy(body)
    target = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new  # hostile values are never mutated, so they can be shared
    return body


@schemathesis.hook
def flatmap_body(context, body):
    if not isinstance(body, (dict, list)):
        return st.just(body)
    paths = list(_paths(body))
    mutated = st.tuples(st.sampled_from(paths), st.sampled_from(HOSTILE)).map(lambda pv: _replace(body, *pv))
    return st.one_of(st.just(body), mutated)
