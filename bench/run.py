"""Run every benchmark in bench/ and write its results to bench/results/.

``make bench`` runs this. Each benchmark is a module with ``main(argv)``.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

BENCHMARKS = [
    "crypto_field",
    "generator",
    "screening",
    "hotline",
    "annual_report",
    "kanon",
    "core_statistics",
]


def main() -> int:
    status = 0
    for name in BENCHMARKS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            print(f"{name}: not available ({error})")
            continue
        status |= int(module.main([]) or 0)
    return status


if __name__ == "__main__":
    sys.exit(main())
