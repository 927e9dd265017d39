"""Appendix-A commands that are project designs (ruling 12): channels,
configuration, logs, speech synthesis and files. Each case turns
unsupported when the server answers ERR_BADSYNTAX for the word. Changes are
undone: SETCONFIG writes a key's current value back, SETCHANINFO renames a
channel and restores it in a finally block. Uploaded files cannot be
deleted through the protocol; they carry the run prefix."""

from __future__ import annotations

import datetime as dt

from nabat.conformance.framework.context import CaseContext
from nabat.conformance.server.binding import ServerEnv
from nabat.conformance.server.checks import expect_error, expect_listing, expect_ok, gate, unused_id
from nabat.conformance.server.suite import SUITE

CHUNK = 2048


@SUITE.case("SRV-GETCHANNELS-LISTING", "SRV-GETCHANINFO-OK", "SRV-ERR-GETCHANINFO",
            "SRV-SETCHANINFO-OK", needs={"channels"})
def channels(ctx: CaseContext, env: ServerEnv) -> None:
    """GETCHANNELS, GETCHANINFO of the first channel and of an unknown one, SETCHANINFO
    of an unknown one, and a SETCHANINFO rename that is undone."""
    listing = env.admin.request("GETCHANNELS")
    gate(ctx, listing, "GETCHANNELS")
    expect_listing(ctx, "SRV-GETCHANNELS-LISTING", listing, "GETCHANNELS", row_len=5)
    missing = unused_id(listing)
    reply = env.admin.request("GETCHANINFO", missing)
    gate(ctx, reply, "GETCHANINFO")
    expect_error(ctx, "SRV-ERR-GETCHANINFO", reply, "ERR_GETCHANINFO",
                 f"GETCHANINFO {missing} (unknown)")
    reply = env.admin.request("SETCHANINFO", missing, env.name("channel"), "0", "")
    gate(ctx, reply, "SETCHANINFO")
    expect_error(ctx, "SRV-ERR-GETCHANINFO", reply, "ERR_GETCHANINFO",
                 f"SETCHANINFO {missing} (unknown)")
    if not listing.rows:
        ctx.note("the server has no channels: GETCHANINFO/SETCHANINFO of one not exercised")
        return
    num = listing.rows[0][0] if listing.rows[0] else "1"
    info = env.admin.request("GETCHANINFO", num)
    if not expect_ok(ctx, "SRV-GETCHANINFO-OK", info, f"GETCHANINFO {num}", count=6):
        return  # nothing to rename and restore
    ctx.check("SRV-GETCHANINFO-OK", info.args[:3] == listing.rows[0][:3],
              f"GETCHANINFO must agree with GETCHANNELS, got {info.args!r}")
    _, ctype, name, enabled, _, settings = info.args
    new_name = env.name("channel")
    try:
        reply = env.admin.request("SETCHANINFO", num, new_name, enabled, settings)
        gate(ctx, reply, "SETCHANINFO")
        expect_ok(ctx, "SRV-SETCHANINFO-OK", reply, f"SETCHANINFO {num}", count=6)
        ctx.check("SRV-SETCHANINFO-OK", reply.args[:3] == (num, ctype, new_name)
                  and reply.args[5:6] == (settings,),
                  f"SETCHANINFO OK must show the new name, got {reply.args!r}")
    finally:
        restored = env.admin.request("SETCHANINFO", num, name, enabled, settings)
        if not restored.ok:
            ctx.note(f"could not restore channel {num}'s name {name!r}: {restored.describe()}")


@SUITE.case("SRV-GETCONFIG-LISTING", "SRV-SETCONFIG-OK", "SRV-ERR-SETCONFIG", needs={"config"})
def configuration(ctx: CaseContext, env: ServerEnv) -> None:
    """GETCONFIG; SETCONFIG of the first key that accepts its own current value (nothing
    changes); SETCONFIG of an unknown key."""
    listing = env.admin.request("GETCONFIG")
    gate(ctx, listing, "GETCONFIG")
    expect_listing(ctx, "SRV-GETCONFIG-LISTING", listing, "GETCONFIG", row_len=2)
    refused: list[str] = []
    pairs = [row for row in listing.rows if len(row) == 2]
    for key, value in pairs:
        reply = env.admin.request("SETCONFIG", key, value)
        gate(ctx, reply, "SETCONFIG")
        if reply.code == "ERR_SETCONFIG":  # a start-up setting, say: try the next key
            refused.append(key)
            continue
        expect_ok(ctx, "SRV-SETCONFIG-OK", reply, f"SETCONFIG {key} <its current value>", count=2)
        ctx.check("SRV-SETCONFIG-OK", reply.args == (key, value),
                  f"SETCONFIG OK must echo {key} {value!r}, got {reply.args!r}")
        break
    else:
        ctx.check("SRV-SETCONFIG-OK", not pairs,
                  f"SETCONFIG refused every listed key set to its own value: {refused}")
    if refused:
        ctx.note(f"SETCONFIG refused (start-up settings?): {', '.join(refused)}")
    unknown = env.prefix.replace("-", "_") + ".no_such_key"
    reply = env.admin.request("SETCONFIG", unknown, "1")
    gate(ctx, reply, "SETCONFIG")
    expect_error(ctx, "SRV-ERR-SETCONFIG", reply, "ERR_SETCONFIG", f"SETCONFIG {unknown}")


@SUITE.case("SRV-GETLOG-LISTING", "SRV-ERR-NOLOGFILE", needs={"log"})
def server_log(ctx: CaseContext, env: ServerEnv) -> None:
    """GETLOG of today is a listing (or ERR_NOLOGFILE); of 1999-01-01 ERR_NOLOGFILE."""
    today = env.admin.request("GETLOG", dt.date.today().isoformat())
    gate(ctx, today, "GETLOG")
    if today.code:
        expect_error(ctx, "SRV-GETLOG-LISTING", today, "ERR_NOLOGFILE", "GETLOG of today")
    else:
        expect_listing(ctx, "SRV-GETLOG-LISTING", today, "GETLOG of today", row_len=1)
    expect_error(ctx, "SRV-ERR-NOLOGFILE", env.admin.request("GETLOG", "1999-01-01"),
                 "ERR_NOLOGFILE", "GETLOG 1999-01-01")


@SUITE.case("SRV-GETTTS-LISTING", "SRV-TTS-FILE", "SRV-ERR-GETTTS", needs={"tts"})
def speech_synthesis(ctx: CaseContext, env: ServerEnv) -> None:
    """GETTTS lists voices (or ERR_GETTTS); TTS with a listed voice returns WAV data;
    TTS with an unknown voice answers ERR_GETTTS."""
    voices = env.admin.request("GETTTS")
    gate(ctx, voices, "GETTTS")
    if voices.code:
        expect_error(ctx, "SRV-GETTTS-LISTING", voices, "ERR_GETTTS", "GETTTS")
    else:
        expect_listing(ctx, "SRV-GETTTS-LISTING", voices, "GETTTS", row_len=3)
    reply = env.admin.request("TTS", env.name("voice"), "проверка")
    gate(ctx, reply, "TTS")
    expect_error(ctx, "SRV-ERR-GETTTS", reply, "ERR_GETTTS", "TTS with an unknown voice")
    if not voices.rows:
        ctx.note("no synthesis voices: TTS of a real voice not exercised")
        return
    voice = voices.rows[0][0] if voices.rows[0] else ""
    audio = env.admin.request("TTS", voice, "Проверка связи")
    if audio.code == "ERR_GETTTS":
        ctx.note(f"TTS with voice {voice!r} refused (licence without dynamic synthesis?)")
        return
    expect_listing(ctx, "SRV-TTS-FILE", audio, f"TTS {voice}", begin_params=1)
    data = audio.file_data() or b""
    ctx.check("SRV-TTS-FILE", audio.args == ("WAV",) and data[:4] == b"RIFF",
              f"TTS must answer BEGIN WAV and RIFF/WAVE data, got BEGIN {audio.args!r}, "
              f"data {data[:12]!r}")


@SUITE.case("SRV-SENDRAWFILE-OK", "SRV-GETRAWFILE-FILE", "SRV-ERR-NOFILE", needs={"files"})
def raw_files(ctx: CaseContext, env: ServerEnv) -> None:
    """Upload a 5000-byte file in 2048-byte DATA lines, download it back, and ask for a
    file that does not exist."""
    missing = env.name("missing") + ".wav"
    reply = env.admin.request("GETRAWFILE", missing)
    gate(ctx, reply, "GETRAWFILE")
    expect_error(ctx, "SRV-ERR-NOFILE", reply, "ERR_NOFILE", f"GETRAWFILE {missing}")
    name = env.name("file") + ".wav"
    payload = bytes(range(256)) * 19 + b"\x00" * 136
    lines = [["BEGIN", name, str(len(payload))]]
    lines += [["DATA", payload[i:i + CHUNK].hex().upper()] for i in range(0, len(payload), CHUNK)]
    lines.append(["END"])
    reply = env.admin.request_multiline("SENDRAWFILE", lines)
    gate(ctx, reply, "SENDRAWFILE")
    expect_ok(ctx, "SRV-SENDRAWFILE-OK", reply, f"SENDRAWFILE {name}", count=2)
    ctx.check("SRV-SENDRAWFILE-OK", reply.args == (name, str(len(payload))),
              f"SENDRAWFILE OK must echo {name} {len(payload)}, got {reply.args!r}")
    ctx.note(f"file {name} stays on the server (the protocol has no command to delete it)")
    back = env.admin.request("GETRAWFILE", name)
    expect_listing(ctx, "SRV-GETRAWFILE-FILE", back, f"GETRAWFILE {name}", begin_params=None)
    ctx.check("SRV-GETRAWFILE-FILE", back.args == (name, str(len(payload))),
              f"GETRAWFILE BEGIN must carry {name} {len(payload)}, got {back.args!r}")
    ctx.check("SRV-GETRAWFILE-FILE", back.file_data() == payload,
              f"GETRAWFILE must return the {len(payload)} bytes uploaded")


PATH_NAMES = ("../nabat.db", "..", "a/b.wav", "..\\x.wav", "/etc/passwd")


@SUITE.case("SRV-FILENAME-PLAIN", needs={"files"})
def file_names(ctx: CaseContext, env: ServerEnv) -> None:
    """GETRAWFILE of a name with a path (../, /, \\, ..) is refused with ERR_BADSYNTAX or
    ERR_NOFILE: the server never serves a file outside its store."""
    plain = env.admin.request("GETRAWFILE", env.name("missing") + ".wav")
    gate(ctx, plain, "GETRAWFILE")  # asked with a plain name: ERR_BADSYNTAX means no command
    for name in PATH_NAMES:
        reply = env.admin.request("GETRAWFILE", name)
        expect_error(ctx, "SRV-FILENAME-PLAIN", reply, ("ERR_BADSYNTAX", "ERR_NOFILE"),
                     f"GETRAWFILE {name}")
