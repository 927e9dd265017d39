"""Sans-I/O codec of the Oktell server HTTP interface's replies (XML and JSON).

One module for every side: the Oktell simulator writes replies with the
``write_*`` functions, the system's Oktell channel reads them with the
``read_*`` functions, and both use the typed values below. The contract is
``oktell-http-api.ru.txt`` with spec-rulings.md "Oktell HTTP"; docs/oktell-codec.md
tells the decisions in detail.

Encodings (ruling 1): a document is written in the encoding its declaration
names: ``utf-16`` as UTF-16 little-endian with a byte-order mark (what Windows
and .NET write), ``utf-8`` as UTF-8 without a BOM. Which document uses which
follows the spec's examples: the ``oktellxmlmapper`` documents and
``uploadfilesresult`` declare utf-16, the ``group`` document of
tst_getintnumberreadyusers declares utf-8. ``decode_xml`` accepts both, and a
UTF-8 body declaring utf-8 wherever utf-16 is usual (the suites' alternative);
it refuses contradictions with a clear ``OktellFormatError``: a UTF-16 BOM with
a utf-8 declaration, a utf-16 declaration without a BOM, bytes that do not
decode, a body larger than ``max_bytes``. Characters XML 1.0 cannot carry
(control characters, lone surrogates) are written as U+FFFD. Whitespace before the declaration
(the spec's pasted examples have it) is tolerated.

Safety: documents are parsed by ``defusedxml`` with DTDs forbidden, so a
DOCTYPE, an entity declaration (billion laughs, quadratic blow-up) or an
external entity is refused before anything expands.

The execsvcscript result: the spec's example puts the script's returned value
in the ``name`` attribute of ``<property_simple key="returnvalue" .../>`` and
gives it no ``value``. The writer does exactly that (a real Oktell does); the
reader takes ``name`` and falls back to ``value`` when only that is present. A
run without a result (asynchronous, or the timeout passed) writes the
returnvalue element with no attribute besides ``key``; it reads as ``None``.

JSON (wp_getchaincontent, wp_getabonentinfo): typed dataclasses whose field
names and order are the spec's example's, with the example's value types
(strings stay strings even when they hold digits, booleans are JSON booleans,
integers JSON integers). Date-times are ``yyyy-MM-dd HH:mm:ss``; the
licence's dates are ``dd.MM.yyyy``. Readers check every known field's type
exactly (``true`` is not an integer) and keep unknown fields in ``extra`` so a
newer server's additions survive a round trip.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Literal, Self
from xml.etree.ElementTree import Element, SubElement, tostring

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException

MAPPER_VERSION = "80710"
"""The ``version`` attribute of every ``oktellxmlmapper`` in the spec."""

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
"""The spec's ``yyyy-MM-dd HH:mm:ss`` (wp_getchaincontent times)."""

DATE_FORMAT = "%d.%m.%Y"
"""The spec's ``dd.MM.yyyy`` (getlicenseinfo confirmdate, updatelimitdate)."""

DEFAULT_MAX_XML_BYTES = 4 * 1024 * 1024
"""Largest reply ``decode_xml`` reads unless told otherwise."""

XmlEncoding = Literal["utf-16", "utf-8"]

_DATETIME_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")
_DATE_SHAPE = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{4}")
_DECLARATION = re.compile(r"<\?xml\s+version\s*=\s*([\"'])1\.[0-9]\1(?P<rest>[^?]*)\?>")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_DECLARED_ENCODING = re.compile(r"encoding\s*=\s*([\"'])(?P<name>[A-Za-z0-9._-]+)\1")


class OktellFormatError(ValueError):
    """A reply that is not what the spec describes; the message says what is wrong."""


# --- date and time ---------------------------------------------------------------------


def format_datetime(value: datetime) -> str:
    return value.strftime(DATETIME_FORMAT)


def parse_datetime(text: str) -> datetime:
    if not _DATETIME_SHAPE.fullmatch(text):
        raise OktellFormatError(f"not a yyyy-MM-dd HH:mm:ss date-time: {text!r}")
    try:
        return datetime.strptime(text, DATETIME_FORMAT)
    except ValueError as error:
        raise OktellFormatError(f"not a real date-time: {text!r}") from error


def format_date(value: date) -> str:
    return value.strftime(DATE_FORMAT)


def parse_date(text: str) -> date:
    if not _DATE_SHAPE.fullmatch(text):
        raise OktellFormatError(f"not a dd.MM.yyyy date: {text!r}")
    try:
        return datetime.strptime(text, DATE_FORMAT).date()
    except ValueError as error:
        raise OktellFormatError(f"not a real date: {text!r}") from error


# --- XML bytes: encodings and safe parsing ----------------------------------------------


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def encode_xml(root: Element, encoding: XmlEncoding) -> bytes:
    """The document's bytes: declaration naming ``encoding``, then the tree, in it.

    Attribute values and texts are passed through ``xml_safe``: a control
    character (an upload's hostile file name) never makes the document unreadable."""
    for element in root.iter():
        for name, value in element.attrib.items():
            element.set(name, xml_safe(value))
        if element.text:
            element.text = xml_safe(element.text)
    body = tostring(root, encoding="unicode", short_empty_elements=True)
    text = f'<?xml version="1.0" encoding="{encoding}"?>\r\n{body}'
    if encoding == "utf-16":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode("utf-8")


@dataclass(frozen=True, slots=True)
class DecodedXml:
    """A reply's text with what its bytes said about their encoding."""

    text: str
    declared: str | None
    """The declaration's encoding, lower-cased; None without one."""
    actual: XmlEncoding
    """How the bytes were decoded."""


def decode_xml(body: bytes, max_bytes: int = DEFAULT_MAX_XML_BYTES) -> DecodedXml:
    """Check a reply's bytes against its declaration and decode them (see the module doc)."""
    if len(body) > max_bytes:
        raise OktellFormatError(f"XML reply of {len(body)} bytes is over the {max_bytes} limit")
    if not body:
        raise OktellFormatError("empty XML reply")
    actual: XmlEncoding
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        actual, codec, payload = "utf-16", "utf-16", body
    elif body.startswith(codecs.BOM_UTF8):
        actual, codec, payload = "utf-8", "utf-8", body[len(codecs.BOM_UTF8) :]
    elif len(body) >= 2 and (body[0] == 0) != (body[1] == 0):
        raise OktellFormatError("UTF-16 reply without a byte-order mark")
    else:
        actual, codec, payload = "utf-8", "utf-8", body
    try:
        text = payload.decode(codec)
    except UnicodeDecodeError as error:
        raise OktellFormatError(f"reply is not valid {actual}: {error.reason}") from error
    text = text.lstrip(" \t\r\n")
    declared = _declared_encoding(text)
    if declared is not None and declared not in ("utf-8", "utf-16"):
        raise OktellFormatError(f"declared encoding {declared!r} is neither utf-8 nor utf-16")
    if actual == "utf-16" and declared != "utf-16":
        raise OktellFormatError(f"UTF-16 bytes (BOM) but the declaration says {declared!r}")
    if actual == "utf-8" and declared == "utf-16":
        raise OktellFormatError("declaration says utf-16 but the bytes are not UTF-16 with a BOM")
    return DecodedXml(text, declared, actual)


def _declared_encoding(text: str) -> str | None:
    if not text.startswith("<?xml"):
        return None
    match = _DECLARATION.match(text)
    if match is None:
        raise OktellFormatError(f"malformed XML declaration: {text[:60]!r}")
    encoding = _DECLARED_ENCODING.search(match.group("rest"))
    return encoding.group("name").lower() if encoding else None


def parse_xml(body: bytes, max_bytes: int = DEFAULT_MAX_XML_BYTES) -> tuple[Element, DecodedXml]:
    """The reply's root element; no DTD, entity or external reference is ever expanded."""
    decoded = decode_xml(body, max_bytes)
    text = _DECLARATION.sub("", decoded.text, count=1)
    try:
        root: Element = safe_et.fromstring(
            text.encode("utf-8"), forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as error:
        raise OktellFormatError(f"refused XML: {type(error).__name__} ({error})") from error
    except safe_et.ParseError as error:
        raise OktellFormatError(f"not well-formed XML: {error}") from error
    return root, decoded


def _expect_tag(element: Element, tag: str) -> None:
    if element.tag != tag:
        raise OktellFormatError(f"expected <{tag}>, found <{element.tag}>")


def _required(element: Element, name: str) -> str:
    value = element.get(name)
    if value is None:
        raise OktellFormatError(f"<{element.tag}> lacks the {name!r} attribute")
    return value


def _int_attribute(element: Element, name: str) -> int:
    text = _required(element, name)
    if not re.fullmatch(r"-?[0-9]{1,18}", text):
        raise OktellFormatError(f"<{element.tag} {name}={text!r}> is not an integer")
    return int(text)


# --- oktellxmlmapper -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PropertySimple:
    """``<property_simple key=... value=... name=.../>``; absent attributes are None."""

    key: str
    value: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class PropertySet:
    """``<property_set name=... [id=...]>`` holding property_simple elements."""

    name: str
    properties: tuple[PropertySimple, ...] = ()
    id: str | None = None

    def get(self, key: str) -> PropertySimple | None:
        return next((p for p in self.properties if p.key == key), None)

    def require(self, key: str) -> PropertySimple:
        found = self.get(key)
        if found is None:
            raise OktellFormatError(f"property_set {self.name!r} lacks the {key!r} property")
        return found


@dataclass(frozen=True, slots=True)
class MapperData:
    """``<data name=... count=...>``; count is written as the number of sets."""

    name: str
    sets: tuple[PropertySet, ...] = ()


@dataclass(frozen=True, slots=True)
class OktellXmlMapper:
    data: tuple[MapperData, ...]
    version: str = MAPPER_VERSION

    def only(self, data_name: str) -> PropertySet:
        """The single property_set of the ``data`` named ``data_name``."""
        for data in self.data:
            if data.name == data_name:
                if len(data.sets) != 1:
                    raise OktellFormatError(f"data {data_name!r} holds {len(data.sets)} sets")
                return data.sets[0]
        raise OktellFormatError(f"no <data name={data_name!r}> in the reply")


def mapper_element(document: OktellXmlMapper) -> Element:
    root = Element("oktellxmlmapper", {"version": document.version})
    for data in document.data:
        data_element = SubElement(root, "data", {"name": data.name, "count": str(len(data.sets))})
        for property_set in data.sets:
            attributes = {"name": property_set.name}
            if property_set.id is not None:
                attributes["id"] = property_set.id
            set_element = SubElement(data_element, "property_set", attributes)
            for prop in property_set.properties:
                prop_attributes = {"key": prop.key}
                if prop.value is not None:
                    prop_attributes["value"] = prop.value
                if prop.name is not None:
                    prop_attributes["name"] = prop.name
                SubElement(set_element, "property_simple", prop_attributes)
    return root


def write_mapper(document: OktellXmlMapper, encoding: XmlEncoding = "utf-16") -> bytes:
    return encode_xml(mapper_element(document), encoding)


def read_mapper(body: bytes, max_bytes: int = DEFAULT_MAX_XML_BYTES) -> OktellXmlMapper:
    root, _ = parse_xml(body, max_bytes)
    _expect_tag(root, "oktellxmlmapper")
    version = _required(root, "version")
    datas = []
    for data_element in root:
        _expect_tag(data_element, "data")
        count = _int_attribute(data_element, "count")
        sets = tuple(_read_property_set(e) for e in data_element)
        if count != len(sets):
            raise OktellFormatError(
                f"<data name={data_element.get('name')!r}> says count={count}"
                f" but holds {len(sets)} property_set elements"
            )
        datas.append(MapperData(_required(data_element, "name"), sets))
    return OktellXmlMapper(tuple(datas), version)


def _read_property_set(element: Element) -> PropertySet:
    _expect_tag(element, "property_set")
    properties = []
    for prop in element:
        _expect_tag(prop, "property_simple")
        properties.append(
            PropertySimple(_required(prop, "key"), prop.get("value"), prop.get("name"))
        )
    return PropertySet(_required(element, "name"), tuple(properties), element.get("id"))


# --- execsvcscript ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScriptReply:
    """The execsvcscript answer: started, startresult and the returned value (module doc)."""

    started: bool
    startresult: int = 0
    returnvalue: str | None = None

    def to_mapper(self) -> OktellXmlMapper:
        started = PropertySimple(
            "started", "1" if self.started else "0", "success" if self.started else "error"
        )
        startresult = PropertySimple(
            "startresult", str(self.startresult), "success" if self.startresult == 0 else "error"
        )
        returned = PropertySimple("returnvalue", None, self.returnvalue)
        property_set = PropertySet("execsvcscript", (started, startresult, returned))
        return OktellXmlMapper((MapperData("result", (property_set,)),))

    @classmethod
    def from_mapper(cls, document: OktellXmlMapper) -> Self:
        found = document.only("result")
        if found.name != "execsvcscript":
            raise OktellFormatError(f"expected property_set 'execsvcscript', got {found.name!r}")
        started = _flag(found.require("started"))
        startresult_text = found.require("startresult").value
        if startresult_text is None or not re.fullmatch(r"-?[0-9]{1,9}", startresult_text):
            raise OktellFormatError(f"startresult is not an integer: {startresult_text!r}")
        returned = found.get("returnvalue")
        value = (
            None
            if returned is None
            else (returned.name if returned.name is not None else returned.value)
        )
        return cls(started, int(startresult_text), value)


def _flag(prop: PropertySimple) -> bool:
    if prop.value not in ("0", "1"):
        raise OktellFormatError(f"{prop.key} must be 0 or 1, got {prop.value!r}")
    return prop.value == "1"


def write_script_reply(reply: ScriptReply) -> bytes:
    return write_mapper(reply.to_mapper(), "utf-16")


def read_script_reply(body: bytes) -> ScriptReply:
    return ScriptReply.from_mapper(read_mapper(body))


# --- tst_getuserstate ------------------------------------------------------------------

USER_STATE_NAMES: Mapping[int, str] = {
    1: "usReady",
    2: "usLunch",
    3: "usNotAvailable",
    5: "usBusy",
    0: "usDisconnected",
    4: "usNoPhone",
    6: "usReserved",
}
"""Names of user states. 1 usReady is the spec's; the rest are this project's
(the spec numbers 1, 2, 3, 5 and names the service states without codes)."""


@dataclass(frozen=True, slots=True)
class UserStateReply:
    """tst_getuserstate: the user's id and state (``value`` the code, ``name`` its name)."""

    id: str
    state: int
    state_name: str | None = None

    def to_mapper(self) -> OktellXmlMapper:
        name = self.state_name if self.state_name is not None else USER_STATE_NAMES.get(self.state)
        properties = (PropertySimple("id", self.id), PropertySimple("state", str(self.state), name))
        return OktellXmlMapper(
            (MapperData("userstate", (PropertySet("user", properties, self.id),)),)
        )

    @classmethod
    def from_mapper(cls, document: OktellXmlMapper) -> Self:
        found = document.only("userstate")
        identifier = found.require("id").value
        if identifier is None:
            raise OktellFormatError("the user's id property has no value")
        state = found.require("state")
        if state.value is None or not re.fullmatch(r"-?[0-9]{1,9}", state.value):
            raise OktellFormatError(f"user state is not an integer: {state.value!r}")
        return cls(identifier, int(state.value), state.name)


def write_user_state(reply: UserStateReply) -> bytes:
    return write_mapper(reply.to_mapper(), "utf-16")


def read_user_state(body: bytes) -> UserStateReply:
    return UserStateReply.from_mapper(read_mapper(body))


# --- tst_getintnumberreadyusers --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReadyUsers:
    """``<group name ready busy><element name/>...``: counts and the free users' numbers.

    The counts are written as given: the spec does not say that ``ready`` equals
    the number of elements, so the reader does not demand it either."""

    number: str
    ready: int
    busy: int
    elements: tuple[str, ...] = ()


def write_ready_users(group: ReadyUsers) -> bytes:
    root = Element(
        "group", {"name": group.number, "ready": str(group.ready), "busy": str(group.busy)}
    )
    for number in group.elements:
        SubElement(root, "element", {"name": number})
    return encode_xml(root, "utf-8")


def read_ready_users(body: bytes) -> ReadyUsers:
    root, _ = parse_xml(body)
    _expect_tag(root, "group")
    elements = []
    for element in root:
        _expect_tag(element, "element")
        elements.append(_required(element, "name"))
    return ReadyUsers(
        _required(root, "name"),
        _int_attribute(root, "ready"),
        _int_attribute(root, "busy"),
        tuple(elements),
    )


# --- upload ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """One ``<file>``: saved ones carry size and path, refused ones only the name."""

    name: str
    saved: bool
    size: int | None = None
    path: str | None = None


@dataclass(frozen=True, slots=True)
class UploadResult:
    files: tuple[UploadedFile, ...]


def write_upload_result(result: UploadResult) -> bytes:
    root = Element("uploadfilesresult", {"count": str(len(result.files))})
    for item in result.files:
        attributes = {"name": item.name, "saved": "1" if item.saved else "0"}
        if item.size is not None:
            attributes["size"] = str(item.size)
        if item.path is not None:
            attributes["path"] = item.path
        SubElement(root, "file", attributes)
    return encode_xml(root, "utf-16")


def read_upload_result(body: bytes) -> UploadResult:
    root, _ = parse_xml(body)
    _expect_tag(root, "uploadfilesresult")
    count = _int_attribute(root, "count")
    files = []
    for element in root:
        _expect_tag(element, "file")
        saved = _required(element, "saved")
        if saved not in ("0", "1"):
            raise OktellFormatError(f"<file saved={saved!r}> must be 0 or 1")
        size = _int_attribute(element, "size") if element.get("size") is not None else None
        files.append(
            UploadedFile(_required(element, "name"), saved == "1", size, element.get("path"))
        )
    if count != len(files):
        raise OktellFormatError(f"uploadfilesresult says count={count} but lists {len(files)}")
    return UploadResult(tuple(files))


# --- JSON shapes -----------------------------------------------------------------------


class _JsonShape:
    """to_json/from_json for a dataclass: fields in order, types checked exactly.

    A field typed ``datetime`` travels as ``yyyy-MM-dd HH:mm:ss``; ``datetime | None``
    travels as that or ``""`` (None). Unknown members go to and come from ``extra``.
    """

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for item in fields(self):  # type: ignore[arg-type]
            if item.name == "extra":
                continue
            value = getattr(self, item.name)
            out[item.name] = _dump_value(value)
        out.update(getattr(self, "extra", {}))
        return out

    @classmethod
    def from_json(cls, data: object) -> Self:
        if not isinstance(data, dict):
            raise OktellFormatError(f"{cls.__name__}: expected a JSON object")
        values: dict[str, Any] = {}
        known = set()
        for item in fields(cls):  # type: ignore[arg-type]
            if item.name == "extra":
                continue
            known.add(item.name)
            if item.name not in data:
                raise OktellFormatError(f"{cls.__name__}: missing field {item.name!r}")
            values[item.name] = _load_value(
                cls.__name__, item.name, str(item.type), data[item.name]
            )
        values["extra"] = {k: v for k, v in data.items() if k not in known}
        return cls(**values)


def _dump_value(value: object) -> object:
    if isinstance(value, datetime):
        return format_datetime(value)
    if value is None:
        return ""
    return value


def _load_value(owner: str, name: str, annotation: str, value: object) -> object:
    expected = {"str": str, "bool": bool, "int": int}.get(annotation)
    if expected is not None:
        if type(value) is not expected:
            raise OktellFormatError(
                f"{owner}.{name}: expected a JSON {annotation}, got {type(value).__name__}"
            )
        return value
    if annotation in ("datetime", "datetime | None"):
        if not isinstance(value, str):
            raise OktellFormatError(f"{owner}.{name}: expected a date-time string")
        if value == "" and annotation == "datetime | None":
            return None
        return parse_datetime(value)
    raise AssertionError(f"no JSON rule for {annotation}")  # a programming error here


@dataclass(frozen=True, slots=True)
class CallElement(_JsonShape):
    """A ``"contentelementtype": "call"`` element of a chain's trace."""

    userlogin: str
    isuser: bool
    queuepriority: int
    managedlineid: str
    srclinenumber: str
    userid: str
    calledid: str
    istask: bool
    pbxdirection: str
    queuesourcestr: str
    srclineid: str
    objecttypestr: str
    managedlinenumber: str
    objecttype: int
    callerid: str
    queuesource: int
    department: str
    startqueuetime: datetime
    objectid: str
    username: str
    srcelementid: str
    extra: Mapping[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in _JsonShape.to_json(self).items():
            out[name] = value
            if name == "managedlineid":  # where the spec's example has it
                out["contentelementtype"] = "call"
        return out


@dataclass(frozen=True, slots=True)
class CommutationElement(_JsonShape):
    """A ``"contentelementtype": "commutation"`` element; ``timeanswer`` None is ``""``."""

    connectiontype: int
    btext: str
    aisuser: bool
    atext: str
    connectiontypestr: str
    buserid: str
    ausername: str
    aoutnumber: str
    blineid: str
    auserlogin: str
    bisuser: bool
    buserlogin: str
    auserid: str
    busername: str
    timeanswer: datetime | None
    isrecorded: bool
    commutationid: str
    bnumberdialed: str
    timestart: datetime
    boutnumber: str
    anumberdialed: str
    alinenumber: str
    blinenumber: str
    alineid: str
    extra: Mapping[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"contentelementtype": "commutation"} | _JsonShape.to_json(self)


TraceElement = CallElement | CommutationElement


def _trace_from_json(item: object) -> TraceElement:
    if not isinstance(item, dict):
        raise OktellFormatError("trace: expected JSON objects")
    kind = item.get("contentelementtype")
    rest = {k: v for k, v in item.items() if k != "contentelementtype"}
    if kind == "call":
        return CallElement.from_json(rest)
    if kind == "commutation":
        return CommutationElement.from_json(rest)
    raise OktellFormatError(f"trace: unknown contentelementtype {kind!r}")


@dataclass(frozen=True, slots=True)
class ChainContent:
    """wp_getchaincontent: the chain the line takes part in."""

    createtime: datetime
    trace: tuple[TraceElement, ...]
    customfield: str
    chainid: str

    def to_json(self) -> dict[str, Any]:
        return {
            "createtime": format_datetime(self.createtime),
            "trace": [element.to_json() for element in self.trace],
            "customfield": self.customfield,
            "chainid": self.chainid,
        }

    @classmethod
    def from_json(cls, data: object) -> Self:
        if not isinstance(data, dict):
            raise OktellFormatError("wp_getchaincontent: expected a JSON object")
        for name, kind in (
            ("createtime", str),
            ("trace", list),
            ("customfield", str),
            ("chainid", str),
        ):
            if type(data.get(name)) is not kind:
                raise OktellFormatError(
                    f"wp_getchaincontent: {name!r} missing or not a {kind.__name__}"
                )
        return cls(
            parse_datetime(data["createtime"]),
            tuple(_trace_from_json(item) for item in data["trace"]),
            data["customfield"],
            data["chainid"],
        )


@dataclass(frozen=True, slots=True)
class AbonentInfo(_JsonShape):
    """The ``abonentinfo`` object of wp_getabonentinfo."""

    cansendfiles: bool
    isconference: bool
    callerlineid: str
    callercomment: str
    isuser: bool
    callername: str
    canswitchtoconf: bool
    callerusername: str
    commutationid: str
    calleruserlogin: str
    callerdescription: str
    callerlinenum: str
    isivr: bool
    callerid: str
    callersimple: str
    calleruserid: str
    canfax: bool
    canvideo: bool
    chainid: str
    isextline: bool
    extra: Mapping[str, object] = field(default_factory=dict)


LINE_STATE_NAMES: Mapping[int, str] = {
    32: "lsCommutated",
    0: "lsDisconnected",
    1: "lsFree",
    2: "lsReserved",
    4: "lsDialing",
    8: "lsRinging",
    16: "lsCalling",
}
"""Line state codes. 32 lsCommutated is the spec's; the rest are this project's."""


@dataclass(frozen=True, slots=True)
class AbonentInfoReply:
    """wp_getabonentinfo. A line in no commutation has ``abonentinfo`` None: the key is left out."""

    abonentinfo: AbonentInfo | None
    currentlinestatestr: str
    currentlinestate: int

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.abonentinfo is not None:
            out["abonentinfo"] = self.abonentinfo.to_json()
        out["currentlinestatestr"] = self.currentlinestatestr
        out["currentlinestate"] = self.currentlinestate
        return out

    @classmethod
    def from_json(cls, data: object) -> Self:
        if not isinstance(data, dict):
            raise OktellFormatError("wp_getabonentinfo: expected a JSON object")
        if type(data.get("currentlinestatestr")) is not str:
            raise OktellFormatError(
                "wp_getabonentinfo: 'currentlinestatestr' missing or not a string"
            )
        if type(data.get("currentlinestate")) is not int:
            raise OktellFormatError("wp_getabonentinfo: 'currentlinestate' missing or not an int")
        info = data.get("abonentinfo")
        return cls(
            None if info is None else AbonentInfo.from_json(info),
            data["currentlinestatestr"],
            data["currentlinestate"],
        )


def dump_json(shape: ChainContent | AbonentInfoReply) -> bytes:
    """The reply body: UTF-8 JSON, Cyrillic as it is (not ``\\u`` escapes)."""
    return json.dumps(shape.to_json(), ensure_ascii=False, indent="\t").encode("utf-8")


def load_json(body: bytes, max_bytes: int = DEFAULT_MAX_XML_BYTES) -> object:
    """A JSON reply's value; bad UTF-8, bad JSON or a body over ``max_bytes`` is refused."""
    if len(body) > max_bytes:
        raise OktellFormatError(f"JSON reply of {len(body)} bytes is over the {max_bytes} limit")
    try:
        return json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise OktellFormatError(f"not a JSON reply: {error}") from error


def read_chain_content(body: bytes) -> ChainContent:
    return ChainContent.from_json(load_json(body))


def read_abonent_info(body: bytes) -> AbonentInfoReply:
    return AbonentInfoReply.from_json(load_json(body))


__all__: Sequence[str] = (
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "LINE_STATE_NAMES",
    "MAPPER_VERSION",
    "USER_STATE_NAMES",
    "AbonentInfo",
    "AbonentInfoReply",
    "CallElement",
    "ChainContent",
    "CommutationElement",
    "DecodedXml",
    "MapperData",
    "OktellFormatError",
    "OktellXmlMapper",
    "PropertySet",
    "PropertySimple",
    "ReadyUsers",
    "ScriptReply",
    "UploadResult",
    "UploadedFile",
    "UserStateReply",
    "decode_xml",
    "dump_json",
    "encode_xml",
    "format_date",
    "format_datetime",
    "load_json",
    "parse_date",
    "parse_datetime",
    "parse_xml",
    "read_abonent_info",
    "read_chain_content",
    "read_mapper",
    "read_ready_users",
    "read_script_reply",
    "read_upload_result",
    "read_user_state",
    "write_mapper",
    "write_ready_users",
    "write_script_reply",
    "write_upload_result",
    "write_user_state",
    "xml_safe",
)
