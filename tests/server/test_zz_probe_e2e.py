import asyncio, json, time
from tests.server.test_engine_routes import add_task, SPEED, FAST, statuses_seen
from nabat.simulators.gsm_modem import Timing
from nabat.system.protocol import ChannelType
from nabat.system.server.channelconfig import ChannelSpec
from nabat.system.verification.settings import VerificationSettings

CALLER = "79100000009"

async def test_probe(start_server, gsm_simulator_factory, ats_simulator):
    sim = gsm_simulator_factory(modems=1, profile="simcom", timing=Timing.instant(), pty=False, in_process=True, speed=SPEED, ats_url=ats_simulator.url)
    channels = tuple(ChannelSpec(ctype=ChannelType.GSM, name=f"Модем {i}", settings=f"port={url};{FAST}") for i, url in enumerate(sim.urls))
    server = await start_server(channels=channels, clock_speed=SPEED, verification=VerificationSettings(primary_url=ats_simulator.url))
    admin = await server.client("admin")
    watcher = await server.client("viewer")
    await watcher.request("MONITORING", "1")
    tid = await add_task(admin, "2", numbers=["79100000001"], status="2", rkey="5", rpin="1234", addinfo="sms_wait=0")
    print(await admin.request("GETTASKINFO", tid))
    await asyncio.sleep(1.5)
    sim.world.incoming_call(CALLER, 0, "5 1 2 3 4 #")
    t0 = time.monotonic()
    await asyncio.sleep(3)
    for e in ats_simulator.control.journal(20): print(e)
    print(server.server.__class__, [ (s.name, s.own_number) for s in server.context.engine._channels.sources().values()] if hasattr(server.context.engine, "_channels") else "")
    print(server.context.store.progress.__class__)
    for e in sim.world.journal(100): print(e)
    rep = await admin.request("GETREPORT", tid, "HTML")
    print(rep.data().decode()[-3000:])

def test_x(ats_simulator): pass
