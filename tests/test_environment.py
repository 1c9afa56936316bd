"""pyproject.toml, environment.yml (conda users) and binder/environment.yml (Binder) must name
the same packages; requirements-lock.txt must pin every one of them."""
import re
import sys
from pathlib import Path

import pytest
import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower()


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def pyproject_packages(*extras: str) -> dict[str, str]:
    reqs = project()["dependencies"] + [r for e in extras for r in project()["optional-dependencies"][e]]
    return {_name(r): r.split(";")[0].replace(" ", "") for r in reqs}


#: conda-forge names of packages that PyPI names otherwise
PYPI_NAME_OF = {"python-isal": "isal"}


def conda_packages(path: str = "environment.yml") -> dict[str, str]:
    """PyPI name -> the requirement as written with the PyPI name (bounds compared below)."""
    env = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))
    deps = [d.replace(" ", "") for d in env["dependencies"] if isinstance(d, str)]
    found = {}
    for dep in deps:
        name = _name(dep)
        if name not in {"python", "pip"}:
            pypi = PYPI_NAME_OF.get(name, name)
            found[pypi] = pypi + dep[len(name):]
    return found


def test_environment_yml_names_exactly_the_pyproject_packages():
    assert set(conda_packages()) == set(pyproject_packages("test"))


def test_binder_environment_names_exactly_the_runtime_packages():
    assert set(conda_packages("binder/environment.yml")) == set(pyproject_packages())


@pytest.mark.parametrize("path,extras", [("environment.yml", ("test",)),
                                         ("binder/environment.yml", ())])
def test_version_bounds_agree(path, extras):
    conda = conda_packages(path)
    for name, requirement in pyproject_packages(*extras).items():
        assert conda[name].split(name, 1)[1] == requirement.lower().split(name, 1)[1], name


def test_binder_pins_one_python_and_installs_the_package_after_the_copy():
    env = yaml.safe_load((ROOT / "binder" / "environment.yml").read_text(encoding="utf-8"))
    pythons = [d for d in env["dependencies"] if isinstance(d, str) and _name(d) == "python"]
    assert len(pythons) == 1 and re.fullmatch(r"python=3\.\d+", pythons[0])
    assert not any(isinstance(d, dict) for d in env["dependencies"]), "no pip section on Binder"
    assert "pip install --no-deps ." in (ROOT / "binder" / "postBuild").read_text(encoding="utf-8")


def test_conda_channels_are_conda_forge_only():
    for path in ("environment.yml", "binder/environment.yml"):
        assert yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))["channels"] == ["conda-forge"]


def test_lock_pins_every_package_within_its_bounds():
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins = {}
    for line in (ROOT / "requirements-lock.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    extras = list(project()["optional-dependencies"])
    for text in project()["dependencies"] + [r for e in extras for r in project()["optional-dependencies"][e]]:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        version = pins.get(canonicalize_name(requirement.name))
        assert version is not None, f"{requirement.name} is not in requirements-lock.txt"
        assert requirement.specifier.contains(version, prereleases=True), (requirement, version)


def test_environment_installs_this_package_and_python_floor_matches():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_block = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_block
    floor = project()["requires-python"]
    assert f"python{floor}" in [d.replace(" ", "") for d in env["dependencies"] if isinstance(d, str)]


def test_ci_runs_the_readme_test_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci_commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
                   if line.strip().startswith("python3 tasks.py")]
    assert ci_commands == ["python3 tasks.py test", "python3 tasks.py test-browser"]
    for command in ci_commands:
        assert command in readme
