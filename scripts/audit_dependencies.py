"""Audit the installed dependencies for known vulnerabilities with pip-audit (PyPA).

    python scripts/audit_dependencies.py [SITE_PACKAGES]

pip-audit runs from a virtual environment of its own (var/audit-venv, made here) and audits the project's
.venv (its site-packages, the editable project itself excluded). The outcome:

- a known vulnerability in an installed package: each is printed with its fix versions, exit 1;
- every package audited and none vulnerable: exit 0;
- some packages could not be audited (pip-audit asks PyPI's per-release JSON API, or OSV, for each
  package; a machine that reaches only the package index gets "not found" for every one): the packages are
  listed and the audit is reported as NOT DONE — exit 1 when REQUIRE_AUDIT=1, otherwise exit 0 with that
  warning, so that a machine without the advisory service can still run the rest of CI and says so loudly.
"""

import json
import os
import subprocess
import sys
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
    if skipped:
        reasons = sorted({d["skip_reason"].split(":")[0] for d in skipped})
        print(f"AUDIT NOT DONE for {len(skipped)} packages ({'; '.join(reasons)}):")
        print("  " + ", ".join(f"{d['name']} {d.get('version', '')}".strip() for d in skipped))
        print("  The advisory service (PyPI's JSON API per release, or OSV) is not reachable from this machine.")
        return 1 if os.environ.get("REQUIRE_AUDIT", "").strip() in {"1", "true", "yes"} else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
