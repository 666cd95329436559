"""The binding agrees with cors.h: every enum constant and every limit the
binding names has the header's value, and every structure the binding
declares has the C structure's size, member names and offsets.  The C
compiler says what the header means (CC, default cc); the header is
LIBCORS_INCLUDE/cors.h (default: include/ of this source tree).

    python3 -m pytest examples/python
"""

import ctypes
import os
import re
import shutil
import subprocess
import tempfile

import pytest

import libcors

HERE = os.path.dirname(os.path.abspath(__file__))
INCLUDE = os.environ.get("LIBCORS_INCLUDE") or os.path.join(HERE, "..", "..", "include")
HEADER = os.path.join(INCLUDE, "cors.h")


def header_text():
    with open(HEADER, encoding="utf-8") as f:
        text = f.read()
    # Comments out, so that words in them are never taken for members.
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.S)


def enum_constants(text):
    """Every enumerator of every typedef'd enum in cors.h."""
    names = []
    for body in re.findall(r"typedef\s+enum\s+\w+\s*\{(.*?)\}", text, flags=re.S):
        names += re.findall(r"\b(CORS_[A-Z0-9_]+)\s*(?:=[^,]*)?(?:,|$)", body.strip())
    return names


def int_defines(text):
    """Object-like CORS_* macros with a numeric value."""
    found = re.findall(r"^#\s*define\s+(CORS_[A-Z0-9_]+)[ \t]+([^\n]+)$", text, flags=re.M)
    return [name for name, value in found if not value.lstrip().startswith('"')]


def struct_members(text, tag):
    """Member names of struct TAG, in order."""
    m = re.search(r"typedef\s+struct\s+%s\s*\{(.*?)\}\s*%s\s*;" % (tag, tag), text, flags=re.S)
    assert m, "struct %s not found in %s" % (tag, HEADER)
    return [re.findall(r"(\w+)\s*(?:\[[^]]*\])?\s*$", decl.strip())[0]
            for decl in m.group(1).split(";") if decl.strip()]


def binding_structs():
    """(class, C tag) for each ctypes structure of the binding."""
    out = []
    for value in vars(libcors).values():
        if isinstance(value, type) and issubclass(value, ctypes.Structure) and value.__doc__:
            m = re.match(r"\s*struct (cors_\w+)", value.__doc__)
            if m:
                out.append((value, m.group(1)))
    return out


@pytest.fixture(scope="module")
def c_values():
    """NAME -> value for the constants, "sizeof(T)" and "offsetof(T, m)"."""
    cc = os.environ.get("CC") or "cc"
    if not shutil.which(cc.split()[0]):
        pytest.fail("no C compiler (%s) to read cors.h with" % cc)
    text = header_text()
    exprs = [(n, n) for n in enum_constants(text)]
    exprs += [(n, n) for n in int_defines(text) if hasattr(libcors, n[len("CORS_"):])]
    for cls, tag in binding_structs():
        exprs.append(("sizeof(%s)" % tag, "sizeof(%s)" % tag))
        for field in [f[0] for f in cls._fields_]:
            exprs.append(("offsetof(%s, %s)" % (tag, field), "offsetof(%s, %s)" % (tag, field)))
    lines = ['#include <stddef.h>', '#include <stdio.h>', '#include "cors.h"',
             "int main(void)", "{"]
    lines += ['    printf("%%s=%%lld\\n", "%s", (long long)(%s));' % (k, e) for k, e in exprs]
    lines += ["    return 0;", "}"]
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "values.c")
        exe = os.path.join(tmp, "values")
        with open(src, "w") as f:
            f.write("\n".join(lines) + "\n")
        # (a sanitizer runtime preloaded into this interpreter is not for them)
        env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
        build = subprocess.run(cc.split() + ["-I", INCLUDE, "-o", exe, src],
                               capture_output=True, text=True, env=env)
        assert build.returncode == 0, "cors.h and the binding disagree:\n" + build.stderr
        out = subprocess.run([exe], capture_output=True, text=True, check=True, env=env).stdout
    return dict(line.split("=", 1) for line in out.splitlines())


def test_every_enum_constant(c_values):
    missing, wrong = [], []
    for name in enum_constants(header_text()):
        py = name[len("CORS_"):]
        if not hasattr(libcors, py):
            missing.append(py)
        elif getattr(libcors, py) != int(c_values[name]):
            wrong.append("%s = %r, cors.h says %s" % (py, getattr(libcors, py), c_values[name]))
    assert not missing, "cors.h constants the binding lacks: " + ", ".join(missing)
    assert not wrong, "; ".join(wrong)


def test_limits(c_values):
    for name in int_defines(header_text()):
        py = name[len("CORS_"):]
        if hasattr(libcors, py):
            assert getattr(libcors, py) == int(c_values[name]), py


@pytest.mark.parametrize("cls,tag", binding_structs(), ids=lambda v: getattr(v, "__name__", v))
def test_struct_layout(c_values, cls, tag):
    fields = [f[0] for f in cls._fields_]
    assert fields == struct_members(header_text(), tag), "%s members differ from cors.h" % tag
    assert ctypes.sizeof(cls) == int(c_values["sizeof(%s)" % tag]), "sizeof(%s)" % tag
    for field in fields:
        assert getattr(cls, field).offset == int(c_values["offsetof(%s, %s)" % (tag, field)]), \
            "offsetof(%s, %s)" % (tag, field)


def test_every_binding_struct_is_checked():
    names = [cls.__name__ for cls in vars(libcors).values()
             if isinstance(cls, type) and issubclass(cls, ctypes.Structure)]
    checked = [cls.__name__ for cls, _ in binding_structs()]
    assert sorted(names) == sorted(checked), "say which C struct each class is, in its docstring"


def test_version():
    m = re.search(r'#define CORS_VERSION_STRING "([^"]*)"', header_text())
    assert m and libcors.__version__ == m.group(1)
