"""`DynamicFrame`, `DynamicFrameReader` and `DynamicFrameWriter`, as awslabs/aws-glue-libs
`awsglue/dynamicframe.py` exposes them to the jobs.

Reproduced: `DynamicFrame.fromDF(dataframe, glue_ctx, name)` and `toDF()` (a DynamicFrame built
from a DataFrame gives that DataFrame back); the reader's `from_options` and the writer's
`from_jdbc_conf`, which forward to the GlueContext methods with the same arguments, as the
library's thin wrappers do. DynamicFrame's schema-on-read (choice types) is not modelled: the jobs
only convert DataFrames through it.
"""
from __future__ import annotations

from typing import Any, Mapping


class DynamicFrame:
    def __init__(self, dataframe: Any, glue_ctx: Any, name: str = "") -> None:
        self._df = dataframe
        self.glue_ctx = glue_ctx
        self.name = name

    @classmethod
    def fromDF(cls, dataframe: Any, glue_ctx: Any, name: str) -> "DynamicFrame":  # noqa: N802 (Glue's name)
        return cls(dataframe, glue_ctx, name)

    def toDF(self, options: Any = None) -> Any:  # noqa: N802 (Glue's name)
        return self._df

    def count(self) -> int:
        return int(self._df.count())


class DynamicFrameReader:
    def __init__(self, glue_context: Any) -> None:
        self._glue_context = glue_context

    def from_options(self, connection_type: str, connection_options: Mapping[str, Any] = {}, format: Any = None,  # noqa: A002,B006
                     format_options: Mapping[str, Any] = {}, transformation_ctx: str = "", push_down_predicate: str = "",  # noqa: B006
                     **kwargs: Any) -> DynamicFrame:
        return self._glue_context.create_dynamic_frame_from_options(
            connection_type, connection_options, format, format_options, transformation_ctx, push_down_predicate, **kwargs)


class DynamicFrameWriter:
    def __init__(self, glue_context: Any) -> None:
        self._glue_context = glue_context

    def from_jdbc_conf(self, frame: DynamicFrame, catalog_connection: str, connection_options: Mapping[str, Any] = {},  # noqa: B006
                       redshift_tmp_dir: str = "", transformation_ctx: str = "", catalog_id: Any = None) -> None:
        return self._glue_context.write_dynamic_frame_from_jdbc_conf(
            frame, catalog_connection, connection_options, redshift_tmp_dir, transformation_ctx, catalog_id)
