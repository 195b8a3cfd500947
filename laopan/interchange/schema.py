"""Structure of `laopan.case/1`: keys, types and code lists. Unknown keys are refused.

Meaning (checksums, dictionaries, rules between fields) is checked by the intake service, exactly as for a case
typed into the window; this module only says whether the file has the right shape, with Chinese messages
naming the JSON path.

Version 1 carries its cases in exactly the shape the services accept (`laopan.inputs.CaseIn`), so the file's
records are the input models. When the format and the input models part (a renamed key, a `laopan.case/2`),
give the file its own record classes here and convert them into `laopan.inputs` models in `parse_file`; the
services never see the file format.
"""

from typing import Any, Literal

from pydantic import Field, ValidationError

from laopan.errors import ValidationError as FieldError
from laopan.inputs import CaseIn, Record, field_errors

FORMAT = "laopan.case/1"


class CaseFile(Record):
    format: Literal["laopan.case/1"]
    cases: tuple[CaseIn, ...] = Field(min_length=1)


def parse_file(document: Any) -> CaseFile:
    """Validate a decoded JSON document; raises laopan.errors.Refused listing every structural problem."""
    from laopan.errors import Refused

    if not isinstance(document, dict):
        raise Refused([FieldError("(文件)", "应为 JSON 对象，含 format 和 cases")])
    try:
        return CaseFile.model_validate(document)
    except ValidationError as exc:
        raise Refused(field_errors(exc)) from None


