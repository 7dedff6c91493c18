"""The benchmark of papernotes, kept out of the installed package: synthetic knowledge bases (`synth`),
the timed commands (`bench`, run by ./scripts/bench) and the search figures (`search`).

It runs from a source checkout only (the generator copies the repository's data files, part indexes
and site configuration), with this folder on PYTHONPATH: `PYTHONPATH=benchmarks python -m papernotes_bench.bench`.
"""
