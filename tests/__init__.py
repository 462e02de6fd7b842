"""innomap's tests: a package, so that tests.support is importable from the tests, the
benchmarks and the scripts alike (pytest puts the repository root on sys.path)."""
