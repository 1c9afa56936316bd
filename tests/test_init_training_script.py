"""The experiment script of notebook 11: run its quick configuration as a subprocess, check the
JSON it writes, and check that the stored full results have the same format and settings."""
import json
import math
import subprocess
import sys
from pathlib import Path

from nbsupport import training as tr

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "experiments" / "init_training.py"


def check_results(results: dict, config: str) -> None:
    cfg = tr.CONFIGS[config]
    assert results["config"] == config
    assert results["settings"] == json.loads(json.dumps({**cfg, "runs": [list(r) for r in cfg["runs"]]}))
    assert list(results["runs"]) == [tr.run_label(*r) for r in cfg["runs"]]
    layers = len(cfg["hidden"])
    for label, row in results["runs"].items():
        assert [s["seed"] for s in row["seeds"]] == cfg["seeds"]
        for i, run in enumerate(row["seeds"]):
            assert len(run["val_acc"]) == len(run["train_loss"]) == cfg["epochs"]
            assert run["initial_loss"] > 0
            if run["diverged_step"] is None:
                assert all(0 <= a <= 1 for a in run["val_acc"])
            else:
                assert run["val_acc"][-1] is None
            assert ("layers" in run) == (i == 0)
        arrays = tr.layer_arrays(row["seeds"][0])
        assert arrays["act_std"].shape[1] == layers
        assert arrays["hist"].shape[2] == len(arrays["hist_edges"]) - 1


def test_the_script_writes_sane_json_for_the_quick_configuration(tmp_path):
    out = tmp_path / "r.json"
    subprocess.run([sys.executable, str(SCRIPT), "--quick", "--out", str(out)], check=True,
                   capture_output=True, cwd=tmp_path)
    results = json.loads(out.read_text())
    check_results(results, "quick")
    xavier = results["runs"]["tanh, Xavier"]["seeds"][0]
    assert xavier["val_acc"][-1] > 0.3                                   # ten classes: chance is 0.1
    assert abs(xavier["initial_loss"] - math.log(10)) < 0.5 * math.log(10)


def test_stored_full_results_match_the_script():
    check_results(json.loads((ROOT / "notebooks" / "data" / "init_training.json").read_text()), "full")
