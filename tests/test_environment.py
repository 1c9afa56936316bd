"""pyproject.toml and environment.yml must name the same packages (conda users, Binder)."""
import re
import sys
from pathlib import Path

import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower()


def pyproject_packages() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + project["optional-dependencies"]["test"]
    return {_name(r): r.split(";")[0].replace(" ", "") for r in reqs}


def conda_packages() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = [d for d in env["dependencies"] if isinstance(d, str)]
    return {_name(d): d.replace(" ", "") for d in deps if _name(d) not in {"python", "pip"}}


def test_environment_yml_names_exactly_the_pyproject_packages():
    assert set(conda_packages()) == set(pyproject_packages())


def test_version_bounds_agree():
    conda = conda_packages()
    for name, requirement in pyproject_packages().items():
        assert conda[name].split(name, 1)[1] == requirement.lower().split(name, 1)[1], name


def test_environment_installs_this_package_and_python_floor_matches():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_block = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_block
    floor = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert f"python{floor}" in [d.replace(" ", "") for d in env["dependencies"] if isinstance(d, str)]


def test_ci_runs_the_readme_test_commands():
    readme = (ROOT / "README.md").read_text()
    ci_commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()
                   if line.strip().startswith("python3 tasks.py")]
    assert ci_commands == ["python3 tasks.py test", "python3 tasks.py test-browser"]
    for command in ci_commands:
        assert command in readme
