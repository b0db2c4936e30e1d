"""The analysis notebook runs top to bottom (nbclient, a real kernel) on the sample outputs and on empty ones."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from pipeline.config import PROJECT_DIR, Settings
from pipeline.run import run
from tests.sample_run import run_samples

NOTEBOOK = PROJECT_DIR / "notebooks" / "ocop_analysis.ipynb"


def execute_notebook(processed: Path, monkeypatch: pytest.MonkeyPatch) -> nbformat.NotebookNode:
    """The notebook after running every cell on ``processed`` (raises CellExecutionError on any failure)."""
    monkeypatch.setenv("OCOP_PROCESSED_DIR", str(processed))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    ).execute()
    return notebook


def outputs(notebook: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]


def test_the_notebook_draws_every_chart_from_the_sample_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, summary = run_samples(tmp_path)
    notebook = execute_notebook(out, monkeypatch)
    assert not [o for o in outputs(notebook) if o.output_type == "error"]
    charts = [o for o in outputs(notebook) if "image/png" in o.get("data", {})]
    assert len(charts) == 3
    printed = "".join(o.get("text", "") for o in outputs(notebook) if o.output_type == "stream")
    assert f"{summary.documents} documents from {out}" in printed
    assert f"{summary.facts['budgets']} budgets" in printed


def test_the_notebook_runs_on_outputs_without_facts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "raw").mkdir()
    run(Settings.for_dirs(tmp_path / "raw", tmp_path / "out"))
    notebook = execute_notebook(tmp_path / "out", monkeypatch)
    printed = "".join(o.get("text", "") for o in outputs(notebook) if o.output_type == "stream")
    assert "0 documents" in printed and printed.count("no facts in") == 3
