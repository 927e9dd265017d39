"""upload (multipart/form-data with several files, one of them named to escape the folder;
application/octet-stream) and download/byscript of what was uploaded."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import quote

import httpx
from nabat.conformance.framework.context import CaseContext
from nabat.conformance.oktell.binding import OktellEnv
from nabat.conformance.oktell.checks import XML_UTF16, xml_reply
from nabat.conformance.oktell.suite import SUITE

BOUNDARY = "nabat-oktell-7f3a"
FIRST, SECOND, ESCAPE = "nabat-conf-1.txt", "nabat-conf-2.bin", "../nabat-conf-escape.txt"
FIRST_DATA = "проверка загрузки\r\n".encode()
SECOND_DATA = bytes(range(256)) * 3
RESULT = ("OKT-UP-RESULT", "OKT-UP-FOLDER", *XML_UTF16)


def multipart(files: list[tuple[str, bytes]]) -> tuple[bytes, str]:
    chunks = []
    for index, (name, data) in enumerate(files):
        chunks.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file{index}"; '
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n'
            "Content-Transfer-Encoding: binary\r\n\r\n".encode()
            + data
            + b"\r\n"
        )
    chunks.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={BOUNDARY}"


def _folder(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[0]


def check_result(
    ctx: CaseContext, response: httpx.Response, sent: list[tuple[str, bytes]], what: str
) -> dict[str, ET.Element]:
    """The uploadfilesresult for ``sent`` (names that leave the folder may be refused)."""
    ctx.check(
        "OKT-UP-RESULT",
        response.status_code == 200,
        f"{what}: expected 200, got {response.status_code} {response.content[:100]!r}",
    )
    root = xml_reply(ctx, response, "utf-16", what).root
    files = [f for f in root if f.tag == "file"]
    ctx.check(
        "OKT-UP-RESULT",
        root.tag == "uploadfilesresult"
        and root.get("count") == str(len(sent))
        and len(files) == len(sent),
        f"{what}: <{root.tag} count={root.get('count')!r}> with {len(files)} files, "
        f'expected <uploadfilesresult count="{len(sent)}"> and {len(sent)} files',
    )
    found = {f.get("name", ""): f for f in files}
    folders: set[str] = set()
    escapes: list[ET.Element] = []
    for name, data in sent:
        item = found.get(name)
        ctx.check(
            "OKT-UP-RESULT",
            item is not None and item.get("saved") in ("0", "1"),
            f"{what}: no <file name={name!r} saved=0|1> in {sorted(found)}",
        )
        assert item is not None
        if "/" in name:
            escapes.append(item)
            continue
        path = item.get("path") or ""
        ctx.check(
            "OKT-UP-RESULT",
            item.get("saved") == "1" and item.get("size") == str(len(data)) and bool(path),
            f"{what}: {name}: saved={item.get('saved')!r} size={item.get('size')!r} "
            f'path={path!r}, expected saved="1" size="{len(data)}" and a path',
        )
        ctx.check(
            "OKT-UP-FOLDER",
            path.replace("\\", "/").endswith("/" + name),
            f"{what}: path {path!r} is not the folder plus {name!r}",
        )
        folders.add(_folder(path))
    ctx.check(
        "OKT-UP-FOLDER",
        len(folders) <= 1,
        f"{what}: files saved in several folders {sorted(folders)}",
    )
    for item in escapes:
        path = item.get("path") or ""
        ctx.check(
            "OKT-UP-FOLDER",
            item.get("saved") == "0" or (".." not in path and _folder(path) in folders),
            f"{what}: {item.get('name')!r} saved at {path!r}, outside the upload folder "
            f"{sorted(folders)}",
        )
    return found


@SUITE.case("OKT-UP-MULTIPART", *RESULT, needs={"state"})
def upload_multipart(ctx: CaseContext, env: OktellEnv) -> None:
    """Three files in one multipart/form-data request: two saved with their sizes and paths in
    one folder, the one named ../... not saved outside it."""
    sent = [(FIRST, FIRST_DATA), (SECOND, SECOND_DATA), (ESCAPE, b"escape")]
    body, content_type = multipart(sent)
    response = env.pbx.upload(body, {"Content-Type": content_type})
    found = check_result(ctx, response, sent, "upload multipart")
    ctx.check(
        "OKT-UP-MULTIPART",
        all(found[n].get("saved") == "1" for n in (FIRST, SECOND)),
        "the two files of the request were saved",
    )


@SUITE.case("OKT-UP-OCTET", *RESULT, needs={"state"})
def upload_octet_stream(ctx: CaseContext, env: OktellEnv) -> None:
    """One file as application/octet-stream named by Content-Disposition: saved."""
    headers = {
        "Content-Type": "application/octet-stream",
        "Content-Disposition": f'attachment; filename="{FIRST}"',
        "Content-Transfer-Encoding": "binary",
    }
    response = env.pbx.upload(FIRST_DATA, headers)
    found = check_result(ctx, response, [(FIRST, FIRST_DATA)], "upload octet-stream")
    ctx.check("OKT-UP-OCTET", found[FIRST].get("saved") == "1", "the file was saved")


@SUITE.case("OKT-DL-BYSCRIPT", needs={"state", "scripts"})
def download_by_script(ctx: CaseContext, env: OktellEnv) -> None:
    """Upload a file, then download/byscript with the echo script returning its path: the
    same bytes come back."""
    body, content_type = multipart([(SECOND, SECOND_DATA)])
    uploaded = env.pbx.upload(body, {"Content-Type": content_type}).content
    text = (
        uploaded.decode("utf-16", "replace")
        if uploaded[:2] == b"\xff\xfe"
        else uploaded.decode("utf-8", "replace")
    )
    try:
        path = next(f.get("path") for f in ET.fromstring(text.split("?>", 1)[-1]).iter("file"))
    except (ET.ParseError, StopIteration):
        path = None
    if not path:
        ctx.unsupported("the upload gave no path to download")
    echo = env.settings.echo_script or ""
    response = env.pbx.get(
        "download/byscript",
        [("name", echo), ("startparam1", path), ("async", "0"), ("timeout", "10")],
    )
    ctx.check(
        "OKT-DL-BYSCRIPT",
        response.status_code == 200 and response.content == SECOND_DATA,
        f"download/byscript?name={echo}&startparam1={quote(path)}: expected 200 and the "
        f"{len(SECOND_DATA)} uploaded bytes, got {response.status_code} with "
        f"{len(response.content)} bytes",
    )
