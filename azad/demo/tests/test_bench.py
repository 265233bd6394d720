import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[3] / "bench"


def test_it_runs_the_generator_benchmark_on_a_small_rung(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    spec = importlib.util.spec_from_file_location("bench_generator", BENCH / "generator.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        assert module.main(["150", "--results", str(tmp_path)]) == 0
    finally:
        sys.modules.pop("_setup", None)
    table = (tmp_path / "generator.md").read_text()
    assert "| 150 |" in table
    assert "raw executemany" in table
