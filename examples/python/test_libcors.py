#!/usr/bin/env python3
"""Tests of the ctypes binding against the real shared library.

    LIBCORS_PATH=lib/.libs/libcors.so.0 python3 -m pytest examples/python
    LIBCORS_PATH=lib/.libs/libcors.so.0 python3 examples/python/test_libcors.py

Run by tests/integration/test-python.sh under "make check".
"""

import os
import ctypes
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import libcors  # noqa: E402

LIB = None

SEED_POLICY = """\
# A messaging app's server: any host may GET, PUT, POST and DELETE.
allow-origin     *
allow-methods    GET, PUT, POST, DELETE
allow-headers    Content-Type, Accept
preflight-status 200
"""

APP_POLICY = """\
allow-origin      https://app.example.com https://*.example.org
allow-methods     PUT DELETE PATCH
allow-headers     Content-Type, X-Requested-With
expose-headers    X-Request-Id
allow-credentials on
max-age           600
"""

PREFLIGHT_VARY = "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"


class Base(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # Under pytest, main() below does not run: load the library that
        # LIBCORS_PATH names (or the installed one) once.
        global LIB
        if LIB is None:
            LIB = libcors.load()

    def policy(self, text):
        p = LIB.policy_from_text(text)
        self.addCleanup(p.close)
        return p

    def assertHeaders(self, decision, expected):
        got = [(h.name, h.value, h.flags) for h in decision.headers]
        self.assertEqual(got, expected)


class Version(Base):
    def test_version(self):
        s = LIB.version_string()
        self.assertRegex(s, r"^\d+\.\d+\.\d+$")
        major, minor, patch = (int(x) for x in s.split("."))
        self.assertEqual(LIB.version(), (major << 16) | (minor << 8) | patch)

    def test_strings_never_null(self):
        for code in list(range(0, 18)) + [-1, 999]:
            self.assertTrue(LIB.strerror(code))
        self.assertEqual(LIB.outcome_string(libcors.OUTCOME_PREFLIGHT_ACCEPTED),
                         "preflight accepted")
        self.assertTrue(LIB.reason_string(libcors.REASON_METHOD_NOT_ALLOWED))

    def test_tokens(self):
        self.assertEqual(LIB.outcome_token(libcors.OUTCOME_PREFLIGHT_DENIED), "preflight-denied")
        self.assertEqual(LIB.reason_token(libcors.REASON_ORIGIN_NOT_ALLOWED),
                         "origin-not-allowed")
        for value in list(range(0, 16)) + [-1, 999]:
            self.assertRegex(LIB.outcome_token(value), r"^[a-z-]+$")
            self.assertRegex(LIB.reason_token(value), r"^[a-z-]+$")


class Seed(Base):
    """A messaging app's preflight: OPTIONS /messages/ from another host."""

    def check_seed(self, policy):
        d = policy.evaluate("OPTIONS", origin="http://client.example",
                            request_method="POST", request_headers="accept, content-type")
        self.assertEqual(d.outcome, libcors.OUTCOME_PREFLIGHT_ACCEPTED)
        self.assertEqual(d.status, 200)
        self.assertEqual(d.reason, libcors.REASON_NONE)
        self.assertHeaders(d, [
            ("Access-Control-Allow-Origin", "*", libcors.HEADER_SET),
            ("Access-Control-Allow-Methods", "GET, PUT, POST, DELETE", libcors.HEADER_SET),
            ("Access-Control-Allow-Headers", "content-type, accept", libcors.HEADER_SET),
            ("Vary", PREFLIGHT_VARY, libcors.HEADER_MERGE),
        ])

    def test_seed_preflight_from_text(self):
        self.check_seed(self.policy(SEED_POLICY))

    def test_seed_preflight_from_builder_calls(self):
        with LIB.builder() as b:
            b.allow_origin("*")
            for m in ("GET", "PUT", "POST", "DELETE"):
                b.allow_method(m)
            b.allow_header("Content-Type").allow_header("Accept")
            b.preflight_status(200)
            p = b.build()
        self.addCleanup(p.close)
        self.check_seed(p)
        self.assertEqual(p.to_text(), self.policy(SEED_POLICY).to_text())

    def test_seed_preflight_through_the_callback(self):
        p = self.policy(SEED_POLICY)
        a = p.evaluate("OPTIONS", origin="http://client.example", request_method="POST",
                       request_headers="accept, content-type")
        b = p.evaluate_with_callback("OPTIONS", origin="http://client.example",
                                     request_method="POST",
                                     request_headers="accept, content-type")
        self.assertEqual(a.headers, b.headers)
        self.assertEqual((a.outcome, a.status), (b.outcome, b.status))

    def test_seed_actual_post(self):
        d = self.policy(SEED_POLICY).evaluate("POST", origin="http://client.example")
        self.assertEqual(d.outcome, libcors.OUTCOME_ACTUAL_ALLOWED)
        self.assertEqual(d.status, 0)
        self.assertEqual(d.header("Access-Control-Allow-Origin"), "*")


class Evaluate(Base):
    def setUp(self):
        self.p = self.policy(APP_POLICY)

    def test_preflight_accepted_with_credentials(self):
        d = self.p.evaluate("OPTIONS", origin="https://app.example.com", request_method="PUT",
                            request_headers=["content-type", "x-requested-with"])
        self.assertEqual((d.outcome, d.status), (libcors.OUTCOME_PREFLIGHT_ACCEPTED, 204))
        self.assertEqual(d.header("Access-Control-Allow-Origin"), "https://app.example.com")
        self.assertEqual(d.header("Access-Control-Allow-Credentials"), "true")
        self.assertEqual(d.header("Access-Control-Max-Age"), "600")
        self.assertEqual(d.header("Vary"), PREFLIGHT_VARY)
        for h in d.headers:
            self.assertEqual(h.flags, libcors.HEADER_MERGE if h.name == "Vary"
                             else libcors.HEADER_SET)

    def test_subdomain_pattern(self):
        ok = self.p.evaluate("OPTIONS", origin="https://a.b.example.org", request_method="PATCH")
        self.assertEqual(ok.outcome, libcors.OUTCOME_PREFLIGHT_ACCEPTED)
        for origin in ("https://example.org", "https://evilexample.org",
                       "https://example.org.evil.net", "http://a.example.org"):
            d = self.p.evaluate("OPTIONS", origin=origin, request_method="PATCH")
            self.assertEqual(d.outcome, libcors.OUTCOME_PREFLIGHT_DENIED, origin)

    def test_method_is_case_sensitive(self):
        d = self.p.evaluate("OPTIONS", origin="https://app.example.com", request_method="patch")
        self.assertEqual((d.outcome, d.status), (libcors.OUTCOME_PREFLIGHT_DENIED, 403))
        self.assertEqual(d.reason, libcors.REASON_METHOD_NOT_ALLOWED)
        self.assertEqual(d.detail, "patch")
        self.assertIn("patch", d.describe())
        self.assertIn("PATCH", d.describe())
        # A denied preflight carries no Access-Control-* header, only Vary.
        self.assertHeaders(d, [("Vary", PREFLIGHT_VARY, libcors.HEADER_MERGE)])

    def test_header_not_allowed(self):
        d = self.p.evaluate("OPTIONS", origin="https://app.example.com", request_method="PUT",
                            request_headers="content-type, x-custom")
        self.assertEqual(d.reason, libcors.REASON_HEADER_NOT_ALLOWED)
        self.assertEqual(d.detail, "x-custom")

    def test_actual_allowed_and_disallowed(self):
        d = self.p.evaluate("GET", origin="https://app.example.com")
        self.assertEqual(d.outcome, libcors.OUTCOME_ACTUAL_ALLOWED)
        self.assertEqual(d.header("Access-Control-Expose-Headers"), "x-request-id")
        self.assertEqual(d.header("Vary"), "Origin")
        d = self.p.evaluate("GET", origin="https://evil.example")
        self.assertEqual(d.outcome, libcors.OUTCOME_ACTUAL_DISALLOWED)
        self.assertHeaders(d, [("Vary", "Origin", libcors.HEADER_MERGE)])
        d = self.p.evaluate("GET")
        self.assertEqual(d.outcome, libcors.OUTCOME_NOT_CORS)
        self.assertHeaders(d, [("Vary", "Origin", libcors.HEADER_MERGE)])

    def test_hostile_bytes_never_allowed_or_reflected(self):
        for origin in (b"https://app.example.com\x00.evil", b"https://app.example.com\r\nX: y",
                       b"https://APP.example.com", b"https://app.example.com:443",
                       b"https://app.example.com/", b"null", b""):
            for method in ("OPTIONS", "GET"):
                d = self.p.evaluate(method, origin=origin, request_method="PUT")
                self.assertNotIn(d.outcome, (libcors.OUTCOME_PREFLIGHT_ACCEPTED,
                                             libcors.OUTCOME_ACTUAL_ALLOWED), origin)
                for h in d.headers:
                    self.assertNotIn("\r", h.value)
                    self.assertNotIn("\n", h.value)
                    self.assertNotIn("\0", h.value)
                    self.assertNotIn("evil", h.value)

    def test_views_need_no_terminator(self):
        # The binding passes buffers of exactly len bytes, no NUL after them.
        d = self.p.evaluate(b"OPTIONS", origin=b"https://app.example.com",
                            request_method=b"DELETE", request_headers=[b""])
        self.assertEqual(d.outcome, libcors.OUTCOME_PREFLIGHT_ACCEPTED)

    def test_denied_status_is_configurable(self):
        with LIB.builder() as b:
            with self.assertRaises(libcors.CorsError) as cm:
                b.denied_status(500)
            self.assertEqual(cm.exception.code, libcors.ERR_STATUS)
            self.assertIn("400 to 499", str(cm.exception))
        with LIB.builder() as b:
            b.allow_origin("https://app.example.com").allow_credentials(True)
            b.denied_status(404)
            p = b.build()
        self.addCleanup(p.close)
        self.assertIn("\npreflight-denied-status 404\n", p.to_text())
        d = p.evaluate("OPTIONS", origin="https://evil.example", request_method="PUT")
        self.assertEqual((d.outcome, d.status), (libcors.OUTCOME_PREFLIGHT_DENIED, 404))
        # Still no Access-Control-* header: the browser fails it anyway.
        self.assertHeaders(d, [("Vary", PREFLIGHT_VARY, libcors.HEADER_MERGE)])
        ok = p.evaluate("OPTIONS", origin="https://app.example.com", request_method="POST")
        self.assertEqual((ok.outcome, ok.status), (libcors.OUTCOME_PREFLIGHT_ACCEPTED, 204))
        # The policy text says the same.
        q = self.policy("allow-origin https://app.example.com\npreflight-denied-status 200\n")
        d = q.evaluate("OPTIONS", origin="https://evil.example", request_method="PUT")
        self.assertEqual((d.outcome, d.status), (libcors.OUTCOME_PREFLIGHT_DENIED, 200))

    def test_huge_request_headers_denied(self):
        d = self.p.evaluate("OPTIONS", origin="https://app.example.com", request_method="PUT",
                            request_headers="," * (1 << 20))
        self.assertEqual(d.outcome, libcors.OUTCOME_PREFLIGHT_DENIED)
        self.assertEqual(d.reason, libcors.REASON_HEADERS_TOO_LONG)

    def test_emitter_can_stop(self):
        with self.assertRaises(libcors.CorsError) as cm:
            self.p.evaluate_with_callback("OPTIONS", origin="https://app.example.com",
                                          request_method="PUT", stop_after=1)
        self.assertEqual(cm.exception.code, libcors.ERR_EMIT)

    def test_struct_size_is_checked(self):
        req, keep = self.p._request("GET", None, None, None, None)
        req.struct_size = 0
        res = LIB.new_result()
        code = LIB.c.cors_evaluate(self.p._p, req, libcors.EMIT_FN(), None, res)
        self.assertEqual(code, libcors.ERR_STRUCT_SIZE)
        del keep

    def test_headers_array_too_small(self):
        req, keep = self.p._request("OPTIONS", "https://app.example.com", "PUT", None, None)
        res = LIB.new_result()
        headers = (libcors.Header * 1)()
        count = libcors._size_t()
        code = LIB.c.cors_evaluate_headers(self.p._p, req, headers, 1, count, None, 0, res)
        self.assertEqual(code, libcors.ERR_BUFFER_TOO_SMALL)
        self.assertGreater(count.value, 1)
        del keep

    def test_wildcard_headers_with_credentials_echo_every_line(self):
        p = self.policy("allow-origin https://app.example.com\nallow-headers *\n"
                        "allow-credentials on\n")
        d = p.evaluate("OPTIONS", origin="https://app.example.com", request_method="POST",
                       request_headers=["x-a, x-b", " x-c "])
        self.assertEqual(d.outcome, libcors.OUTCOME_PREFLIGHT_ACCEPTED)
        self.assertEqual(d.header("Access-Control-Allow-Headers"), "x-a, x-b, x-c")


class InitSized(Base):
    """cors_request_init_sized() / cors_result_init_sized(), which this
    binding calls with its own structure sizes: they write only as many
    bytes as the caller says it has."""

    GUARD = 0xA5

    def guarded(self, struct, extra=32):
        """A buffer of the struct's size plus extra bytes, all GUARD."""
        buf = (ctypes.c_ubyte * (ctypes.sizeof(struct) + extra))()
        ctypes.memset(buf, self.GUARD, len(buf))
        return buf

    def stored_size(self, buf):
        return ctypes.cast(buf, ctypes.POINTER(libcors._size_t)).contents.value

    def check_writes(self, init, struct):
        for size in (ctypes.sizeof(libcors._size_t), 24, ctypes.sizeof(struct) - 8,
                     ctypes.sizeof(struct), ctypes.sizeof(struct) + 32):
            buf = self.guarded(struct)
            init(ctypes.cast(buf, ctypes.POINTER(struct)), size)
            zeroed = min(size, ctypes.sizeof(struct))
            self.assertEqual(self.stored_size(buf), size)
            self.assertEqual(bytes(buf[ctypes.sizeof(libcors._size_t):zeroed]),
                             bytes(zeroed - ctypes.sizeof(libcors._size_t)), size)
            self.assertEqual(bytes(buf[zeroed:]), bytes([self.GUARD]) * (len(buf) - zeroed),
                             "size %d: wrote past the caller's size" % size)

    def test_request_writes_only_the_callers_size(self):
        self.check_writes(LIB.c.cors_request_init_sized, libcors.Request)

    def test_result_writes_only_the_callers_size(self):
        self.check_writes(LIB.c.cors_result_init_sized, libcors.Result)

    def test_too_small_or_null_writes_nothing(self):
        for init, struct in ((LIB.c.cors_request_init_sized, libcors.Request),
                             (LIB.c.cors_result_init_sized, libcors.Result)):
            for size in (0, 1, ctypes.sizeof(libcors._size_t) - 1):
                buf = self.guarded(struct)
                init(ctypes.cast(buf, ctypes.POINTER(struct)), size)
                self.assertEqual(bytes(buf), bytes([self.GUARD]) * len(buf))
            init(None, ctypes.sizeof(struct))  # must not crash

    def test_binding_uses_its_own_sizes(self):
        self.assertEqual(LIB.new_request().struct_size, ctypes.sizeof(libcors.Request))
        self.assertEqual(LIB.new_result().struct_size, ctypes.sizeof(libcors.Result))

    def test_smaller_structs_are_refused(self):
        p = self.policy("allow-origin *\n")
        res = LIB.new_result()
        # The 0.1.0 request ended where scheme starts: smaller is refused.
        v0_1 = libcors.Request.scheme.offset
        for size, want in ((v0_1 - 1, libcors.ERR_STRUCT_SIZE), (v0_1, libcors.OK)):
            req, keep = p._request("GET", "https://a.example", None, None, None)
            req.struct_size = size
            self.assertEqual(LIB.c.cors_evaluate(p._p, req, libcors.EMIT_FN(), None, res),
                             want)
            del keep
        req, keep = p._request("GET", "https://a.example", None, None, None)
        LIB.c.cors_result_init_sized(res, ctypes.sizeof(libcors.Result) - 8)
        self.assertEqual(LIB.c.cors_evaluate(p._p, req, libcors.EMIT_FN(), None, res),
                         libcors.ERR_STRUCT_SIZE)
        del keep

    def test_larger_result_keeps_its_size_and_tail(self):
        p = self.policy("allow-origin *\n")
        req, keep = p._request("GET", "https://a.example", None, None, None)
        buf = self.guarded(libcors.Result)
        res = ctypes.cast(buf, ctypes.POINTER(libcors.Result))
        LIB.c.cors_result_init_sized(res, len(buf))
        self.assertEqual(LIB.c.cors_evaluate(p._p, req, libcors.EMIT_FN(), None, res),
                         libcors.OK)
        self.assertEqual(res.contents.outcome, libcors.OUTCOME_ACTUAL_ALLOWED)
        self.assertEqual(res.contents.struct_size, len(buf))
        tail = ctypes.sizeof(libcors.Result)
        self.assertEqual(bytes(buf[tail:]), bytes([self.GUARD]) * (len(buf) - tail))
        del keep


class Build(Base):
    def build_error(self, text):
        with LIB.builder() as b:
            b.parse(text)
            with self.assertRaises(libcors.CorsError) as cm:
                b.build()
        return cm.exception

    def test_star_with_credentials_cannot_be_built(self):
        e = self.build_error("allow-origin *\nallow-credentials on\n")
        self.assertEqual(e.code, libcors.ERR_POLICY)
        errors = [d for d in e.diagnostics if d.severity == libcors.SEVERITY_ERROR]
        self.assertTrue(errors)
        self.assertTrue(any(d.code == libcors.ERR_CONFLICT and "credentials" in d.message
                            for d in errors), errors)

    def test_every_problem_is_reported_with_its_line(self):
        e = self.build_error("allow-origin https://example.com/\n"
                             "allow-methods CONNECT\n"
                             "max-age 999999\n"
                             "no-such-directive x\n")
        lines = sorted({d.line for d in e.diagnostics if d.severity == libcors.SEVERITY_ERROR})
        self.assertEqual(lines, [1, 2, 3, 4])
        self.assertTrue(re.search(r"^1: .*https://example\.com/", str(e).split(": ", 1)[1]))

    def test_setters_refuse_at_once(self):
        with LIB.builder() as b:
            with self.assertRaises(libcors.CorsError) as cm:
                b.allow_origin("https://example.com:443")
            self.assertEqual(cm.exception.code, libcors.ERR_ORIGIN)
            with self.assertRaises(libcors.CorsError):
                b.allow_header("Cookie")
            with self.assertRaises(libcors.CorsError):
                b.max_age(-1)
            b.allow_origin("https://example.com")  # still usable
            self.assertEqual(len([d for d in b.diagnostics()
                                  if d.severity == libcors.SEVERITY_ERROR]), 3)


def main():
    global LIB
    path = os.environ.get("LIBCORS_PATH")
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        path = sys.argv.pop(1)
    LIB = libcors.load(path)
    unittest.main(verbosity=2)


if __name__ == "__main__":
    main()
