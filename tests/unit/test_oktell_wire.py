"""The Oktell reply codec: the spec's examples, round trips, encodings, hostile XML."""

from __future__ import annotations

import codecs
import contextlib
import json
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nabat.system.wire import oktell as o

SPEC_SCRIPT = """ <?xml version="1.0" encoding="utf-16"?>

 <oktellxmlmapper version="80710">

   <data name="result" count="1">

     <property_set name="execsvcscript">

       <property_simple key="started" value="1" name="success" />

       <property_simple key="startresult" value="0" name="success" />

       <property_simple key="returnvalue" name="abcdef" />

     </property_set>

   </data>

 </oktellxmlmapper>
"""

SPEC_USER_STATE = """ <?xml version="1.0" encoding="utf-16"?>
 <oktellxmlmapper version="80710">
   <data name="userstate" count="1">
     <property_set name="user" id="da803f01-ea77-40fa-bc9d-e2efb36fd5a8">
       <property_simple key="id" value="da803f01-ea77-40fa-bc9d-e2efb36fd5a8" />
       <property_simple key="state" value="1" name="usReady" />
     </property_set>
   </data>
 </oktellxmlmapper>
"""

SPEC_GROUP = """<?xml version="1.0" encoding="utf-8"?>
  <group name="120" ready="2" busy="3">
    <element name="223"/>
    <element name="227"/>
  </group>
"""

SPEC_UPLOAD = """ <?xml version="1.0" encoding="utf-16"?>
 <uploadfilesresult count="3">
   <file name="1.jpg" saved="1" size="13277" path="C:\\Oktell\\Temp\\UploadData\\1.jpg"/>
   <file name="note.txt" saved="1" size="938" path="C:\\Oktell\\Temp\\UploadData\\note.txt"/>
   <file name="noteerror.txt" saved="0"/>
 </uploadfilesresult>
"""

SPEC_CHAIN = {
    "createtime": "2011-07-27 14:41:28",
    "trace": [
        {
            "userlogin": "Dima",
            "isuser": True,
            "queuepriority": 10,
            "managedlineid": "e76c86ea-a28a-4519-b4ff-8879a92c62b7",
            "contentelementtype": "call",
            "srclinenumber": "17002",
            "userid": "2a594b51-bb89-4da6-a69f-f48761baf0d9",
            "calledid": "183",
            "istask": False,
            "pbxdirection": "internal",
            "queuesourcestr": "qsLineLogic",
            "srclineid": "e76c86ea-a28a-4519-b4ff-8879a92c62b7",
            "objecttypestr": "qotQueueLogic",
            "managedlinenumber": "17002",
            "objecttype": 0,
            "callerid": "#999",
            "queuesource": 1,
            "department": "Программисты",
            "startqueuetime": "2011-07-27 14:41:29",
            "objectid": "63d38304-3bff-4e8e-8c42-8f2f11b57c73",
            "username": "Дмитрий Евгеньевич",
            "srcelementid": "e76c86ea-a28a-4519-b4ff-8879a92c62b7",
        },
        {
            "contentelementtype": "commutation",
            "connectiontype": 3,
            "btext": "Виктор Викторыч",
            "aisuser": True,
            "atext": "Дмитрий Евгеньевич",
            "connectiontypestr": "ctInnerInner",
            "buserid": "7cf84c23-2736-4fc8-9bf7-bfbb4778fb01",
            "ausername": "Дмитрий Евгеньевич",
            "aoutnumber": "#999",
            "blineid": "070aafb0-f47c-4df5-a01f-7bb08ceee269",
            "auserlogin": "Dima",
            "bisuser": True,
            "buserlogin": "VIKTIRICH",
            "auserid": "2a594b51-bb89-4da6-a69f-f48761baf0d9",
            "busername": "Виктор Викторыч",
            "timeanswer": "2011-07-27 14:41:31",
            "isrecorded": True,
            "commutationid": "8fc371f2-ae36-4744-ae7f-bee8c79385a8",
            "bnumberdialed": "",
            "timestart": "2011-07-27 14:41:29",
            "boutnumber": "183",
            "anumberdialed": "183",
            "alinenumber": "17002",
            "blinenumber": "17001",
            "alineid": "e76c86ea-a28a-4519-b4ff-8879a92c62b7",
        },
    ],
    "customfield": "",
    "chainid": "c7b333a5-93b3-4277-8c60-9844d63a4732",
}

SPEC_ABONENT = {
    "abonentinfo": {
        "cansendfiles": False,
        "isconference": False,
        "callerlineid": "070aafb0-f47c-4df5-a01f-7bb08ceee269",
        "callercomment": "",
        "isuser": True,
        "callername": "Виктор Викторыч",
        "canswitchtoconf": False,
        "callerusername": "Виктор Викторыч",
        "commutationid": "21164dde-0c43-46cf-b00f-77bd51cbe284",
        "calleruserlogin": "VIKTIRICH",
        "callerdescription": "",
        "callerlinenum": "17001",
        "isivr": False,
        "callerid": "183",
        "callersimple": "Виктор Викторыч",
        "calleruserid": "7cf84c23-2736-4fc8-9bf7-bfbb4778fb01",
        "canfax": True,
        "canvideo": False,
        "chainid": "b8b552d1-7cb9-4469-a45d-451f27516af1",
        "isextline": False,
    },
    "currentlinestatestr": "lsCommutated",
    "currentlinestate": 32,
}


def utf16(text: str) -> bytes:
    return codecs.BOM_UTF16_LE + text.encode("utf-16-le")


def test_spec_examples_parse() -> None:
    assert o.read_script_reply(utf16(SPEC_SCRIPT)) == o.ScriptReply(True, 0, "abcdef")
    state = o.read_user_state(utf16(SPEC_USER_STATE))
    assert state == o.UserStateReply("da803f01-ea77-40fa-bc9d-e2efb36fd5a8", 1, "usReady")
    assert o.read_ready_users(SPEC_GROUP.encode()) == o.ReadyUsers("120", 2, 3, ("223", "227"))
    upload = o.read_upload_result(utf16(SPEC_UPLOAD))
    assert upload.files[0] == o.UploadedFile(
        "1.jpg", True, 13277, "C:\\Oktell\\Temp\\UploadData\\1.jpg"
    )
    assert upload.files[2] == o.UploadedFile("noteerror.txt", False)


def test_spec_json_examples_round_trip_with_field_order_and_types() -> None:
    chain = o.read_chain_content(json.dumps(SPEC_CHAIN).encode())
    assert chain.createtime == datetime(2011, 7, 27, 14, 41, 28)
    assert isinstance(chain.trace[0], o.CallElement)
    assert chain.trace[0].queuepriority == 10 and chain.trace[0].department == "Программисты"
    assert chain.to_json() == SPEC_CHAIN
    assert [list(e) for e in json.loads(o.dump_json(chain))["trace"]] == [
        list(e) for e in SPEC_CHAIN["trace"]
    ]
    abonent = o.read_abonent_info(json.dumps(SPEC_ABONENT).encode())
    assert abonent.currentlinestate == 32 and abonent.abonentinfo is not None
    assert list(abonent.to_json()["abonentinfo"]) == list(SPEC_ABONENT["abonentinfo"])  # type: ignore[call-overload]
    assert json.loads(o.dump_json(abonent)) == SPEC_ABONENT
    assert "Виктор".encode() in o.dump_json(abonent)


def test_json_types_are_checked_exactly() -> None:
    bad = json.loads(json.dumps(SPEC_ABONENT))
    bad["abonentinfo"]["isuser"] = 1
    with pytest.raises(o.OktellFormatError, match="isuser"):
        o.read_abonent_info(json.dumps(bad).encode())
    bad = json.loads(json.dumps(SPEC_CHAIN))
    bad["trace"][0]["queuepriority"] = True
    with pytest.raises(o.OktellFormatError, match="queuepriority"):
        o.read_chain_content(json.dumps(bad).encode())
    bad["trace"][0] = {"contentelementtype": "mystery"}
    with pytest.raises(o.OktellFormatError, match="mystery"):
        o.read_chain_content(json.dumps(bad).encode())
    with pytest.raises(o.OktellFormatError):
        o.read_chain_content(b"{not json")


def test_unknown_json_fields_survive_and_no_commutation_omits_abonentinfo() -> None:
    data = json.loads(json.dumps(SPEC_ABONENT))
    data["abonentinfo"]["newfield"] = [1, 2]
    assert o.read_abonent_info(json.dumps(data).encode()).to_json() == data
    idle = o.AbonentInfoReply(None, "lsFree", 1)
    assert "abonentinfo" not in idle.to_json()
    assert o.read_abonent_info(o.dump_json(idle)) == idle


def test_script_reply_writes_the_value_in_name_and_reads_value_too() -> None:
    body = o.write_script_reply(o.ScriptReply(True, 0, "42"))
    assert body.startswith(codecs.BOM_UTF16_LE)
    text = body.decode("utf-16")
    assert text.startswith('<?xml version="1.0" encoding="utf-16"?>')
    assert '<property_simple key="returnvalue" name="42" />' in text
    alternative = text.replace('key="returnvalue" name="42"', 'key="returnvalue" value="7"')
    assert o.read_script_reply(utf16(alternative)).returnvalue == "7"
    no_result = o.write_script_reply(o.ScriptReply(True, 0, None)).decode("utf-16")
    assert '<property_simple key="returnvalue" />' in no_result
    assert o.read_script_reply(utf16(no_result)).returnvalue is None


def test_utf8_alternative_is_accepted_and_group_is_utf8() -> None:
    alternative = SPEC_SCRIPT.replace("utf-16", "utf-8").encode()
    assert o.read_script_reply(alternative).returnvalue == "abcdef"
    group = o.write_ready_users(o.ReadyUsers("120", 1, 0, ("223",)))
    assert group.startswith(b'<?xml version="1.0" encoding="utf-8"?>')


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (SPEC_SCRIPT.encode(), "utf-16"),  # declares utf-16, UTF-8 bytes
        (utf16(SPEC_SCRIPT.replace("utf-16", "utf-8")), "UTF-16 bytes"),
        (SPEC_SCRIPT.encode("utf-16-le"), "byte-order mark"),
        (utf16(SPEC_SCRIPT)[:-40], "well-formed"),  # truncated
        (b"", "empty"),
        (b'<?xml version="1.0" encoding="koi8-r"?><group/>', "koi8-r"),
        (b'<?xml version="1.0" encoding="utf-8"?><group name="\xff"/>', "not valid utf-8"),
        (b"<?xml version=1.0?><group/>", "declaration"),
    ],
)
def test_malformed_replies_are_refused_clearly(body: bytes, message: str) -> None:
    with pytest.raises(o.OktellFormatError, match=f"(?i){message}"):
        o.read_script_reply(body)


@pytest.mark.parametrize(
    "document",
    [
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<group name="&lol2;" ready="1" busy="0"/>',
        '<!DOCTYPE group SYSTEM "file:///etc/passwd"><group name="x" ready="1" busy="0"/>',
        '<!DOCTYPE group [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<group name="&x;" ready="1" busy="0"/>',
    ],
)
def test_dtds_and_entities_are_refused_before_expansion(document: str) -> None:
    with pytest.raises(o.OktellFormatError, match="refused XML"):
        o.read_ready_users(f'<?xml version="1.0" encoding="utf-8"?>{document}'.encode())


def test_size_limit_and_count_mismatch() -> None:
    with pytest.raises(o.OktellFormatError, match="over"):
        o.decode_xml(b"<a/>" * 100, max_bytes=10)
    wrong = SPEC_UPLOAD.replace('count="3"', 'count="2"')
    with pytest.raises(o.OktellFormatError, match="count=2"):
        o.read_upload_result(utf16(wrong))


def test_dates() -> None:
    assert o.parse_date("05.03.2031") == date(2031, 3, 5)
    assert o.format_date(date(2031, 3, 5)) == "05.03.2031"
    assert o.format_datetime(datetime(2011, 7, 27, 4, 1, 2)) == "2011-07-27 04:01:02"
    for bad in ("5.3.2031", "31.02.2031", "2031-03-05"):
        with pytest.raises(o.OktellFormatError):
            o.parse_date(bad)
    with pytest.raises(o.OktellFormatError):
        o.parse_datetime("2011-07-27T14:41:28")


xml_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=20,
)
optional_text = st.none() | xml_text
properties = st.builds(o.PropertySimple, xml_text, optional_text, optional_text)
property_sets = st.builds(
    o.PropertySet, xml_text, st.lists(properties, max_size=4).map(tuple), optional_text
)
mappers = st.builds(
    o.OktellXmlMapper,
    st.lists(
        st.builds(o.MapperData, xml_text, st.lists(property_sets, max_size=3).map(tuple)),
        max_size=3,
    ).map(tuple),
)


@settings(max_examples=40)
@given(mappers, st.sampled_from(["utf-16", "utf-8"]))
def test_mapper_round_trip(document: o.OktellXmlMapper, encoding: o.XmlEncoding) -> None:
    assert o.read_mapper(o.write_mapper(document, encoding)) == document


@given(st.builds(o.ScriptReply, st.booleans(), st.integers(-(10**6), 10**6), optional_text))
def test_script_reply_round_trip(reply: o.ScriptReply) -> None:
    assert o.read_script_reply(o.write_script_reply(reply)) == reply


@settings(max_examples=40)
@given(
    st.builds(
        o.UploadResult,
        st.lists(
            st.builds(
                o.UploadedFile,
                xml_text,
                st.booleans(),
                st.none() | st.integers(0, 2**40),
                optional_text,
            ),
            max_size=5,
        ).map(tuple),
    ),
    st.builds(
        o.ReadyUsers,
        xml_text,
        st.integers(0, 999),
        st.integers(0, 999),
        st.lists(xml_text, max_size=4).map(tuple),
    ),
)
def test_upload_and_group_round_trip(result: o.UploadResult, group: o.ReadyUsers) -> None:
    assert o.read_upload_result(o.write_upload_result(result)) == result
    assert o.read_ready_users(o.write_ready_users(group)) == group


@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_escape_as_other_errors(body: bytes) -> None:
    with contextlib.suppress(o.OktellFormatError):
        o.read_mapper(body)


@given(st.integers(0, len(SPEC_SCRIPT.rstrip()) - 1))
def test_every_truncation_is_refused(cut: int) -> None:
    with pytest.raises(o.OktellFormatError):
        o.read_script_reply(utf16(SPEC_SCRIPT[:cut]))
