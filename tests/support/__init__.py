"""What the tests share that is not a fixture: the server and browser harness, page helpers,
readers of the downloads, the hostile dataset, the load sessions. No tests here.

Benchmarks and scripts import these too: they put the repository root on sys.path first.
"""
