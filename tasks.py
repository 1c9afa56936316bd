#!/usr/bin/env python3
"""Set up and run the course with one command each (standard library only).

    python3 tasks.py lab [-- ARGS]      set up .venv, then open JupyterLab on notebooks/
    python3 tasks.py test [--latest]    unit tests + strict nbval of every notebook
    python3 tasks.py test-browser       drive every notebook in JupyterLab, Voila and the site
    python3 tasks.py lecture NB [-- ARGS]  present one notebook with Voila in projector style
                                        (NB: a number such as 01, a name, or a path)
    python3 tasks.py site               static HTML course in site/ (opens from disk, offline)
    python3 tasks.py execute [NB..]     maintainers: re-execute notebooks in place (default: all)
    python3 tasks.py colab-cell [--check]  maintainers: put the Colab install cell first in
                                        every notebook (--check: only report)
    python3 tasks.py lock               maintainers: renew requirements-lock.txt from the
                                        newest versions (in .venv-latest)
    python3 tasks.py setup              only install (.venv with the test extra)

ARGS after `--` go to JupyterLab, Voila or pytest unchanged (`tasks.py lab -- --port 9000`).
On Windows write `py tasks.py ...`.

The virtual environment lives in ``.venv`` next to this file.  It is created on first use
with what the task needs (`lab` installs no test tools) and re-installed only when
``pyproject.toml`` or ``requirements-lock.txt`` changes.  Versions come from
``requirements-lock.txt`` when it was made with this Python's minor version;
``test --latest`` tests the newest allowed versions in ``.venv-latest`` instead.
"""
import sys

MIN_PYTHON = (3, 10)


def python_too_old_message(version_info=sys.version_info):
    """The message for a Python older than MIN_PYTHON, or None when it is new enough."""
    if tuple(version_info[:2]) >= MIN_PYTHON:
        return None
    need = ".".join(map(str, MIN_PYTHON))
    have = ".".join(map(str, version_info[:3]))
    return (f"This course needs Python {need} or newer; this is Python {have}.\n"
            f"Get a newer one from https://www.python.org/downloads/ (Windows, macOS), your "
            f"system's packages (for example `sudo apt install python3.11`) or conda "
            f"(`conda env create -f environment.yml`), then run this file with it, "
            f"for example `python3.11 tasks.py lab` (Windows: `py -3.11 tasks.py lab`).")


if python_too_old_message() is not None:
    sys.exit(python_too_old_message())

import hashlib  # noqa: E402  (after the version check, so old Pythons get the message)
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent
NOTEBOOKS = ROOT / "notebooks"
VENV = ROOT / ".venv"
VENV_LATEST = ROOT / ".venv-latest"
LOCK = ROOT / "requirements-lock.txt"
STAMP_NAME = ".installed-from"

NBVAL = ["--nbval", "--nbval-current-env", "--nbval-sanitize-with", "nbval_sanitize.cfg"]
PIP_NETWORK = ["--retries", "1", "--timeout", "20"]

# What each task installs beyond the package itself (extras of pyproject.toml).
EXTRAS = {"setup": {"test"}, "lab": set(), "lecture": set(), "site": {"site"}, "execute": set(),
          "test": {"test", "site"}, "test-browser": {"test", "browser", "site"},
          "lock": {"test", "browser", "site"}}


class TaskError(Exception):
    """A problem the user can fix; main prints its message without a traceback."""


def bin_dir(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


def python_in(venv: Path) -> Path:
    return bin_dir(venv) / ("python.exe" if os.name == "nt" else "python")


def run(*cmd, env: dict | None = None) -> None:
    """Run a command from the project root; stop with its exit code if it fails.

    The child is stopped too when this process is interrupted or terminated.
    """
    print("+", " ".join(str(c) for c in cmd), flush=True)
    code = call([str(c) for c in cmd], env=env)
    if code != 0:
        sys.exit(code)


def call(cmd: list[str], env: dict | None = None) -> int:
    """Run a command and return its exit code; never leave it running behind us."""
    process = subprocess.Popen(cmd, cwd=ROOT, env=env)
    try:
        return process.wait()
    except BaseException:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        raise


def hand_over(cmd: list[str], env: dict) -> None:
    """Replace this process by a long-running server (POSIX), so that Ctrl-C and SIGTERM reach
    it directly and nothing is left behind; elsewhere run it as a child."""
    print("+", " ".join(cmd), flush=True)
    if os.name == "posix":
        os.chdir(ROOT)
        os.execve(cmd[0], cmd, env)
    sys.exit(call(cmd, env=env))


# ----------------------------------------------------------------------------- installing

def lock_python(lock_text: str) -> str | None:
    """The "3.11.7" (or "3.11") of a lock file's `# python 3.11.7` header line, or None."""
    match = re.search(r"^# python (\d+\.\d+(?:\.\d+)?)\s*$", lock_text, re.MULTILINE)
    return match.group(1) if match else None


def lock_fits(locked_version: str | None, version_info=sys.version_info) -> bool:
    """Whether a lock made with Python `locked_version` installs on this Python.

    Same minor version, and a micro version at least the lock's: pinned releases may need
    the newer micro version they were resolved with (soupsieve 4.1.3 needs Python >= 3.11.5).
    """
    if locked_version is None:
        return False
    parts = [int(p) for p in locked_version.split(".")]
    if tuple(parts[:2]) != tuple(version_info[:2]):
        return False
    return len(parts) < 3 or version_info[2] >= parts[2]


def use_lock(venv: Path) -> bool:
    """Whether installs into `venv` are pinned by requirements-lock.txt.

    The lock is used in .venv when it fits this Python (:func:`lock_fits`: pinned wheels may
    not exist for another one); .venv-latest never uses it.
    """
    if venv != VENV or not LOCK.exists():
        return False
    return lock_fits(lock_python(LOCK.read_text(encoding="utf-8")))


def fingerprint(locked: bool) -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    if locked:
        digest.update(LOCK.read_bytes())
    return digest.hexdigest()


def read_stamp(venv: Path) -> dict:
    try:
        return json.loads((venv / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def needs_install(stamp: dict, wanted: set[str], print_: str) -> bool:
    return stamp.get("fingerprint") != print_ or not wanted <= set(stamp.get("extras", []))


def pip_works(venv: Path) -> bool:
    python = python_in(venv)
    return python.exists() and subprocess.call(
        [str(python), "-m", "pip", "--version"], stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL) == 0


def broken_venv_message(venv: Path) -> str:
    name = venv.name
    return (f"{name} exists but has no working pip (probably an interrupted first run).\n"
            f"Delete it and run the same command again:  rm -rf {name}   "
            f"(Windows: rmdir /s /q {name})")


OFFLINE_MESSAGE = ("Cannot reach the Python package index (pypi.org, or the index pip is "
                   "configured to use). Installing the course's packages needs it once: connect "
                   "to the network and run the same command again.")


def index_reachable(venv: Path) -> bool:
    """Whether pip can reach its package index (one quick query, no retries)."""
    return subprocess.call(
        [str(python_in(venv)), "-m", "pip", "index", "versions", "setuptools",
         "--retries", "0", "--timeout", "10"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0


def create_venv(venv: Path) -> None:
    print(f"Creating the virtual environment {venv.name} (a few seconds) ...", flush=True)
    if call([sys.executable, "-m", "venv", str(venv)]) != 0:
        raise TaskError(
            f"Could not create {venv.name}. On Debian/Ubuntu install the venv module first "
            f"(`sudo apt install python3-venv`), delete {venv.name} and run again.")


def pip_install_command(venv: Path, extras: set[str], locked: bool, upgrade: bool) -> list[str]:
    target = ".[{}]".format(",".join(sorted(extras))) if extras else "."
    cmd = [str(python_in(venv)), "-m", "pip", "install", *PIP_NETWORK]
    if locked:
        cmd += ["--constraint", LOCK.name]
    if upgrade:
        cmd += ["--upgrade", "--upgrade-strategy", "eager"]
    return cmd + ["--editable", target]


def install_message(extras: set[str], locked: bool) -> str:
    what = "JupyterLab, Voila, NumPy, SciPy, matplotlib, scikit-learn"
    if "test" in extras:
        what += ", pytest, nbval, hypothesis"
    if "browser" in extras:
        what += ", Playwright"
    size = "about 900 MB" if "browser" in extras else "about 750 MB"
    pinned = "the versions in requirements-lock.txt" if locked else "the newest allowed versions"
    return (f"Installing the course's packages ({what}; {pinned}) into .venv.\n"
            f"First run: {size} and typically 2-8 minutes, depending on the network. "
            f"Later runs skip this step.")


def ensure_venv(task: str, venv: Path = VENV, upgrade: bool = False) -> Path:
    """Create `venv` and install what `task` needs, once per pyproject/lock change."""
    if not python_in(venv).exists():
        create_venv(venv)
    locked = use_lock(venv)
    stamp, print_ = read_stamp(venv), fingerprint(locked)
    wanted = EXTRAS[task]
    if not upgrade and not needs_install(stamp, wanted, print_):
        return venv
    if not pip_works(venv):
        raise TaskError(broken_venv_message(venv))
    if venv == VENV and LOCK.exists() and not locked:
        print(f"Note: requirements-lock.txt was made with Python "
              f"{lock_python(LOCK.read_text(encoding='utf-8'))}; this is "
              "{}.{}.{}, so the newest allowed versions are installed "
              "instead.".format(*sys.version_info[:3]), flush=True)
    if not index_reachable(venv):
        raise TaskError(OFFLINE_MESSAGE)
    extras = wanted | set(stamp.get("extras", []))
    print(install_message(extras, locked), flush=True)
    cmd = pip_install_command(venv, extras, locked, upgrade)
    print("+", " ".join(cmd), flush=True)
    if call(cmd) != 0:
        raise TaskError(
            "pip could not install the packages (its message is above). The first run needs "
            "a connection to the Python package index (pypi.org): if you are offline, connect "
            "and run the same command again.")
    enable_server_extension(venv)
    (venv / STAMP_NAME).write_text(json.dumps({"fingerprint": print_, "extras": sorted(extras)}),
                                   encoding="utf-8")
    return venv


SERVER_CONFIG = Path("jupyter-config") / "jupyter_server_config.d" / "nbsupport.json"


def enable_server_extension(venv: Path) -> Path:
    """Enable nbsupport.server in the venv's Jupyter servers (kernel websockets without
    Nagle's delay): the file a wheel installs under etc/jupyter, which an editable install
    leaves out."""
    target = venv / "etc" / "jupyter" / "jupyter_server_config.d" / SERVER_CONFIG.name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / SERVER_CONFIG, target)
    return target


# ----------------------------------------------------------------------------- running

def kernel_env(venv: Path = VENV, headless: bool = True) -> dict:
    """Environment for servers, kernels and tests: one BLAS thread (small matrices) and this
    venv first on PATH; `headless` (tests, execute) also selects matplotlib's Agg backend.
    A student's own notebook in Lab keeps matplotlib's usual backend."""
    env = dict(os.environ)
    for name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS"):
        env.setdefault(name, "1")
    if headless:
        env.setdefault("MPLBACKEND", "Agg")
    env["PATH"] = f"{bin_dir(venv)}{os.pathsep}{env.get('PATH', '')}"
    return env


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def lab_command(venv: Path, extra: list[str], root: bool) -> list[str]:
    """`jupyter lab notebooks/ ...`; JupyterLab refuses to start as root without --allow-root."""
    cmd = [str(bin_dir(venv) / "jupyter"), "lab", "notebooks/"]
    if root and "--allow-root" not in extra:
        cmd.append("--allow-root")
    return cmd + list(extra)


def resolve_notebook(name: str) -> Path:
    """A notebook from a path, a file name, a stem, a number ("1", "01") or a unique word."""
    path = Path(name)
    if path.suffix == ".ipynb" and path.exists():
        return path.resolve()
    notebooks = sorted(NOTEBOOKS.glob("*.ipynb"))
    key = path.name.removesuffix(".ipynb")
    if key.isdigit():
        matches = [nb for nb in notebooks if nb.stem.split("_")[0].isdigit()
                   and int(nb.stem.split("_")[0]) == int(key)]
    else:
        matches = [nb for nb in notebooks if nb.stem == key] or \
                  [nb for nb in notebooks if key.lower() in nb.stem.lower()]
    if len(matches) != 1:
        found = "several notebooks" if matches else "no notebook"
        names = ", ".join(nb.stem for nb in (matches or notebooks))
        raise TaskError(f"{name!r} names {found}; choose one of: {names}")
    return matches[0]


#: Voila loads no server extensions: its kernel websockets are told directly to send
#: without Nagle's delay (nbsupport.server).
VOILA_NO_DELAY = "--Voila.kernel_websocket_connection_class=nbsupport.server.NoDelayKernelConnection"


def lecture_command(venv: Path, notebook: Path, extra: list[str]) -> list[str]:
    return [str(bin_dir(venv) / "voila"), str(notebook.relative_to(ROOT)
                                              if notebook.is_relative_to(ROOT) else notebook),
            VOILA_NO_DELAY, *extra]


def execute(venv: Path, notebooks: list[str]) -> None:
    """Re-execute notebooks in place, with outputs and widget state, without timing metadata.

    Timestamps are dropped so that a re-run changes a notebook only where its results change.
    """
    paths = [resolve_notebook(nb) for nb in notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            cell.get("metadata", {}).pop("execution", None)
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        run(bin_dir(venv) / "jupyter", "nbconvert", "--to", "notebook", "--execute", "--inplace",
            "--ExecutePreprocessor.record_timing=False", "--ExecutePreprocessor.timeout=900",
            path, env=kernel_env(venv))


def ensure_chromium() -> None:
    """Install Debian's chromium (for Playwright) when it is missing."""
    if Path("/usr/bin/chromium").exists():
        return
    if shutil.which("apt-get") is None or not is_root():
        raise TaskError("The browser tests need Debian's chromium at /usr/bin/chromium: "
                        "run `sudo apt-get install chromium` once, then try again.")
    print("Installing Debian's chromium for the browser tests (about a minute) ...", flush=True)
    run("apt-get", "update", "-qq")
    run("apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium")


def split_args(args: list[str]) -> tuple[list[str], list[str]]:
    """Split at the first `--`: the task's own arguments, then those passed through."""
    if "--" in args:
        i = args.index("--")
        return args[:i], args[i + 1:]
    return args, []


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in EXTRAS and argv[0] not in ("colab-cell",):
        sys.exit(__doc__)
    task, (own, extra) = argv[0], split_args(argv[1:])
    if task == "colab-cell":
        sys.path.insert(0, str(ROOT / "tools"))
        import colab_cell
        sys.exit(colab_cell.main(own))
    if task == "lab":
        venv = ensure_venv(task)
        hand_over(lab_command(venv, own + extra, is_root()), kernel_env(venv, headless=False))
    elif task == "lecture":
        if len(own) != 1:
            sys.exit("Name one notebook: python3 tasks.py lecture 01  (or a name or a path)")
        notebook = resolve_notebook(own[0])
        venv = ensure_venv(task)
        env = kernel_env(venv, headless=False)
        env["NBSUPPORT_LECTURE"] = "1"
        hand_over(lecture_command(venv, notebook, extra), env)
    elif task in ("test", "test-browser"):
        latest = "--latest" in own
        own = [a for a in own if a != "--latest"]
        if task == "test-browser":
            ensure_chromium()
        venv = ensure_venv(task, VENV_LATEST if latest else VENV, upgrade=latest)
        marker = "browser" if task == "test-browser" else "not browser"
        paths = ["tests"] if task == "test-browser" else ["tests", "notebooks", *NBVAL]
        run(python_in(venv), "-m", "pytest", "-m", marker, *paths, *own, *extra,
            env=kernel_env(venv))
    elif task == "execute":
        execute(ensure_venv(task), own)
    elif task == "site":
        venv = ensure_venv(task)
        run(python_in(venv), ROOT / "tools" / "build_site.py", *own, *extra,
            env=kernel_env(venv))
    elif task == "lock":
        venv = ensure_venv(task, VENV_LATEST, upgrade=True)
        write_lock(venv)
    else:
        ensure_venv(task)


def write_lock(venv: Path) -> None:
    """requirements-lock.txt: the exact versions installed in `venv` (without this package)."""
    frozen = subprocess.run([str(python_in(venv)), "-m", "pip", "freeze", "--exclude-editable"],
                            check=True, capture_output=True, text=True).stdout
    pins = sorted((line for line in frozen.splitlines() if "==" in line), key=str.lower)
    header = ["# Exact versions for `python3 tasks.py test` (used as pip constraints).",
              "# Renew: python3 tasks.py test --latest && python3 tasks.py lock",
              "# python {}.{}.{}".format(*sys.version_info[:3])]
    LOCK.write_text("\n".join(header + pins) + "\n", encoding="utf-8")
    print(f"wrote {LOCK.name}: {len(pins)} packages", flush=True)


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, _terminate)
    try:
        main(sys.argv[1:])
    except TaskError as error:
        sys.exit(str(error))
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        sys.exit(130)
