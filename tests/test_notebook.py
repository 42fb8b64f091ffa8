"""The evaluation notebook runs top to bottom and reproduces the evaluation table."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "corpus" / "dev"


@pytest.mark.skipif(not DEV.exists(), reason="../shared/corpus/dev is not beside this checkout")
def test_evaluation_notebook_executes():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    from nlp.evaluate import evaluate_corpus

    nb = nbformat.read(ROOT / "notebooks" / "evaluation.ipynb", as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    # the table the notebook shows is the one evaluate computes
    f1 = evaluate_corpus(DEV)["scores"]["tasks"]["f1"]
    assert "tasks" in html and f"{f1:.4f}".rstrip("0") in html
    assert any("image/png" in o.get("data", {}) for o in outputs)  # the F1 plot
    assert "false_negative" in html or "false_positive" in html
