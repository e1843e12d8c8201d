"""Audit the installed dependencies for known vulnerabilities with pip-audit (PyPA).

    python scripts/audit_dependencies.py [SITE_PACKAGES]

pip-audit runs from a virtual environment of its own (var/audit-venv, made here) and audits the project's
.venv (its site-packages, the editable project itself excluded). The outcome:

- a known vulnerability in an installed package: each is printed with its fix versions, exit 1;
- every package audited and none vulnerable: exit 0;
- some packages could not be audited (pip-audit asks PyPI's per-release JSON API, or OSV, for each
  package; a machine that reaches only the package index gets "not found" for every one): for those, PyPI's
  project page is read instead — its advisories apply to the latest release, so a package installed at its
  latest release is checked that way (a known vulnerability: exit 1). What is still unaudited is listed and
  reported as AUDIT NOT DONE — exit 1 when REQUIRE_AUDIT=1, otherwise exit 0 with that warning, so that a
  machine without the advisory service can still run the rest of CI and says so loudly.
"""

import json
import os
import subprocess
import sys
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AUDIT_VENV = ROOT / "var" / "audit-venv"
PIP_AUDIT_VERSION = "2.10.1"


def audit_python() -> Path:
    python = AUDIT_VENV / "bin" / "python"
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(AUDIT_VENV)
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", f"pip-audit=={PIP_AUDIT_VERSION}"],
        check=True,
        stderr=subprocess.DEVNULL,
    )
    return python


def site_packages() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    found = sorted((ROOT / ".venv" / "lib").glob("python3*/site-packages"))
    if not found:
        sys.exit("no .venv/lib/python3*/site-packages: run `make install` first")
    return found[-1]


def main() -> int:
    python = audit_python()
    command = [str(python), "-m", "pip_audit", "--format", "json", "--progress-spinner", "off"]
    command += ["--skip-editable", "--path", str(site_packages())]
    completed = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(completed.stdout)
    except json.JSONDecodeError:
        print(completed.stdout, completed.stderr, sep="\n")
        print("pip-audit did not produce a report", file=sys.stderr)
        return 1
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    dependencies = [d for d in dependencies if "editable" not in d.get("skip_reason", "")]  # the project itself
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = len(dependencies) - len(skipped)
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
            print(f"VULNERABLE {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in: {fixes})")
    counts = f"{len(dependencies)} packages, {audited} audited, {len(vulnerable)} vulnerable"
    print(f"pip-audit {PIP_AUDIT_VERSION}: {counts}")
    if vulnerable:
        return 1
    if not skipped:
        return 0
    print(f"pip-audit could not audit {len(skipped)} packages ({skipped[0]['skip_reason'].split(':')[0]});")
    print("falling back to PyPI's project pages, whose advisories apply to a project's latest release only:")
    still, found = [], []
    for dependency in skipped:
        name, version = dependency["name"], dependency.get("version") or installed_version(dependency["name"])
        project = pypi_project(name)
        if project is None:
            still.append(f"{name} {version} (no PyPI page)")
        elif project["info"]["version"] != version:
            series = newest_in_series(project, version)
            note = f"latest {project['info']['version']}" + (f", newest of its series {series}" if series else "")
            still.append(f"{name} {version} ({note})")
        else:
            for vuln in project.get("vulnerabilities") or []:
                found.append(f"VULNERABLE {name} {version}: {vuln.get('id')} (fixed in: {vuln.get('fixed_in')})")
    print("\n".join(found) if found else "  no known vulnerability in the packages at their latest release")
    print(f"  checked this way: {len(skipped) - len(still)}; not audited: {len(still)}")
    if found:
        return 1
    if still:
        print("AUDIT NOT DONE for: " + "; ".join(still))
        print("  (pip-audit needs PyPI's per-release JSON API or OSV, which this machine cannot reach)")
        return 1 if os.environ.get("REQUIRE_AUDIT", "").strip() in {"1", "true", "yes"} else 0
    return 0


def installed_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def pypi_project(name: str) -> dict | None:
    try:
        with urllib.request.urlopen(f"https://pypi.org/pypi/{name}/json", timeout=30) as response:  # noqa: S310
            return json.load(response)
    except (OSError, ValueError):
        return None


def newest_in_series(project: dict, version: str) -> str | None:
    """The newest final release with the same major.minor as `version` (an LTS line kept up to date)."""
    from packaging.version import InvalidVersion, Version

    try:
        mine = Version(version)
    except InvalidVersion:
        return None
    same = []
    for release in project.get("releases", {}):
        try:
            candidate = Version(release)
        except InvalidVersion:
            continue
        if candidate.release[:2] == mine.release[:2] and not candidate.is_prerelease:
            same.append(candidate)
    newest = max(same, default=None)
    return f"{newest} — installed is {'the newest' if newest == mine else 'behind'}" if newest else None


if __name__ == "__main__":
    sys.exit(main())
