"""Train notebook 11's networks under every initialization scheme; write the results as JSON.

    python experiments/init_training.py          # full configuration: 45 networks, ~2 min
                                                 # on one busy core
    python experiments/init_training.py --quick  # a tiny configuration (seconds), written to
                                                 # the temp folder unless --out is given
    python experiments/init_training.py --out FILE  # default: notebooks/data/init_training.json

The runs, data and settings are described in :mod:`nbsupport.training`, which does the
work; this script only writes its results. Notebook 11 reads the JSON.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from nbsupport.training import run  # noqa: E402

DEFAULT_OUT = ROOT / "notebooks" / "data" / "init_training.json"


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny configuration (seconds)")
    parser.add_argument("--out", type=Path, default=None, help=f"output JSON (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    out = args.out or (Path(tempfile.gettempdir()) / "init_training_quick.json" if args.quick
                       else DEFAULT_OUT)
    results = run("quick" if args.quick else "full")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, separators=(",", ":")) + "\n")
    print(f"wrote {out} ({results['machine']['minutes']} min)")
    return out


if __name__ == "__main__":
    main()
