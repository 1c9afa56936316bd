"""Re-run two MNIST tables from course notes with nbsupport's MLP; write the results as JSON.

    python experiments/mnist_tables.py             # full configuration: 57 networks, 1.5 min
                                                   # on an idle core (12 min on a busy one)
    python experiments/mnist_tables.py --data mnist  # 10,000 digits of full MNIST (network once)
    python experiments/mnist_tables.py --quick     # a small configuration (seconds), written to
                                                   # the temp folder unless --out is given
    python experiments/mnist_tables.py --out FILE  # default: notebooks/data/mnist_results.json

The tables, data and settings are described in :mod:`nbsupport.experiments`, which
does the work; this script only writes its results. Notebook 08 reads the JSON; its
``RECOMPUTE`` flag calls ``nbsupport.experiments.run`` instead.
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

from nbsupport.experiments import SOURCES, run  # noqa: E402

DEFAULT_OUT = ROOT / "notebooks" / "data" / "mnist_results.json"


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small configuration (seconds)")
    parser.add_argument("--data", choices=SOURCES, default="subset",
                        help="subset: 5,000 offline digits (default); mnist: 10,000 from full MNIST")
    parser.add_argument("--out", type=Path, default=None, help=f"output JSON (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    out = args.out or (Path(tempfile.gettempdir()) / "mnist_results_quick.json" if args.quick
                       else DEFAULT_OUT)
    results = run("quick" if args.quick else "full", args.data)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {out} ({results['machine']['minutes']} min)")
    return out


if __name__ == "__main__":
    main()
