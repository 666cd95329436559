"""libcors.py - a ctypes binding of the libcors public API (include/cors.h).

Standard library only.  Load the shared library, build a policy, evaluate
requests:

    import libcors
    lib = libcors.load("/usr/lib/x86_64-linux-gnu/libcors.so.0")
    with lib.builder() as b:
        b.parse("allow-origin https://app.example.com\\nallow-methods PUT\\n")
        policy = b.build()
    d = policy.evaluate("OPTIONS", origin="https://app.example.com",
                        request_method="PUT", request_headers="content-type")
    d.outcome == libcors.OUTCOME_PREFLIGHT_ACCEPTED, d.status, d.headers

Header names and values cross the boundary as bytes: str arguments are
encoded as UTF-8 (libcors refuses anything that is not ASCII where it
matters), results are decoded as Latin-1 so that no byte is ever lost.

Copyright (c) 2026 The libcors authors.  MIT licence, see COPYING.
"""

import ctypes
import ctypes.util

# The version of libcors this binding follows (tests check it against
# cors.h; pyproject.toml takes the package version from here).
__version__ = "0.2.0"
import os
from collections import namedtuple

# cors_error
OK = 0
ERR_NOMEM = 1
ERR_INVALID_ARGUMENT = 2
ERR_STRUCT_SIZE = 3
ERR_ORIGIN = 4
ERR_METHOD = 5
ERR_HEADER = 6
ERR_EXPOSE_HEADER = 7
ERR_MAX_AGE = 8
ERR_STATUS = 9
ERR_CONFLICT = 10
ERR_SYNTAX = 11
ERR_UNKNOWN_DIRECTIVE = 12
ERR_DUPLICATE = 13
ERR_POLICY = 14
ERR_EMIT = 15
ERR_BUFFER_TOO_SMALL = 16
ERR_LIMIT = 17
ERR_FILE = 18

# cors_danger
DANGER_INSECURE_ORIGINS_WITH_CREDENTIALS = 1
DANGER_TLD_WILDCARD_WITH_CREDENTIALS = 2
DANGER_PUBLIC_SUFFIX_WILDCARD_WITH_CREDENTIALS = 3
DANGER_PRIVATE_NETWORK_ANY_ORIGIN = 4

# cors_severity
SEVERITY_ERROR = 0
SEVERITY_WARNING = 1

# cors_outcome
OUTCOME_NOT_CORS = 0
OUTCOME_PREFLIGHT_ACCEPTED = 1
OUTCOME_PREFLIGHT_DENIED = 2
OUTCOME_ACTUAL_ALLOWED = 3
OUTCOME_ACTUAL_DISALLOWED = 4
OUTCOME_SAME_ORIGIN = 5

# cors_reason
REASON_NONE = 0
REASON_ORIGIN_MALFORMED = 1
REASON_ORIGIN_NULL = 2
REASON_ORIGIN_NOT_ALLOWED = 3
REASON_METHOD_MALFORMED = 4
REASON_METHOD_NOT_ALLOWED = 5
REASON_HEADERS_MALFORMED = 6
REASON_HEADERS_TOO_LONG = 7
REASON_HEADER_NOT_ALLOWED = 8
REASON_PRIVATE_NETWORK_NOT_ALLOWED = 9
REASON_PRIVATE_NETWORK_MALFORMED = 10
REASON_FIELD_REPEATED = 11

# cors_header_flags
HEADER_SET = 1
HEADER_MERGE = 2

# cors_check_flags (cors_check_response(), not bound yet)
CHECK_CREDENTIALS = 1
CHECK_CHROMIUM = 2

# cors_block
BLOCK_NONE = 0
BLOCK_NO_ALLOW_ORIGIN = 1
BLOCK_MULTIPLE_ALLOW_ORIGIN = 2
BLOCK_ORIGIN_MISMATCH = 3
BLOCK_WILDCARD_WITH_CREDENTIALS = 4
BLOCK_CREDENTIALS_NOT_TRUE = 5
BLOCK_PREFLIGHT_STATUS = 6
BLOCK_METHODS_MALFORMED = 7
BLOCK_HEADERS_MALFORMED = 8
BLOCK_METHOD_NOT_ALLOWED = 9
BLOCK_AUTHORIZATION_NOT_ALLOWED = 10
BLOCK_HEADER_NOT_ALLOWED = 11
BLOCK_PRIVATE_NETWORK_NOT_ALLOWED = 12

MAX_REQUEST_HEADERS_BYTES = 4096
MAX_REQUEST_HEADERS_NAMES = 64
MAX_HEADERS = 8
SCRATCH_SIZE = MAX_REQUEST_HEADERS_BYTES + 2 * MAX_REQUEST_HEADERS_NAMES

_size_t = ctypes.c_size_t


class Str(ctypes.Structure):
    """struct cors_str."""
    _fields_ = [("ptr", ctypes.c_void_p), ("len", _size_t)]


class Request(ctypes.Structure):
    """struct cors_request, as of this version of cors.h."""
    _fields_ = [
        ("struct_size", _size_t),
        ("method", ctypes.c_void_p), ("method_len", _size_t),
        ("origin", ctypes.c_void_p), ("origin_len", _size_t),
        ("request_method", ctypes.c_void_p), ("request_method_len", _size_t),
        ("request_headers", ctypes.POINTER(Str)), ("request_headers_count", _size_t),
        ("request_private_network", ctypes.c_void_p),
        ("request_private_network_len", _size_t),
        ("scheme", ctypes.c_void_p), ("scheme_len", _size_t),
        ("host", ctypes.c_void_p), ("host_len", _size_t),
        ("field_flags", ctypes.c_uint),
    ]


class Result(ctypes.Structure):
    """struct cors_result."""
    _fields_ = [
        ("struct_size", _size_t),
        ("outcome", ctypes.c_int),
        ("status", ctypes.c_int),
        ("reason", ctypes.c_int),
        ("detail", ctypes.c_void_p),
        ("detail_len", _size_t),
    ]


class Header(ctypes.Structure):
    """struct cors_header."""
    _fields_ = [
        ("name", ctypes.c_void_p), ("name_len", _size_t),
        ("value", ctypes.c_void_p), ("value_len", _size_t),
        ("flags", ctypes.c_uint),
    ]


class Diagnostic(ctypes.Structure):
    """struct cors_diagnostic."""
    _fields_ = [
        ("severity", ctypes.c_int),
        ("code", ctypes.c_int),
        ("line", ctypes.c_uint),
        ("message", ctypes.c_char_p),
        ("file", ctypes.c_char_p),
        ("id", ctypes.c_char_p),
    ]


EMIT_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, _size_t,
                           ctypes.c_void_p, _size_t, ctypes.c_uint)

# What Python callers get back.
Diag = namedtuple("Diag", "severity code line message")
ResponseHeader = namedtuple("ResponseHeader", "name value flags")


class CorsError(Exception):
    """A libcors error code, with the builder's diagnostics when building."""

    def __init__(self, lib, code, diagnostics=()):
        self.code = code
        self.diagnostics = list(diagnostics)
        text = lib.strerror(code)
        errors = [d for d in self.diagnostics if d.severity == SEVERITY_ERROR]
        if errors:
            text += ": " + "; ".join(
                ("%d: %s" % (d.line, d.message)) if d.line else d.message for d in errors)
        super().__init__(text)


def _bytes(value):
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    return str(value).encode("utf-8")


def _read(ptr, length):
    return ctypes.string_at(ptr, length).decode("latin-1") if length else ""


_SIGNATURES = {
    # name: (restype, argtypes)
    "cors_version": (ctypes.c_uint, []),
    "cors_version_string": (ctypes.c_char_p, []),
    "cors_strerror": (ctypes.c_char_p, [ctypes.c_int]),
    "cors_builder_new": (ctypes.c_void_p, [ctypes.c_void_p]),
    "cors_builder_free": (None, [ctypes.c_void_p]),
    "cors_builder_allow_origin": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, _size_t]),
    "cors_builder_allow_method": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, _size_t]),
    "cors_builder_allow_header": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, _size_t]),
    "cors_builder_expose_header": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, _size_t]),
    "cors_builder_allow_credentials": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int]),
    "cors_builder_set_max_age": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_long]),
    "cors_builder_allow_private_network": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int]),
    "cors_builder_set_preflight_status": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int]),
    "cors_builder_set_denied_status": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int]),
    "cors_builder_allow_danger": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]),
    "cors_builder_parse": (ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, _size_t]),
    "cors_builder_diagnostic_count": (_size_t, [ctypes.c_void_p]),
    "cors_builder_diagnostic": (ctypes.POINTER(Diagnostic), [ctypes.c_void_p, _size_t]),
    "cors_builder_error_count": (_size_t, [ctypes.c_void_p]),
    "cors_builder_build": (ctypes.c_int, [ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]),
    "cors_policy_free": (None, [ctypes.c_void_p]),
    "cors_policy_to_text": (_size_t, [ctypes.c_void_p, ctypes.c_char_p, _size_t]),
    "cors_request_init_sized": (None, [ctypes.POINTER(Request), _size_t]),
    "cors_result_init_sized": (None, [ctypes.POINTER(Result), _size_t]),
    "cors_outcome_string": (ctypes.c_char_p, [ctypes.c_int]),
    "cors_reason_string": (ctypes.c_char_p, [ctypes.c_int]),
    "cors_outcome_token": (ctypes.c_char_p, [ctypes.c_int]),
    "cors_reason_token": (ctypes.c_char_p, [ctypes.c_int]),
    "cors_result_describe": (_size_t, [ctypes.c_void_p, ctypes.POINTER(Result),
                                       ctypes.c_char_p, _size_t]),
    "cors_evaluate": (ctypes.c_int, [ctypes.c_void_p, ctypes.POINTER(Request), EMIT_FN,
                                     ctypes.c_void_p, ctypes.POINTER(Result)]),
    "cors_evaluate_headers": (ctypes.c_int, [ctypes.c_void_p, ctypes.POINTER(Request),
                                             ctypes.POINTER(Header), _size_t,
                                             ctypes.POINTER(_size_t), ctypes.c_char_p, _size_t,
                                             ctypes.POINTER(Result)]),
}


class Library:
    """The loaded shared library; every call goes through the signatures
    declared above, so ctypes never guesses an argument type."""

    def __init__(self, path=None):
        path = path or os.environ.get("LIBCORS_PATH") or ctypes.util.find_library("cors")
        if not path:
            raise OSError("libcors not found: pass its path or set LIBCORS_PATH")
        self.c = ctypes.CDLL(path)
        for name, (restype, argtypes) in _SIGNATURES.items():
            fn = getattr(self.c, name)
            fn.restype = restype
            fn.argtypes = argtypes

    def version(self):
        return self.c.cors_version()

    def version_string(self):
        return self.c.cors_version_string().decode("ascii")

    def strerror(self, code):
        return self.c.cors_strerror(code).decode("ascii", "replace")

    def outcome_string(self, outcome):
        return self.c.cors_outcome_string(outcome).decode("ascii", "replace")

    def reason_string(self, reason):
        return self.c.cors_reason_string(reason).decode("ascii", "replace")

    # Stable words for logs and metrics ("preflight-denied").
    def outcome_token(self, outcome):
        return self.c.cors_outcome_token(outcome).decode("ascii")

    def reason_token(self, reason):
        return self.c.cors_reason_token(reason).decode("ascii")

    def builder(self):
        return Builder(self)

    # cors_request_init() and cors_result_init() are C macros, which ctypes
    # cannot call.  The sized functions behind them get this binding's own
    # structure sizes, not the library's: a later libcors with larger
    # structures then writes no further than what this binding allocated,
    # and learns from struct_size which fields the binding knows.
    def new_request(self):
        """A zeroed Request with struct_size set (cors_request_init)."""
        req = Request()
        self.c.cors_request_init_sized(ctypes.byref(req), ctypes.sizeof(Request))
        return req

    def new_result(self):
        """A zeroed Result with struct_size set (cors_result_init)."""
        res = Result()
        self.c.cors_result_init_sized(ctypes.byref(res), ctypes.sizeof(Result))
        return res

    def policy_from_text(self, text):
        with Builder(self) as b:
            b.parse(text)
            return b.build()


def load(path=None):
    return Library(path)


class Builder:
    """cors_builder: collect settings, then build().  Setters raise
    CorsError on a refused value; parse() records every problem and raises
    at build()."""

    def __init__(self, lib):
        self.lib = lib
        self._b = lib.c.cors_builder_new(None)
        if not self._b:
            raise MemoryError("cors_builder_new")

    def close(self):
        if self._b:
            self.lib.c.cors_builder_free(self._b)
            self._b = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def _check(self, code):
        if code != OK:
            raise CorsError(self.lib, code, self.diagnostics())
        return self

    def _string(self, fn, value):
        data = _bytes(value)
        return self._check(fn(self._b, data, len(data)))

    def allow_origin(self, origin):
        return self._string(self.lib.c.cors_builder_allow_origin, origin)

    def allow_method(self, method):
        return self._string(self.lib.c.cors_builder_allow_method, method)

    def allow_header(self, name):
        return self._string(self.lib.c.cors_builder_allow_header, name)

    def expose_header(self, name):
        return self._string(self.lib.c.cors_builder_expose_header, name)

    def allow_credentials(self, on=True):
        return self._check(self.lib.c.cors_builder_allow_credentials(self._b, int(bool(on))))

    def max_age(self, seconds):
        return self._check(self.lib.c.cors_builder_set_max_age(self._b, int(seconds)))

    def allow_private_network(self, on=True):
        return self._check(self.lib.c.cors_builder_allow_private_network(self._b, int(bool(on))))

    def preflight_status(self, status):
        return self._check(self.lib.c.cors_builder_set_preflight_status(self._b, int(status)))

    def denied_status(self, status):
        return self._check(self.lib.c.cors_builder_set_denied_status(self._b, int(status)))

    def allow_danger(self, danger, on=True):
        return self._check(self.lib.c.cors_builder_allow_danger(self._b, int(danger),
                                                                int(bool(on))))

    def parse(self, text):
        """Adds policy text; returns the code of its first error (also kept
        as a diagnostic), so that all problems can be reported at once."""
        data = _bytes(text)
        return self.lib.c.cors_builder_parse(self._b, data, len(data))

    def diagnostics(self):
        out = []
        for i in range(self.lib.c.cors_builder_diagnostic_count(self._b)):
            d = self.lib.c.cors_builder_diagnostic(self._b, i).contents
            out.append(Diag(d.severity, d.code, d.line, d.message.decode("ascii", "replace")))
        return out

    def build(self):
        out = ctypes.c_void_p()
        code = self.lib.c.cors_builder_build(self._b, ctypes.byref(out))
        if code != OK:
            raise CorsError(self.lib, code, self.diagnostics())
        return Policy(self.lib, out.value)


class Decision:
    """What one evaluation decided, and the headers to write."""

    def __init__(self, policy, result, headers, keep):
        self.outcome = result.outcome
        self.status = result.status
        self.reason = result.reason
        self.detail = _read(result.detail, result.detail_len) if result.detail else None
        self.headers = headers
        self._policy = policy
        self._result = result
        self._keep = keep  # the request's buffers, which result.detail points into

    def describe(self):
        buf = ctypes.create_string_buffer(512)
        n = self._policy.lib.c.cors_result_describe(self._policy._p, ctypes.byref(self._result),
                                                    buf, len(buf))
        if n >= len(buf):
            buf = ctypes.create_string_buffer(n + 1)
            self._policy.lib.c.cors_result_describe(self._policy._p,
                                                    ctypes.byref(self._result), buf, len(buf))
        return buf.value.decode("ascii", "replace")

    def header(self, name):
        values = [h.value for h in self.headers if h.name.lower() == name.lower()]
        return values[0] if len(values) == 1 else (values or None)

    def __repr__(self):
        return "<Decision %s %d %r>" % (self._policy.lib.outcome_string(self.outcome),
                                         self.status, self.headers)


class Policy:
    """An immutable cors_policy."""

    def __init__(self, lib, handle):
        self.lib = lib
        self._p = handle

    def close(self):
        if self._p:
            self.lib.c.cors_policy_free(self._p)
            self._p = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def to_text(self):
        n = self.lib.c.cors_policy_to_text(self._p, None, 0)
        buf = ctypes.create_string_buffer(n + 1)
        self.lib.c.cors_policy_to_text(self._p, buf, len(buf))
        return buf.value.decode("latin-1")

    def _request(self, method, origin, request_method, request_headers,
                 request_private_network):
        """A cors_request plus the Python objects its pointers point into."""
        req = self.lib.new_request()
        keep = []

        def view(value):
            data = _bytes(value)
            if data is None:
                return None, 0
            buf = ctypes.create_string_buffer(data, len(data))  # exactly len bytes, no NUL
            keep.append(buf)
            return ctypes.cast(buf, ctypes.c_void_p), len(data)

        req.method, req.method_len = view(method)
        req.origin, req.origin_len = view(origin)
        req.request_method, req.request_method_len = view(request_method)
        req.request_private_network, req.request_private_network_len = \
            view(request_private_network)
        if request_headers is not None:
            if isinstance(request_headers, (str, bytes)):
                request_headers = [request_headers]
            lines = (Str * max(1, len(request_headers)))()
            for i, line in enumerate(request_headers):
                lines[i].ptr, lines[i].len = view(line)
            keep.append(lines)
            req.request_headers = ctypes.cast(lines, ctypes.POINTER(Str))
            req.request_headers_count = len(request_headers)
        return req, keep

    def evaluate(self, method, origin=None, request_method=None, request_headers=None,
                 request_private_network=None):
        """cors_evaluate_headers(): the callback-free variant.

        request_headers is one Access-Control-Request-Headers value or a list
        of them (one per header line).  None means the header is absent."""
        req, keep = self._request(method, origin, request_method, request_headers,
                                  request_private_network)
        result = self.lib.new_result()
        headers = (Header * MAX_HEADERS)()
        count = _size_t()
        scratch = ctypes.create_string_buffer(SCRATCH_SIZE)
        code = self.lib.c.cors_evaluate_headers(self._p, ctypes.byref(req), headers,
                                                MAX_HEADERS, ctypes.byref(count), scratch,
                                                SCRATCH_SIZE, ctypes.byref(result))
        if code != OK:
            raise CorsError(self.lib, code)
        # Values point into the policy, the request and scratch: copy now.
        out = [ResponseHeader(_read(h.name, h.name_len), _read(h.value, h.value_len), h.flags)
               for h in headers[:count.value]]
        return Decision(self, result, out, keep)

    def evaluate_with_callback(self, method, origin=None, request_method=None,
                               request_headers=None, request_private_network=None,
                               stop_after=None):
        """cors_evaluate() with a Python emitter.  stop_after=N makes the
        emitter return non-zero after N headers (CORS_ERR_EMIT)."""
        req, keep = self._request(method, origin, request_method, request_headers,
                                  request_private_network)
        result = self.lib.new_result()
        out = []

        def emit(ctx, name, name_len, value, value_len, flags):
            if stop_after is not None and len(out) >= stop_after:
                return 1
            out.append(ResponseHeader(_read(name, name_len), _read(value, value_len), flags))
            return 0

        callback = EMIT_FN(emit)  # referenced until the call returns
        code = self.lib.c.cors_evaluate(self._p, ctypes.byref(req), callback, None,
                                        ctypes.byref(result))
        if code != OK:
            raise CorsError(self.lib, code)
        return Decision(self, result, out, keep)
