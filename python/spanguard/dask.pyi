from typing import Any, Optional, Union
import os

import dask.bag
import dask.dataframe

_Model = Union[str, os.PathLike]

def extract_lines(lines: dask.bag.Bag, model: _Model, schema: Any, *, text_field: str = "text",
                  precision: str = "fp32", **options: Any) -> dask.bag.Bag: ...
def redact_lines(lines: dask.bag.Bag, model: _Model, *, text_field: str = "text",
                 precision: str = "fp32", **options: Any) -> dask.bag.Bag: ...
def moderate_lines(lines: dask.bag.Bag, model: _Model, *, text_field: str = "text",
                   prompt_field: Optional[str] = None, response_field: str = "response",
                   precision: str = "fp32", **options: Any) -> dask.bag.Bag: ...
def extract_column(column: dask.dataframe.Series, model: _Model, schema: Any, *,
                   precision: str = "fp32", **options: Any) -> dask.dataframe.Series: ...
def redact_column(column: dask.dataframe.Series, model: _Model, *, precision: str = "fp32",
                  **options: Any) -> dask.dataframe.Series: ...
def moderate_column(column: dask.dataframe.Series, model: _Model, *, precision: str = "fp32",
                    **options: Any) -> dask.dataframe.Series: ...
