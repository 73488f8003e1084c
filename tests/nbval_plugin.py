"""A pytest plugin for the notebook run: nbval compares outputs but not stderr.

Load it with ``python -m pytest -p tests.nbval_plugin --nbval-lax ... notebooks/`` (the
Makefile's ``test`` target does). With ``--nbval-lax`` only cells marked
``# NBVAL_CHECK_OUTPUT`` are compared; this plugin drops the stderr stream from that
comparison, because warnings and progress bars (tqdm writes to stderr) differ between
machines and library versions while the checked stdout must not.
"""
from __future__ import annotations

SKIPPED_STREAMS = ("stderr",)


def pytest_collectstart(collector) -> None:
    """Add stderr to the keys nbval skips when it compares a notebook's outputs."""
    skip = getattr(collector, "skip_compare", None)
    if skip is not None and type(collector).__name__ == "IPyNbFile":
        collector.skip_compare = tuple(skip) + tuple(s for s in SKIPPED_STREAMS if s not in skip)
