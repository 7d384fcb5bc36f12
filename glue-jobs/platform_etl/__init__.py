"""Pure-Python core of the platform's Glue jobs.

Everything in this package runs without Spark, Glue or boto3 so that it can be
unit-tested with the standard library alone. The Spark-facing helpers
(`spark_job`, `aws`) import their heavy dependencies inside functions only.
"""
