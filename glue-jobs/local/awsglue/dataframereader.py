"""`glue_context.create_data_frame`, as awslabs/aws-glue-libs `awsglue/dataframereader.py` wires it:
`from_options(...)` forwards to `GlueContext.create_data_frame_from_options`."""
from __future__ import annotations

from typing import Any, Mapping


class DataFrameReader:
    def __init__(self, glue_context: Any) -> None:
        self._glue_context = glue_context

    def from_options(self, connection_type: str, connection_options: Mapping[str, Any] = {}, format: Any = None,  # noqa: A002,B006
                     format_options: Mapping[str, Any] = {}, transformation_ctx: str = "", push_down_predicate: str = "",  # noqa: B006
                     **kwargs: Any) -> Any:
        return self._glue_context.create_data_frame_from_options(
            connection_type, connection_options, format, format_options, transformation_ctx, push_down_predicate, **kwargs)
