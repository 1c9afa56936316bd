"""The experiment script of notebook 08: run its quick configuration, check the JSON it writes,
and check that the stored full results have the same format and match the script's settings."""
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nbsupport import experiments as mt

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "experiments" / "mnist_tables.py"


def check_results(results: dict, config: str) -> None:
    cfg = mt.CONFIGS[config]
    assert results["config"] == config and results["settings"] == json.loads(json.dumps(cfg))
    assert results["n_train"] + results["n_test"] == (cfg["digits"] or 5000)
    combos = [row["activations"] for row in results["table_a"]]
    assert combos == [[a, b] for a in mt.TABLE_A_ACTIVATIONS for b in mt.TABLE_A_ACTIVATIONS]
    assert [row["activations"][0] for row in results["table_b"]] == list(mt.TABLE_B_ACTIVATIONS)
    for table in ("a", "b"):
        for row in results[f"table_{table}"]:
            assert [run["seed"] for run in row["runs"]] == cfg[table]["seeds"]
            for run in row["runs"]:
                assert 0.0 <= run["test_acc"] <= 1.0
                assert math.isfinite(run["train_loss"]) and run["train_loss"] >= 0
                for curve in run["curves"].values():
                    assert len(curve) == cfg[table]["epochs"]
                assert run["curves"]["val_acc"][-1] == pytest.approx(run["test_acc"], abs=1e-4)
            accs = [run["test_acc"] for run in row["runs"]]
            assert row["summary"]["test_acc"]["mean"] == pytest.approx(np.mean(accs))
            assert row["summary"]["test_acc"]["min"] == min(accs)
    lr = results["logistic_regression"]
    assert len(lr["runs"]) == len(cfg["a"]["seeds"])
    assert all(0.5 < run["test_acc"] <= 1 for run in lr["runs"])  # a linear model learns digits


def test_the_script_writes_sane_json_for_the_quick_configuration(tmp_path):
    out = tmp_path / "r.json"
    subprocess.run([sys.executable, str(SCRIPT), "--quick", "--out", str(out)], check=True,
                   capture_output=True, cwd=tmp_path)
    results = json.loads(out.read_text())
    check_results(results, "quick")
    best = max(row["summary"]["test_acc"]["mean"] for row in results["table_a"])
    assert best > 0.5  # ten classes: chance is 0.1


def test_split_is_seeded_disjoint_and_complete():
    X, y = np.arange(50, dtype=np.float32).reshape(25, 2), np.arange(25) % 10
    a = mt.split(X, y, 0.2, seed=3)
    b = mt.split(X, y, 0.2, seed=3)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert len(a[2]) == 5 and sorted(np.r_[a[0][:, 0], a[2][:, 0]].tolist()) == X[:, 0].tolist()


def test_stored_full_results_match_the_script():
    stored = ROOT / "notebooks" / "data" / "mnist_results.json"
    check_results(json.loads(stored.read_text()), "full")
