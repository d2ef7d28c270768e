"""Step 1: the scale dataset, reused when its dataset.json matches, else generated (timed)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from demo_data.scale_settings import SCALE_DATASET_VERSION

from .memory import run_measured
from .results import Dataset
from .settings import GB, GENERATOR, REPO_ROOT, VENV_BIN, StepFailed


def read_dataset_meta(path: Path) -> dict | None:
    meta_path = path / "dataset.json"
    if not meta_path.exists():
        return None
    try:
        return json.loads(meta_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None


def dataset_mismatch(meta: dict | None, scale: float, seed: int, fmt: str,
                     increment: float | None) -> str | None:
    """Why the dataset described by meta is not the one asked for (None = it is)."""
    if meta is None:
        return "no readable dataset.json"
    if meta.get("version") != SCALE_DATASET_VERSION:
        return f"dataset version {meta.get('version')} != the generator's {SCALE_DATASET_VERSION}"

    def same(a, b) -> bool:
        return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))

    if not same(meta.get("scale"), scale):
        return f"scale {meta.get('scale')} != {scale:g}"
    if meta.get("seed") != seed:
        return f"seed {meta.get('seed')} != {seed}"
    if meta.get("format") != fmt:
        return f"format {meta.get('format')} != {fmt}"
    found_increment = meta.get("increment")
    if increment is None and found_increment:
        return f"it is an increment dataset (increment {found_increment})"
    if increment is not None and not same(found_increment, increment):
        return f"increment {found_increment} != {increment:g}"
    if not meta.get("rows") or not meta.get("gap_as_of"):
        return "dataset.json has no rows or gap_as_of"
    return None


def ensure_dataset(path: Path, args: argparse.Namespace, log_path: Path,
                   increment: float | None = None, force_reason: str | None = None) -> Dataset:
    """Reuse the dataset at path when it matches (and no force_reason is given), else
    generate it (timed)."""
    label = "increment dataset" if increment is not None else "dataset"
    meta = read_dataset_meta(path)
    reason = dataset_mismatch(meta, args.scale, args.seed, args.format, increment)
    if reason is None and force_reason is None:
        print(f"  Reusing {label} {path} ({sum(meta['rows'].values()):,} rows, "
              f"gap_as_of {meta['gap_as_of']})")
        return Dataset(path=path, meta=meta)
    why = reason or force_reason
    python = VENV_BIN / "python" if (VENV_BIN / "python").exists() else Path(sys.executable)
    cmd = [str(python), str(GENERATOR), "--scale", f"{args.scale:g}", "--format", args.format,
           "--seed", str(args.seed), "--out", str(path), "--threads", str(args.threads),
           "--memory-limit", args.memory_limit]
    if increment is not None:
        cmd += ["--increment", f"{increment:g}"]
    print(f"  Generating {label} into {path} ({why}):")
    print(f"    $ {' '.join(cmd)}", flush=True)
    run = run_measured(cmd, cwd=REPO_ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                       log_path=log_path, label="generate", echo=True)
    if run.returncode != 0:
        raise StepFailed(f"the generator exited with {run.returncode} after {run.wall_s:.1f} s. "
                         f"Log: {log_path}")
    meta = read_dataset_meta(path)
    reason = dataset_mismatch(meta, args.scale, args.seed, args.format, increment)
    if reason is not None:
        raise StepFailed(f"the generator ran but {path}/dataset.json does not match: {reason}")
    print(f"  Generated {label} in {run.wall_s:.1f} s (peak RSS {run.peak_rss_bytes / GB:.2f} GB), "
          f"{sum(meta['rows'].values()):,} rows")
    return Dataset(path=path, meta=meta, generated=True, generation=run)
