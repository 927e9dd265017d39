"""The suite's own reading of Oktell replies: XML bytes against their declaration,
safe parsing, and the JSON shapes' field types. Independent of system/wire/oktell.py
(the implementation it checks).

:func:`read_xml` looks at the bytes first: a UTF-16 byte-order mark, a UTF-8 one
or none; it decodes them, reads the declared encoding and reports every
contradiction as a :class:`WireProblem` naming the clause it breaks (``agrees``:
UTF-16 without a BOM, utf-16 declared over UTF-8 bytes, a UTF-16 BOM under
utf-8...). A ``<!DOCTYPE`` or ``<!ENTITY`` is refused before the parser sees
the text, so nothing can expand; the rest is parsed by the standard library's
ElementTree. :func:`json_type` names a JSON value's type as the spec's example
uses them (string, boolean, integer...), ``True`` never counting as an integer.
"""

from __future__ import annotations

import codecs
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

_DECLARATION = re.compile(r"<\?xml[^?]*\?>")
_ENCODING = re.compile(r"encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_REFUSED = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
MAX_BODY = 4 * 1024 * 1024


class WireProblem(ValueError):
    """A reply that breaks a statement: ``kind`` is agrees, wellformed or json."""

    def __init__(self, kind: str, text: str) -> None:
        super().__init__(text)
        self.kind = kind


@dataclass(frozen=True)
class XmlReply:
    root: ET.Element
    declared: str | None  # lower-cased, None without a declaration
    actual: str  # "utf-16" or "utf-8"
    bom: bool  # the body starts with a byte-order mark


def _decode(body: bytes) -> tuple[str, str, bool]:
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return body.decode("utf-16"), "utf-16", True
        except UnicodeDecodeError as error:
            problem = f"bytes after the UTF-16 BOM do not decode: {error}"
            raise WireProblem("agrees", problem) from None
    if len(body) >= 2 and (body[0] == 0) != (body[1] == 0):
        raise WireProblem("agrees", "UTF-16 bytes without a byte-order mark")
    bom = body.startswith(codecs.BOM_UTF8)
    try:
        return body[3:].decode("utf-8") if bom else body.decode("utf-8"), "utf-8", bom
    except UnicodeDecodeError as error:
        raise WireProblem(
            "agrees", f"the bytes are neither UTF-16 with a BOM nor UTF-8: {error}"
        ) from None


def read_xml(body: bytes) -> XmlReply:
    """The reply's root and encodings; WireProblem when bytes and declaration disagree
    or the document is not well-formed (a DTD or entity is refused unparsed)."""
    if not body:
        raise WireProblem("wellformed", "an empty body where an XML document was expected")
    if len(body) > MAX_BODY:
        raise WireProblem("wellformed", f"an XML reply of {len(body)} bytes")
    text, actual, bom = _decode(body)
    text = text.lstrip(" \t\r\n")
    declared = None
    match = _DECLARATION.match(text)
    if match is not None:
        found = _ENCODING.search(match.group(0))
        declared = found.group(1).lower() if found else None
        text = text[match.end() :]
    if declared not in (None, "utf-8", "utf-16"):
        raise WireProblem("agrees", f"declared encoding {declared!r} is neither utf-8 nor utf-16")
    if actual == "utf-16" and declared != "utf-16":
        raise WireProblem("agrees", f"UTF-16 bytes (BOM) but the declaration says {declared!r}")
    if actual == "utf-8" and declared == "utf-16":
        raise WireProblem(
            "agrees",
            "the declaration says utf-16 but the bytes are UTF-8 (no UTF-16 byte-order mark)",
        )
    if _REFUSED.search(text):
        raise WireProblem("wellformed", "the reply holds a DTD or an entity declaration")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        raise WireProblem("wellformed", f"not well-formed XML: {error}") from None
    return XmlReply(root, declared, actual, bom)


def read_json(body: bytes) -> object:
    if len(body) > MAX_BODY:
        raise WireProblem("json", f"a JSON reply of {len(body)} bytes")
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise WireProblem("json", f"not UTF-8 JSON: {error}") from None


def json_type(value: object) -> str:
    """The JSON type of a decoded value: string, boolean, integer, number, list, object, null."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return "null"


DATETIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")
DATE = re.compile(r"^[0-9]{2}\.[0-9]{2}\.[0-9]{4}$")

#: wp_getabonentinfo's abonentinfo fields and their types, from the spec's example.
ABONENT_FIELDS: dict[str, str] = {
    "cansendfiles": "boolean",
    "isconference": "boolean",
    "callerlineid": "string",
    "callercomment": "string",
    "isuser": "boolean",
    "callername": "string",
    "canswitchtoconf": "boolean",
    "callerusername": "string",
    "commutationid": "string",
    "calleruserlogin": "string",
    "callerdescription": "string",
    "callerlinenum": "string",
    "isivr": "boolean",
    "callerid": "string",
    "callersimple": "string",
    "calleruserid": "string",
    "canfax": "boolean",
    "canvideo": "boolean",
    "chainid": "string",
    "isextline": "boolean",
}
#: A chain's commutation element, from the spec's example.
COMMUTATION_FIELDS: dict[str, str] = {
    "contentelementtype": "string",
    "connectiontype": "integer",
    "btext": "string",
    "aisuser": "boolean",
    "atext": "string",
    "connectiontypestr": "string",
    "buserid": "string",
    "ausername": "string",
    "aoutnumber": "string",
    "blineid": "string",
    "auserlogin": "string",
    "bisuser": "boolean",
    "buserlogin": "string",
    "auserid": "string",
    "busername": "string",
    "timeanswer": "string",
    "isrecorded": "boolean",
    "commutationid": "string",
    "bnumberdialed": "string",
    "timestart": "string",
    "boutnumber": "string",
    "anumberdialed": "string",
    "alinenumber": "string",
    "blinenumber": "string",
    "alineid": "string",
}
CHAIN_FIELDS: dict[str, str] = {
    "createtime": "string",
    "trace": "list",
    "customfield": "string",
    "chainid": "string",
}


def type_problems(data: object, expected: dict[str, str], where: str) -> list[str]:
    """Every field of ``expected`` missing from ``data`` or of another JSON type."""
    if not isinstance(data, dict):
        return [f"{where} is a JSON {json_type(data)}, not an object"]
    problems = []
    for name, kind in expected.items():
        if name not in data:
            problems.append(f"{where}.{name} is missing")
        elif json_type(data[name]) != kind:
            problems.append(
                f"{where}.{name} is a {json_type(data[name])} "
                f"({data[name]!r}), the example's is a {kind}"
            )
    return problems
