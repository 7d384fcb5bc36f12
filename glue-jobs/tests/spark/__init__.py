"""The Spark suite: the jobs' entry scripts run on real local Spark through the test-only Glue shim.

Test modules here are named `spark_*.py` so that the standard-library suite (`npm run test:python`,
pattern `test*.py`) never imports pyspark. Run them with `npm run test:spark`
(`python -m tests.spark` from `glue-jobs/`, inside the project's `.venv`).
"""
