"""A test-only stand-in for AWS Glue's `awsglue` package (never shipped: the zipped library holds
only `platform_etl/`). Glue's own package wraps JVM classes that are not published; each module
here reproduces, on plain local Spark, the behaviour the platform's jobs rely on, and says in its
docstring which behaviour and where it was read (awslabs/aws-glue-libs, the AWS Glue docs, the
spark-redshift-community connector). `_local` holds the service-side state Glue keeps outside the
job (catalog connections, job bookmarks, Kinesis streams) and the suite's fault injection.
"""
