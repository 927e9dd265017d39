// The Nabat console page: live state over server-sent events, journals, faults, events.
// The token comes from the page's URL and goes in the X-Nabat-Token header of every call;
// the event stream is read with fetch (EventSource cannot send a header). No build step.

const TOKEN = new URLSearchParams(location.search).get("token") || "";
const HEADERS = { "X-Nabat-Token": TOKEN };
const $ = (selector) => document.querySelector(selector);

function say(text, isError = false) {
  const message = $("#message");
  message.textContent = text;
  message.className = isError ? "error" : "";
}

// Tables are updated in place: a row is kept by its key and a cell is written only when
// its text changed. Rebuilding them on every update (several a second while a task runs)
// moved a button between the mouse's press and release, and the click was lost.
function setCell(row, index, value, className) {
  const td = row.cells[index] || row.insertCell();
  const text = value === undefined || value === null ? "" : String(value);
  if (td.textContent !== text) td.textContent = text;
  if (className && td.className !== className) td.className = className;
  return td;
}

function syncRows(body, items, keyOf, fill) {
  const kept = new Map([...body.rows].map((row) => [row.dataset.key, row]));
  const rows = (items || []).map((item) => {
    const key = String(keyOf(item));
    let row = kept.get(key);
    if (!row) {
      row = document.createElement("tr");
      row.dataset.key = key;
    }
    fill(row, item);
    return row;
  });
  const same = rows.length === body.rows.length && rows.every((row, i) => body.rows[i] === row);
  if (!same) body.replaceChildren(...rows);
}

function fillList(selector, pairs) {
  const list = $(selector);
  list.replaceChildren();
  for (const [name, value] of pairs) {
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    dd.textContent = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value ?? "");
    dd.dataset.field = name;
    list.append(dt, dd);
  }
}

function fillRecent(selector, entries) {
  const list = $(selector);
  list.replaceChildren();
  for (const entry of entries || []) {
    const item = document.createElement("li");
    item.textContent = JSON.stringify(entry);
    list.append(item);
  }
}

function showError(selector, part) {
  if (part && part.error) {
    say(`${selector}: ${part.error}`, true);
    return true;
  }
  return false;
}

function renderServer(server) {
  if (showError("server", server)) return;
  syncRows($("#tasks tbody"), server.tasks, (task) => task.id, (row, task) => {
    row.dataset.taskId = task.id;
    setCell(row, 0, task.id);
    setCell(row, 1, task.name);
    setCell(row, 2, task.type);
    setCell(row, 3, task.status, `status status-${task.status}`);
    setCell(row, 4, task.processed, "processed");
    setCell(row, 5, task.total, "total");
    setCell(row, 6, task.confirmed, "confirmed");
    setCell(row, 7, task.failed, "failed");
  });
  syncRows($("#channels tbody"), server.channels, (channel) => channel.num, (row, channel) => {
    row.dataset.channel = channel.num;
    setCell(row, 0, channel.num);
    setCell(row, 1, channel.type);
    setCell(row, 2, channel.name);
    setCell(row, 3, channel.enabled ? "yes" : "no");
    setCell(row, 4, channel.state, "state");
  });
}

function toggleButton(action, modem, label, pressed) {
  const button = document.createElement("button");
  button.className = "toggle";
  button.dataset.action = action;
  button.dataset.modem = modem;
  button.textContent = label;
  button.setAttribute("aria-pressed", String(pressed));
  return button;
}

function renderGsm(gsm) {
  if (showError("gsm", gsm)) return;
  syncRows($("#gsm tbody"), gsm.modems, (modem) => modem.index, (row, modem) => {
    row.dataset.modem = modem.index;
    setCell(row, 0, modem.index);
    setCell(row, 1, modem.number);
    setCell(row, 2, modem.sim_busy ? "busy" : modem.sim);
    setCell(row, 3, modem.registration, "registration");
    setCell(row, 4, modem.rssi);
    setCell(row, 5, (modem.calls || []).map((c) => `${c.number ?? ""} ${c.state ?? JSON.stringify(c)}`).join("; "));
    const faults = Object.entries(modem.faults || {}).filter(([, v]) => v && v !== "home" && v !== "READY");
    setCell(row, 6, faults.map(([k, v]) => (v === true ? k : `${k}=${v}`)).join(", "));
    const offline = !["home", "roaming"].includes(modem.registration);
    const toggles = row.cells[7] || row.insertCell();
    if (toggles.children.length === 0) {
      toggles.append(
        toggleButton("gsm.no_network", modem.index, "no network", offline),
        toggleButton("gsm.sim_busy", modem.index, "SIM busy", Boolean(modem.sim_busy)),
      );
    }
    const [network, sim] = toggles.children;
    network.setAttribute("aria-pressed", String(offline));
    sim.setAttribute("aria-pressed", String(Boolean(modem.sim_busy)));
  });
}

function press(action, pressed) {
  const button = document.querySelector(`button.toggle[data-action="${action}"]`);
  if (button) button.setAttribute("aria-pressed", String(pressed));
}

function render(snapshot) {
  $("#live").textContent = `live · update ${snapshot.seq}`;
  $("#live").classList.remove("down");
  const sims = snapshot.simulators || {};
  renderServer(snapshot.server || {});
  renderGsm(sims.gsm || {});
  const ats = sims.ats || {};
  if (!showError("ats", ats)) {
    const primary = ((ats.servers || {}).primary || {}).listening;
    press("ats.primary_down", primary === false);
    fillList("#ats", [["registrations", ats.registrations], ["checks", ats.checks],
      ["servers", ats.servers]]);
    fillRecent("#ats-recent", ats.recent);
  }
  const mfms = sims.mfms || {};
  if (!showError("mfms", mfms)) {
    press("mfms.http_500", mfms.faults > 0);
    fillList("#mfms", [["messages", mfms.messages], ["by status (in flight: enqueued, sent)", mfms.statuses]]);
  }
  const ftp = sims.ftp || {};
  if (!showError("ftp", ftp)) {
    fillList("#ftp", [["messages", ftp.messages], ["polls", ftp.polls], ["open uploads", ftp.open_uploads]]);
  }
  const oktell = sims.oktell || {};
  if (!showError("oktell", oktell)) {
    fillList("#oktell", [["active calls", oktell.active_calls], ["lines", oktell.lines]]);
    fillRecent("#oktell-calls", oktell.calls);
  }
  const smtp = sims.smtp || {};
  if (!showError("smtp", smtp)) {
    press("smtp.rcpt_4xx", smtp.faults > 0);
    fillList("#smtp", [["messages", smtp.messages], ["bounces", smtp.bounces], ["connections", smtp.connections]]);
  }
  const world = sims.world || {};
  if (!showError("world", world)) {
    fillList("#world", [["seed", world.seed], ["overrides", world.overrides], ["scripted events", world.events]]);
    $("#world-rules").textContent = JSON.stringify(world.rules, null, 1);
  }
}

async function call(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { ...HEADERS, ...(options.headers || {}) } });
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || `HTTP ${response.status}`);
  return body;
}

async function act(body) {
  try {
    await call("/api/action", { method: "POST", body: JSON.stringify(body),
      headers: { "Content-Type": "application/json" } });
    say(`${body.action}: done`);
  } catch (error) {
    say(`${body.action}: ${error.message}`, true);
  }
}

async function stream() {
  // Reads text/event-stream with fetch; reconnects after a second when cut.
  for (;;) {
    try {
      const response = await fetch("/api/events", { headers: HEADERS });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
          if (data) render(JSON.parse(data));
        }
      }
    } catch (error) {
      $("#live").textContent = `disconnected: ${error.message}`;
    }
    $("#live").classList.add("down");
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function formFields(form) {
  return Object.fromEntries(new FormData(form).entries());
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button.toggle");
  if (!button) return;
  const on = button.getAttribute("aria-pressed") !== "true";
  const body = { action: button.dataset.action, on };
  if (button.dataset.modem !== undefined) body.modem = Number(button.dataset.modem);
  button.setAttribute("aria-pressed", String(on));
  act(body);
});

$("#mfms-latency-set").addEventListener("click", () =>
  act({ action: "mfms.latency", ms: Number($("#mfms-latency").value) }));

$("#call-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const f = formFields(event.target);
  act({ action: "event.call", from: f.from, modem: Number(f.modem), keys: f.keys });
});

$("#sms-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const f = formFields(event.target);
  act({ action: "event.sms", from: f.from, modem: Number(f.modem), text: f.text });
});

$("#journal-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const query = new URLSearchParams(formFields(event.target));
  for (const [key, value] of [...query.entries()]) if (value === "") query.delete(key);
  try {
    const body = await call(`/api/journal?${query}`);
    $("#journal").textContent = body.entries.map((e) => JSON.stringify(e)).join("\n") || "(no entries)";
  } catch (error) {
    $("#journal").textContent = `error: ${error.message}`;
  }
});

stream();
