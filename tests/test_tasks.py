"""tasks.py without starting any server: arguments, root, short names, broken venvs, installs."""
from __future__ import annotations

import ast
import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import tasks  # noqa: E402


class Launched(Exception):
    """Raised instead of starting a server."""


@pytest.fixture
def launched(monkeypatch):
    """Record the command and environment tasks.main would hand over to, without installing."""
    seen = {}

    def fake_hand_over(cmd, env):
        seen.update(cmd=cmd, env=env)
        raise Launched

    def fake_run(*cmd, env=None):
        seen.update(cmd=[str(c) for c in cmd], env=env)

    monkeypatch.setattr(tasks, "ensure_venv", lambda task, venv=tasks.VENV, upgrade=False:
                        seen.setdefault("venvs", []).append((task, venv, upgrade)) or venv)
    monkeypatch.setattr(tasks, "hand_over", fake_hand_over)
    monkeypatch.setattr(tasks, "run", fake_run)
    return seen


def test_lab_adds_allow_root_only_for_root():
    assert "--allow-root" in tasks.lab_command(tasks.VENV, [], root=True)
    assert "--allow-root" not in tasks.lab_command(tasks.VENV, [], root=False)
    assert tasks.lab_command(tasks.VENV, ["--allow-root"], root=True).count("--allow-root") == 1


def test_lab_passes_extra_arguments_and_keeps_matplotlib_backend(launched, monkeypatch):
    monkeypatch.delenv("MPLBACKEND", raising=False)
    with pytest.raises(Launched):
        tasks.main(["lab", "--", "--port", "9000", "--no-browser"])
    assert launched["cmd"][-3:] == ["--port", "9000", "--no-browser"]
    assert launched["cmd"][1:3] == ["lab", "notebooks/"]
    assert "MPLBACKEND" not in launched["env"]
    assert launched["venvs"] == [("lab", tasks.VENV, False)]


def test_lab_accepts_arguments_without_the_separator(launched):
    with pytest.raises(Launched):
        tasks.main(["lab", "--port=9001"])
    assert launched["cmd"][-1] == "--port=9001"


@pytest.mark.parametrize("name", ["01", "1", "01_sigmoid_saturation", "sigmoid",
                                  "01_sigmoid_saturation.ipynb", "notebooks/01_sigmoid_saturation.ipynb"])
def test_short_notebook_names(name, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert tasks.resolve_notebook(name) == ROOT / "notebooks" / "01_sigmoid_saturation.ipynb"


@pytest.mark.parametrize("name", ["99", "no-such-topic", "_"])
def test_unknown_or_ambiguous_names_say_which_exist(name):
    with pytest.raises(tasks.TaskError, match="choose one of"):
        tasks.resolve_notebook(name)


def test_lecture_with_a_number_starts_voila_in_lecture_mode(launched, monkeypatch):
    monkeypatch.delenv("MPLBACKEND", raising=False)
    with pytest.raises(Launched):
        tasks.main(["lecture", "04", "--", "--port=9002"])
    assert Path(launched["cmd"][0]).name == "voila"
    assert launched["cmd"][1:] == [str(Path("notebooks/04_softmax.ipynb")), tasks.VOILA_NO_DELAY,
                                   "--port=9002"]
    assert launched["env"]["NBSUPPORT_LECTURE"] == "1"
    assert "MPLBACKEND" not in launched["env"]


def test_test_task_passes_arguments_to_pytest_headless(launched):
    tasks.main(["test", "--", "-k", "sigmoid"])
    assert launched["cmd"][-2:] == ["-k", "sigmoid"]
    assert "--nbval" in launched["cmd"] and "not browser" in launched["cmd"]
    assert launched["env"]["MPLBACKEND"] == "Agg" or "MPLBACKEND" in os.environ
    assert launched["venvs"] == [("test", tasks.VENV, False)]


def test_test_latest_uses_its_own_upgraded_venv(launched):
    tasks.main(["test", "--latest"])
    assert launched["venvs"] == [("test", tasks.VENV_LATEST, True)]
    assert "--latest" not in launched["cmd"]


def test_unknown_task_prints_usage():
    with pytest.raises(SystemExit) as stop:
        tasks.main(["serve"])
    assert "tasks.py lab" in str(stop.value.code)


def test_lab_installs_no_test_tools_and_test_browser_installs_both():
    assert tasks.EXTRAS["lab"] == set() and tasks.EXTRAS["lecture"] == set()
    assert "test" in tasks.EXTRAS["test"] and tasks.EXTRAS["setup"] == {"test"}
    assert not {"browser"} & tasks.EXTRAS["test"]
    assert {"test", "browser"} <= tasks.EXTRAS["test-browser"]


def test_a_venv_with_extras_missing_or_old_requirements_is_reinstalled():
    stamp = {"fingerprint": "abc", "extras": ["test"]}
    assert not tasks.needs_install(stamp, set(), "abc")
    assert not tasks.needs_install(stamp, {"test"}, "abc")
    assert tasks.needs_install(stamp, {"test", "browser"}, "abc")
    assert tasks.needs_install(stamp, set(), "changed")
    assert tasks.needs_install({}, set(), "abc")


def test_pip_runs_visibly_with_few_retries_and_the_lock_as_constraints():
    cmd = tasks.pip_install_command(tasks.VENV, {"test", "browser"}, locked=True, upgrade=False)
    assert "--quiet" not in cmd and "-q" not in cmd
    assert cmd[cmd.index("--retries") + 1] == "1"
    assert cmd[cmd.index("--constraint") + 1] == "requirements-lock.txt"
    assert cmd[-2:] == ["--editable", ".[browser,test]"]
    latest = tasks.pip_install_command(tasks.VENV_LATEST, set(), locked=False, upgrade=True)
    assert "--constraint" not in latest and "--upgrade" in latest and latest[-1] == "."


def test_lock_is_used_only_for_the_python_it_was_made_with(tmp_path, monkeypatch):
    lock = tmp_path / "requirements-lock.txt"
    monkeypatch.setattr(tasks, "LOCK", lock)
    lock.write_text("# python {}.{}\nnumpy==2.0\n".format(*sys.version_info[:2]), encoding="utf-8")
    assert tasks.use_lock(tasks.VENV) and not tasks.use_lock(tasks.VENV_LATEST)
    lock.write_text("# python 3.1\nnumpy==2.0\n", encoding="utf-8")
    assert not tasks.use_lock(tasks.VENV)
    lock.write_text("# python {}.{}.{}\nnumpy==2.0\n".format(*sys.version_info[:3]), encoding="utf-8")
    assert tasks.use_lock(tasks.VENV)


def test_a_lock_needs_at_least_its_micro_version_of_python():
    """Pinned releases may require the micro version they were resolved with."""
    assert tasks.lock_fits("3.11.7", (3, 11, 7)) and tasks.lock_fits("3.11.7", (3, 11, 9))
    assert not tasks.lock_fits("3.11.7", (3, 11, 2))
    assert not tasks.lock_fits("3.11.7", (3, 12, 9)) and not tasks.lock_fits(None, (3, 11, 7))
    assert tasks.lock_fits("3.11", (3, 11, 0))


def test_the_committed_lock_names_its_python():
    assert tasks.lock_python(tasks.LOCK.read_text(encoding="utf-8")) is not None


def fake_venv(path: Path, python_exit_code: int) -> Path:
    """A venv whose python exits with the given code (posix shell script)."""
    python = tasks.python_in(path)
    python.parent.mkdir(parents=True)
    python.write_text(f"#!/bin/sh\nexit {python_exit_code}\n", encoding="utf-8")
    python.chmod(0o755)
    return path


@pytest.mark.skipif(os.name != "posix", reason="the fake interpreter is a shell script")
def test_half_made_venv_without_pip_says_what_to_do(tmp_path):
    venv = fake_venv(tmp_path / ".venv", python_exit_code=1)
    assert not tasks.pip_works(venv)
    with pytest.raises(tasks.TaskError, match=r"no working pip.*\n.*rm -rf \.venv"):
        tasks.ensure_venv("lab", venv)


@pytest.mark.skipif(os.name != "posix", reason="the fake interpreter is a shell script")
def test_failed_install_gives_one_clear_line_and_writes_no_stamp(tmp_path, monkeypatch):
    venv = fake_venv(tmp_path / ".venv", python_exit_code=0)
    monkeypatch.setattr(tasks, "call", lambda cmd, env=None: 1)
    with pytest.raises(tasks.TaskError, match="offline"):
        tasks.ensure_venv("lab", venv)
    assert not (venv / tasks.STAMP_NAME).exists()


@pytest.mark.skipif(os.name != "posix", reason="the fake interpreter is a shell script")
def test_offline_first_run_stops_with_one_line_before_pip_starts(tmp_path, monkeypatch):
    venv = fake_venv(tmp_path / ".venv", python_exit_code=0)
    monkeypatch.setattr(tasks, "index_reachable", lambda venv: False)
    monkeypatch.setattr(tasks, "call", lambda cmd, env=None: pytest.fail(f"pip started: {cmd}"))
    with pytest.raises(tasks.TaskError) as error:
        tasks.ensure_venv("lab", venv)
    assert "\n" not in str(error.value) and "Cannot reach the Python package index" in str(error.value)


@pytest.mark.skipif(os.name != "posix", reason="the fake interpreter is a shell script")
def test_successful_install_records_extras(tmp_path, monkeypatch):
    venv = fake_venv(tmp_path / ".venv", python_exit_code=0)
    commands = []
    monkeypatch.setattr(tasks, "call", lambda cmd, env=None: commands.append(cmd) or 0)
    tasks.ensure_venv("setup", venv)
    tasks.ensure_venv("lab", venv)          # nothing more to install
    assert len(commands) == 1 and commands[0][-1] == ".[test]"
    assert tasks.read_stamp(venv)["extras"] == ["test"]


def test_old_python_gets_a_message_with_where_to_get_a_new_one():
    message = tasks.python_too_old_message((3, 9, 18))
    assert "3.9.18" in message and "3.10" in message and "python.org" in message
    assert tasks.python_too_old_message((3, 10, 0)) is None


@pytest.mark.skipif(os.name != "posix", reason="exec hand-over is POSIX only")
def test_servers_replace_the_tasks_process(monkeypatch):
    seen = []
    monkeypatch.setattr(os, "execve", lambda path, args, env: seen.append(args) or (_ for _ in ()).throw(Launched))
    monkeypatch.setattr(os, "chdir", lambda path: None)
    with pytest.raises(Launched):
        tasks.hand_over(["/bin/true", "x"], {})
    assert seen == [["/bin/true", "x"]]


def test_tasks_reads_and_writes_text_as_utf8():
    tree = ast.parse((ROOT / "tasks.py").read_text(encoding="utf-8"))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Attribute) and node.func.attr in ("read_text", "write_text")]
    assert calls
    for node in calls:
        assert any(k.arg == "encoding" for k in node.keywords), f"line {node.lineno}"


def test_tasks_module_is_valid_for_old_pythons_until_the_version_check():
    """Statements before the version check use nothing newer than Python 3.6."""
    source = (ROOT / "tasks.py").read_text(encoding="utf-8")
    head = source.split("if python_too_old_message() is not None:")[0]
    assert "from __future__" not in head
    ast.parse(source, feature_version=(3, 6))


# ----------------------------------------------------------------------------- the static site

@pytest.fixture(scope="module")
def build_site():
    pytest.importorskip("latex2mathml")
    sys.path.insert(0, str(ROOT / "tools"))
    import build_site
    return build_site


def test_site_math_becomes_mathml_but_code_keeps_its_dollars(build_site):
    found = []
    source = "Cost $a +\nb$ and `price = \"$5\" $x$` and\n$$\\frac{1}{2}$$"
    tokens = build_site.math_to_tokens(source, found)
    assert len(found) == 2 and "`price = \"$5\" $x$`" in tokens
    assert 'display="inline"' in found[0] and "<mi>a</mi>" in found[0]
    assert 'display="block"' in found[1] and "<mfrac>" in found[1]
    assert "$" not in build_site.tokens_to_mathml(tokens, found).replace('"$5" $x$', "")


def test_site_draws_a_saved_live_figure_as_its_picture_and_controls(build_site):
    import nbformat

    nb = nbformat.read(ROOT / "notebooks" / "00_why_nonlinearity.ipynb", as_version=4)
    build_site.freeze_widgets(nb)
    frozen = [o["data"]["text/html"] for c in nb.cells for o in c.get("outputs", [])
              if "static-widget" in o.get("data", {}).get("text/html", "")]
    assert frozen and "widgets" not in nb.metadata
    assert '<img src="data:image/png;base64,' in frozen[0]
    assert frozen[0].count('type="range"') >= 1


def test_site_pages_must_not_load_from_the_network(build_site):
    page = build_site.offline_html(
        '<head></head><script src="https://cdn.example/require.min.js"></script>'
        '<img src="https://example.org/a.png">')
    assert build_site.remote_loads(page) == ["https://example.org/a.png"]


# ----------------------------------------------------------------------------- address, badges, Colab

sys.path.insert(0, str(ROOT / "tools"))
import colab_cell  # noqa: E402

NOTEBOOK_PATHS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_readme_badges_are_made_from_the_one_repository_address():
    url = colab_cell.repository_url()
    slug = colab_cell.github_slug(url)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert colab_cell.sync_readme(readme, slug) == readme, "run `python3 tasks.py colab-cell`"
    assert colab_cell.binder_url(slug) in readme
    for path in NOTEBOOK_PATHS:
        assert colab_cell.colab_url(slug, path.stem) in readme, path.stem


def test_a_new_address_changes_every_badge():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    moved = colab_cell.sync_readme(readme, "someone/course")
    old = colab_cell.github_slug(colab_cell.repository_url())
    assert f"gh/{old}/" not in moved and f"github/{old}/" not in moved
    assert moved.count("github/someone/course/blob/main/notebooks/") == len(NOTEBOOK_PATHS)
    assert colab_cell.binder_url("someone/course") in moved


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.stem[:2])
def test_every_notebook_starts_with_the_colab_install_cell(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert colab_cell.has_install_cell(nb, colab_cell.repository_url())


def test_install_cell_goes_first_once_and_is_silent_where_the_package_exists(capsys):
    nb = json.loads(NOTEBOOK_PATHS[0].read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"]  # the notebook as it was before the cell went in
                   if not "".join(c["source"]).startswith(colab_cell.FIRST_LINE)]
    first_code = colab_cell.first_code_cell(nb)
    url = "https://github.com/someone/course"
    once = colab_cell.add_install_cell(json.loads(json.dumps(nb)), url)
    twice = colab_cell.add_install_cell(json.loads(json.dumps(once)), url)
    assert once == twice and colab_cell.has_install_cell(once, url)
    assert colab_cell.first_code_cell(once) == first_code
    assert len(once["cells"]) == len(nb["cells"]) + 1

    from IPython.core.inputtransformer2 import TransformerManager

    class NoMagic:
        def run_line_magic(self, *args):
            raise AssertionError(f"installed although nbsupport is importable: {args}")

    code = TransformerManager().transform_cell(colab_cell.install_cell_source(url))
    exec(code, {"get_ipython": NoMagic})
    assert capsys.readouterr() == ("", "")

    installs = []

    class Magic:
        def run_line_magic(self, name, line):
            installs.append((name, line))

    exec(code.replace('"nbsupport"', '"nbsupport_missing_here"'), {"get_ipython": Magic})
    assert installs == [("pip", f'install --quiet "nbsupport @ git+{url}"')]
