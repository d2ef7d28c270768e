"""Run `dbt parse --show-all-deprecations` and fail on any warning or deprecation.

dbt exits 0 when a project parses with deprecation warnings; the project keeps its
YAML and config current, so this wrapper turns any warning into a failure.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    dbt = PROJECT_DIR / ".venv" / "bin" / "dbt"
    command = [str(dbt) if dbt.exists() else "dbt", "parse", "--show-all-deprecations",
               "--no-partial-parse", "--project-dir", str(PROJECT_DIR)]
    env = dict(os.environ)
    env.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    output = result.stdout + result.stderr
    print(output, end="")
    problems = [line for line in output.splitlines()
                if "[WARNING]" in line or "Deprecat" in line or "deprecat" in line]
    if result.returncode != 0:
        print(f"dbt parse failed (exit {result.returncode})", file=sys.stderr)
        return result.returncode
    if problems:
        print(f"dbt parse reported {len(problems)} warning(s)/deprecation(s):", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        return 1
    print("dbt parse: clean (no warnings, no deprecations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
