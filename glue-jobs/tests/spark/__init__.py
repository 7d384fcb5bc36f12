"""The Spark suite: the jobs' entry scripts run on real local Spark through the development-only
Glue shim (`glue-jobs/local/`, never shipped).

Test modules here are named `spark_*.py` so that the standard-library suite (`npm run test:python`,
pattern `test*.py`) never imports pyspark. Run them with `npm run test:spark`
(`python -m tests.spark` from `glue-jobs/`, inside the project's `.venv`).
"""
import sys
from pathlib import Path

# `awsglue` (the shim) and `glue_local` (the local services) live in glue-jobs/local/.
_LOCAL = str(Path(__file__).resolve().parents[2] / "local")
if _LOCAL not in sys.path:
    sys.path.insert(0, _LOCAL)
