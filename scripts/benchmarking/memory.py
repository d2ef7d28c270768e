"""Peak memory of a process tree (psutil), and subprocesses run and measured with it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from collections import Counter, deque
from pathlib import Path

import psutil

from .results import ProcessRun
from .settings import GB, PROGRESS_EVERY_S, SAMPLE_INTERVAL_S


def shares_parent_memory(rss: int, vms: int, parent: tuple[int, int] | None) -> bool:
    """A child that still has its parent's address space: the parent's memory, not more.
    The JVM starts its subprocesses (Hadoop's shell commands: chmod...) with posix_spawn,
    i.e. vfork: until the exec, the child's resident size is the whole JVM's, and a sample
    falling in that instant would count the JVM twice (seen: a 4.5 GB JVM and a child
    named after the JVM thread that spawned it, with the same 4.5 GB). A fork that has not
    written to its pages yet is the same (copy-on-write shares them). Told by the same
    virtual size as the parent's, byte for byte, and a resident size within 1% (or 16 MB)
    of it. parent: (rss, vms) of the parent, None for the root."""
    if parent is None or rss == 0:
        return False
    parent_rss, parent_vms = parent
    return vms == parent_vms and abs(rss - parent_rss) <= max(parent_rss // 100, 16 << 20)


class TreeMemorySampler(threading.Thread):
    """Samples the summed resident memory (RSS) of a process and all its descendants in the
    background (psutil). A child that still has its parent's address space is not added
    (shares_parent_memory). Also kept: the make-up of the peak by process name (dbt, java:
    Spark's JVM is a child of dbt) and the latest command line of every process seen.
    The sum counts pages shared between processes once per process: an upper bound."""

    def __init__(self, root_pid: int, interval_s: float = SAMPLE_INTERVAL_S) -> None:
        super().__init__(daemon=True, name=f"rss-sampler-{root_pid}")
        self.root_pid = root_pid
        self.interval_s = interval_s
        self.current_bytes = 0
        self.peak_bytes = 0
        self.peak_parts: dict[str, int] = {}
        self.commands: dict[int, list[str]] = {}
        self._names: dict[int, str] = {}
        self.samples = 0
        self._stop_event = threading.Event()

    def sample(self) -> None:
        try:
            root = psutil.Process(self.root_pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        memory: dict[int, tuple[int, int]] = {}
        parents: dict[int, int] = {}
        for process in processes:
            try:
                with process.oneshot():
                    info = process.memory_info()
                    name = process.name()
                    parents[process.pid] = process.ppid()
            except psutil.Error:
                continue
            memory[process.pid] = (info.rss, info.vms)
            # Read the command line again when the name changes: spark-submit is a shell
            # script that execs the JVM in the same process.
            if self._names.get(process.pid) != name:
                self._names[process.pid] = name
                try:
                    self.commands[process.pid] = process.cmdline()
                except psutil.Error:
                    self.commands[process.pid] = []
        sizes: dict[int, int] = {}
        for pid, (rss, vms) in memory.items():
            parent = memory.get(parents[pid]) if pid != self.root_pid else None
            sizes[pid] = 0 if shares_parent_memory(rss, vms, parent) else rss
        total = sum(sizes.values())
        self.current_bytes = total
        if total > self.peak_bytes:
            self.peak_bytes = total
            parts: Counter[str] = Counter()
            for pid, size in sizes.items():
                if size:
                    parts[self._names[pid]] += size
            self.peak_parts = dict(parts.most_common())
        self.samples += 1

    def run(self) -> None:
        self.sample()
        while not self._stop_event.wait(self.interval_s):
            self.sample()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def stop_process_group(proc: subprocess.Popen) -> None:
    """Stop a child started in its own session: SIGINT, then SIGTERM, then SIGKILL."""
    for sig, grace_s in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace_s)
            return
        except subprocess.TimeoutExpired:
            continue


def run_measured(cmd: list[str], *, cwd: Path, env: dict[str, str], log_path: Path,
                 label: str, echo: bool = False) -> ProcessRun:
    """Run cmd in its own process group, write its output to log_path (and echo it when
    asked), print a progress line every ~10 s, and measure wall time and the peak RSS
    of its process tree. Ctrl-C stops the whole group and is re-raised."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    tail: deque[str] = deque(maxlen=40)
    progress = {"line": ""}
    node_line = re.compile(r"\b\d+ of \d+ ")
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(f"$ {' '.join(cmd)}\n# cwd: {cwd}\n")
        log.flush()
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, errors="replace",
                                bufsize=1, start_new_session=True)
        sampler = TreeMemorySampler(proc.pid)
        sampler.start()

        def pump() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                log.write(line)
                log.flush()
                line = line.rstrip("\n")
                tail.append(line)
                if node_line.search(line):
                    progress["line"] = line.strip()
                if echo:
                    print(f"    | {line}", flush=True)

        reader = threading.Thread(target=pump, daemon=True, name=f"log-{label}")
        reader.start()
        next_progress = started + PROGRESS_EVERY_S
        try:
            while True:
                try:
                    returncode = proc.wait(timeout=0.25)
                    break
                except subprocess.TimeoutExpired:
                    pass
                now = time.perf_counter()
                if now >= next_progress:
                    next_progress += PROGRESS_EVERY_S
                    detail = f"  {progress['line'][:110]}" if progress["line"] and not echo else ""
                    print(f"  [{label}] {now - started:7.1f} s elapsed, RSS "
                          f"{sampler.current_bytes / GB:.2f} GB (peak "
                          f"{sampler.peak_bytes / GB:.2f} GB){detail}", flush=True)
        except KeyboardInterrupt:
            print(f"\n  [{label}] interrupted: stopping process group {proc.pid} ...", flush=True)
            stop_process_group(proc)
            sampler.stop()
            raise
        wall_s = time.perf_counter() - started
        sampler.stop()
        reader.join(timeout=10)
    return ProcessRun(returncode=returncode, wall_s=wall_s, peak_rss_bytes=sampler.peak_bytes,
                      log_path=log_path, tail=list(tail), peak_parts=sampler.peak_parts,
                      commands=sampler.commands)


class PeakOfThisProcess:
    """The peak RSS of this process while a block runs (the direct replay runs DuckDB in
    the benchmark's own process): `with PeakOfThisProcess() as peak: ...; peak.bytes`."""

    def __init__(self) -> None:
        self._sampler = TreeMemorySampler(os.getpid())
        self.bytes: int | None = None

    def __enter__(self) -> "PeakOfThisProcess":
        self._sampler.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._sampler.stop()
        self.bytes = self._sampler.peak_bytes
