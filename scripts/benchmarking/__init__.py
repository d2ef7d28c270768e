"""Benchmark of the project on a scale dataset, behind scripts/benchmark.py.

Steps of one run (each prints what it does and what it measured):

1. Dataset: reuse DIR (default data/scale/r<S>) when its dataset.json matches the scale,
   seed and format, else run ``scripts/generate_demo_data.py --scale S`` (timed).
2. Project copy: <work-dir>/project holds a fresh copy of dbt_project.yml, models/,
   macros/, seeds/, tests/, analyses/ and a profiles.yml made from profiles.yml.example;
   seeds/storefronts.csv is replaced by the dataset's own field map (two Sage entities).
3. Full build: ``dbt build --exclude tag:alert`` into <work-dir>/ecom_sage_gap.duckdb.
   Measured: wall time, peak memory of the whole process tree (sum of the RSS of dbt and
   all its descendants, sampled every 0.05 s with psutil), rows per second (raw input rows / wall),
   the slowest nodes, model and test seconds and node counts by status (from
   target/run_results.json), and the headline of the mart ecom_sage_customer_gap.
4. Direct SQL: the compiled SQL of every model (target/manifest.json) run directly in
   DuckDB in DAG order, without dbt, into <work-dir>/direct/ecom_sage_gap.duckdb with
   the same settings (the seeds are copied from the dbt database; the copy is timed).
   Reported: wall (connect to close), the slowest models, the ratio dbt wall / direct
   wall, and whether the ecom_sage_customer_gap* marts equal the dbt ones (EXCEPT ALL
   both ways).
5. Incremental: the increment dataset (``--increment FRACTION``: the base plus FRACTION
   new orders and customers a week later; default dir <data-dir>-inc<FRACTION>) is built
   by ``dbt build`` on the database of step 3 (the scheduled run; the heavy models are
   incremental), then with ``--full-refresh`` into <work-dir>/increment_full/. The five
   marts of the two databases must be identical (EXCEPT ALL both ways). dbt reads every
   dataset through <work-dir>/source, a symbolic link, so the scheduled run reads the
   same raw_data_path as the build it follows (another path would rebuild the stored
   orders instead of refreshing them).
6. Report: the run's section on stdout and, unless --no-append, the run as one JSON
   object appended to benchmarks/results.jsonl (the data), then BENCHMARKS.md rendered
   from that file and benchmarks/notes.md (report.py): a summary table, one row per scale
   (and engine) from its latest run, a step that run skipped taken from the latest run
   that measured it; one section per run; the hand-written notes. ``--render-only``
   renders BENCHMARKS.md alone, without a run. A record names no absolute path: paths
   inside the repository are relative to it, others are cut to their last two components.

With ``--target spark`` (needs ``make setup-spark`` and Java 17+; default work dir
target/benchmark/r<S>-spark), steps 1 and 2 are the same, then:

3. Full build: ``dbt build --exclude tag:alert --target spark`` (the profile's ``spark``
   output: dbt-spark session mode, Spark local[2]) with the same vars, run in the project
   copy so that Spark's metastore_db/ and spark-warehouse/ stay in the work dir (Spark's
   scratch space and temporary files too: SPARK_LOCAL_DIRS, TMPDIR and the JVM's
   java.io.tmpdir are <work-dir>/spark_tmp). Measured as above; Spark's
   JVM is a child of dbt, so the peak RSS counts it (the section says how much of the peak
   each program held). ``--spark-driver-memory`` (default 6g) sets the JVM's heap through
   ECOM_SAGE_GAP_SPARK_DRIVER_MEMORY (spark.driver.memory in profiles.yml.example); the
   -Xmx of the JVM seen in the process tree is reported. The schema is
   ECOM_SAGE_GAP_SPARK_SCHEMA (default ecom_sage_gap); the marts are in schema marts. The
   headline is read by DuckDB from the mart's Parquet files,
   <project>/spark-warehouse/marts.db/ecom_sage_customer_gap/.
4. Spark marts = DuckDB marts: the DuckDB full build of the same dataset in the same
   project copy (``--target duckdb``, into <work-dir>/ecom_sage_gap.duckdb), measured like
   step 3 right after it (the two engines back to back), then the eight marts of both
   engines compared row for row: multisets of rows over the same columns, numbers by
   value (decimal 12.50 = 12.5), timestamps as UTC, text exactly.
   The direct SQL replay and the incremental run do not apply on Spark (the replay runs
   DuckDB SQL; the stored orders model, incremental on DuckDB, is a table there, rebuilt
   by every run): the section says
   so. The section's heading names the engine (``R0.1 (parquet, spark)``), and Spark runs
   get rows of their own in the summary table.

Exit code: 0 when every step that was not skipped ran and the direct and incremental
equality checks passed (with --target spark: the Spark marts equal DuckDB's); 1 otherwise
(the report still states what was measured and what failed); 130 on Ctrl-C (the dbt
process group is stopped; nothing is appended).

Every dbt call gets ECOM_SAGE_GAP_DUCKDB_PATH, ECOM_SAGE_GAP_THREADS,
ECOM_SAGE_GAP_MEMORY_LIMIT and ECOM_SAGE_GAP_TEMP_DIRECTORY and DBT_PROFILES_DIR (with
--target spark also ECOM_SAGE_GAP_SPARK_DRIVER_MEMORY, SPARK_LOCAL_DIRS, TMPDIR and
SPARK_SUBMIT_OPTS).
Memory figures are in GB = 10^9 bytes. The sum of RSS counts pages shared between
processes once per process, so it is an upper bound of the tree's resident memory; a
child that still has its parent's address space (the JVM's vforked children, until
their exec) is counted once, with its parent.

Modules: settings.py (paths, fixed settings), results.py (what a run measures, and its
record), memory.py (process-tree peak memory with psutil; measured subprocesses),
dataset.py (step 1), dbt_runs.py (steps 2 and 3), direct.py (step 4), incremental.py
(step 5), spark.py (--target spark), report.py (records, BENCHMARKS.md), cli.py (the
steps in order). Run it with the project's virtual environment.
"""
