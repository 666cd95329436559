# examples/python/: the Python ctypes binding and its tests (run by
# tests/integration/test-python.sh).
EXTRA_DIST += examples/python/libcors.py examples/python/test_libcors.py
