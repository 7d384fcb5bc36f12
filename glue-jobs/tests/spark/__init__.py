"""Spark tests: `npm run test:spark:jvm` runs them under the project's .venv (see tests/__init__.py)."""
