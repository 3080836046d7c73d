// The web view: reads the REST API like any client and redraws when /api/v1/events says
// something changed. The token (if the API wants one) comes from ?token= once, is kept in
// sessionStorage and sent as an Authorization header on every request, the event stream
// included: the stream is read with fetch(), since EventSource cannot send headers.
"use strict";

const API = "/api/v1";
const TOKEN_KEY = "switchboard.token";
const SVG_NS = "http://www.w3.org/2000/svg";
const WIDTH = 1000, HEIGHT = 640;

// the page's state, readable by scripts and tests as window.switchboard
const model = {
  switches: [], links: [], hosts: [], hostsAvailable: true,
  lastEventId: null, eventsSeen: 0, lastEventType: null, streaming: false, refreshes: 0,
};
window.switchboard = model;
const positions = new Map();

(function takeTokenFromUrl() {
  const params = new URLSearchParams(location.search);
  const token = params.get("token");
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    params.delete("token");
    const rest = params.toString();
    history.replaceState(null, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
  }
})();

function headers(extra) {
  const h = Object.assign({ Accept: "application/json" }, extra || {});
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) h.Authorization = "Bearer " + token;
  return h;
}

async function api(path) {
  const res = await fetch(API + path, { headers: headers(), cache: "no-store" });
  if (res.status === 401) showAuth();
  if (!res.ok) {
    let message = res.statusText;
    try { message = (await res.json()).error || message; } catch (e) { /* not JSON */ }
    const error = new Error(path + ": " + message);
    error.status = res.status;
    throw error;
  }
  return res.json();
}

/** An app that does not run answers 409: shown as empty, not as an error. */
function unlessNotRunning(promise, fallback) {
  return promise.catch(e => (e.status === 409 ? fallback : Promise.reject(e)));
}

function showAuth() {
  document.getElementById("auth").hidden = false;
}

document.getElementById("auth-form").addEventListener("submit", ev => {
  ev.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, document.getElementById("auth-token").value.trim());
  document.getElementById("auth").hidden = true;
  refresh();
});

function setStatus(text, live) {
  const status = document.getElementById("status");
  status.textContent = text;
  status.classList.toggle("live", !!live);
}

// ---- refresh: re-read the state, at most one request set in flight ----

let refreshTimer = null;
let refreshGeneration = 0;

function scheduleRefresh() {
  if (refreshTimer === null) {
    refreshTimer = setTimeout(() => { refreshTimer = null; refresh(); }, 150);
  }
}

async function refresh() {
  const generation = ++refreshGeneration;
  try {
    const [switches, links, hosts] = await Promise.all([
      api("/switches"), unlessNotRunning(api("/links"), []), unlessNotRunning(api("/hosts"), null)]);
    if (generation !== refreshGeneration) return; // a newer read is on its way
    model.switches = switches;
    model.links = links;
    model.hosts = hosts || [];
    model.hostsAvailable = hosts !== null;
    model.refreshes++;
    render();
  } catch (e) {
    setStatus("error: " + e.message);
  }
}

// ---- the event stream (Server-Sent Events read with fetch) ----

function sleep(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

async function streamEvents() {
  for (;;) {
    try {
      const h = headers({ Accept: "text/event-stream" });
      if (model.lastEventId !== null) h["Last-Event-ID"] = model.lastEventId;
      const res = await fetch(API + "/events", { headers: h, cache: "no-store" });
      if (res.status === 401) {
        showAuth();
      } else if (res.ok) {
        model.streaming = true;
        setStatus("live", true);
        scheduleRefresh(); // what changed before the stream opened
        await readFrames(res.body.getReader());
      }
    } catch (e) {
      console.warn("events:", e);
    }
    model.streaming = false;
    setStatus("reconnecting…");
    await sleep(2000);
  }
}

async function readFrames(reader) {
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      onFrame(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  }
}

function onFrame(frame) {
  let id = null, type = "message", data = "";
  for (const line of frame.split("\n")) {
    if (line.startsWith(":")) continue; // keep-alive comment
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "id") id = value;
    else if (field === "event") type = value;
    else if (field === "data") data += (data ? "\n" : "") + value;
  }
  if (id !== null) model.lastEventId = id;
  if (!data) return;
  model.eventsSeen++;
  model.lastEventType = type;
  // every event type (reset included) means: re-read the state
  scheduleRefresh();
  if (currentSwitch() !== null) scheduleSwitchRefresh();
}

// ---- drawing ----

function shortName(dpid) {
  try {
    return "s" + BigInt("0x" + dpid.replace(/:/g, "")).toString(10);
  } catch (e) {
    return dpid;
  }
}

function linkKey(link) {
  const a = link.src.dpid + "/" + link.src.port, b = link.dst.dpid + "/" + link.dst.port;
  return a < b ? a + "|" + b : b + "|" + a;
}

/** The links as drawn: one per pair of ports, whichever direction(s) were discovered. */
function undirectedLinks(links) {
  const byKey = new Map();
  for (const link of links) byKey.set(linkKey(link), link);
  return [...byKey.entries()].map(([key, link]) => ({ key, a: link.src.dpid, b: link.dst.dpid }));
}
model.drawnLinks = () => undirectedLinks(model.links).map(l => l.key).sort();

function svgElement(name, attrs, parent) {
  const element = document.createElementNS(SVG_NS, name);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, value);
  parent.appendChild(element);
  return element;
}

function render() {
  renderTopology();
  if (location.hash === "#/hosts") renderHosts();
}

function renderTopology() {
  const dpids = new Set(model.switches.map(s => s.dpid));
  const links = undirectedLinks(model.links).filter(l => dpids.has(l.a) && dpids.has(l.b));
  const hosts = model.hosts.filter(h => dpids.has(h.location.dpid));
  const nodes = model.switches.map(s => ({ id: "s:" + s.dpid }))
    .concat(hosts.map(h => ({ id: "h:" + h.mac + "/" + h.vlan })));
  const edges = links.map(l => ({ source: "s:" + l.a, target: "s:" + l.b }))
    .concat(hosts.map(h => ({ source: "h:" + h.mac + "/" + h.vlan, target: "s:" + h.location.dpid, weight: 2 })));
  const layout = forceLayout(nodes, edges, positions, WIDTH, HEIGHT);
  positions.clear();
  layout.forEach((p, id) => positions.set(id, p));

  const linkLayer = document.getElementById("links");
  const hostLinkLayer = document.getElementById("host-links");
  const nodeLayer = document.getElementById("nodes");
  linkLayer.replaceChildren();
  hostLinkLayer.replaceChildren();
  nodeLayer.replaceChildren();
  for (const link of links) {
    const a = layout.get("s:" + link.a), b = layout.get("s:" + link.b);
    const line = svgElement("line", { class: "link", "data-link": link.key, x1: a.x, y1: a.y, x2: b.x, y2: b.y }, linkLayer);
    svgElement("title", {}, line).textContent = link.key.replace("|", " ↔ ");
  }
  for (const host of hosts) {
    const p = layout.get("h:" + host.mac + "/" + host.vlan), s = layout.get("s:" + host.location.dpid);
    svgElement("line", { class: "host-link", x1: p.x, y1: p.y, x2: s.x, y2: s.y }, hostLinkLayer);
    const g = svgElement("g", { class: "host", "data-mac": host.mac, transform: `translate(${p.x},${p.y})` }, nodeLayer);
    svgElement("rect", { x: -7, y: -7, width: 14, height: 14, rx: 2 }, g);
    svgElement("text", { x: 10, y: 4 }, g).textContent = host.ipv4.length ? host.ipv4.join(", ") : host.mac;
    svgElement("title", {}, g).textContent = host.mac + " at " + shortName(host.location.dpid) + " port " + host.location.port;
  }
  for (const sw of model.switches) {
    const p = layout.get("s:" + sw.dpid);
    const g = svgElement("g", { class: "switch", "data-dpid": sw.dpid, transform: `translate(${p.x},${p.y})` }, nodeLayer);
    svgElement("circle", { r: 16 }, g);
    svgElement("text", { x: 0, y: 32, "text-anchor": "middle" }, g).textContent = shortName(sw.dpid);
    svgElement("title", {}, g).textContent = sw.dpid + " (OpenFlow " + sw.version + ")";
    g.addEventListener("click", () => { location.hash = "#/switch/" + sw.dpid; });
  }
  document.getElementById("topology-summary").textContent =
    `${model.switches.length} switches, ${links.length} links, ${hosts.length} hosts`
    + (model.hostsAvailable ? "" : " (the hosts app is not running)");
}

function cell(row, text, numeric) {
  const td = document.createElement("td");
  td.textContent = text;
  if (numeric) td.className = "num";
  row.appendChild(td);
  return td;
}

function renderHosts() {
  document.getElementById("hosts-notice").hidden = model.hostsAvailable;
  document.getElementById("hosts-notice").textContent = "The hosts app is not running.";
  const body = document.querySelector("#hosts-table tbody");
  body.replaceChildren();
  for (const host of model.hosts) {
    const row = document.createElement("tr");
    row.dataset.mac = host.mac;
    cell(row, host.mac);
    cell(row, host.vlan, true);
    cell(row, host.ipv4.join(", "));
    cell(row, host.ipv6.join(", "));
    const sw = cell(row, "");
    const a = document.createElement("a");
    a.href = "#/switch/" + host.location.dpid;
    a.textContent = shortName(host.location.dpid);
    sw.appendChild(a);
    cell(row, host.location.port, true);
    cell(row, host.lastSeen);
    body.appendChild(row);
  }
}

// ---- the switch page ----

let switchTimer = null;

function currentSwitch() {
  return location.hash.startsWith("#/switch/") ? decodeURIComponent(location.hash.slice("#/switch/".length)) : null;
}

function scheduleSwitchRefresh() {
  if (switchTimer === null) {
    switchTimer = setTimeout(() => { switchTimer = null; renderSwitch(); }, 300);
  }
}

async function renderSwitch() {
  const dpid = currentSwitch();
  if (dpid === null) return;
  document.getElementById("switch-title").textContent = "Switch " + shortName(dpid) + " (" + dpid + ")";
  try {
    const [sw, ports, flows] = await Promise.all([
      api("/switches/" + dpid), api("/switches/" + dpid + "/ports"), api("/switches/" + dpid + "/flows")]);
    if (currentSwitch() !== dpid) return;
    document.getElementById("switch-summary").textContent =
      `OpenFlow ${sw.version}, from ${sw.remoteAddress || "?"}, connected since ${sw.connectedSince || "?"}; `
      + `${sw.description.manufacturer} ${sw.description.software}`;
    const portBody = document.querySelector("#ports-table tbody");
    portBody.replaceChildren();
    for (const entry of ports) {
      const p = entry.port, c = entry.counters || {};
      const row = document.createElement("tr");
      row.dataset.port = p.number;
      [p.number, p.name, p.hwAddress, p.up ? "up" : "down", p.state.join(" "),
        c.rxPackets, c.txPackets, c.rxBytes, c.txBytes].forEach((v, i) => cell(row, v === undefined ? "" : v, i === 0 || i > 4));
      portBody.appendChild(row);
    }
    const flowBody = document.querySelector("#flows-table tbody");
    flowBody.replaceChildren();
    for (const f of flows) {
      const row = document.createElement("tr");
      const match = Object.entries(f.match).map(([k, v]) => k + "=" + v).join(", ") || "*";
      [f.tableId, f.priority, match, f.actions.join(", ") || "drop", f.cookie, f.packetCount, f.byteCount]
        .forEach((v, i) => cell(row, v, i === 0 || i === 1 || i > 4));
      flowBody.appendChild(row);
    }
  } catch (e) {
    document.getElementById("switch-summary").textContent = e.status === 404 ? "Not connected." : e.message;
  }
}

// ---- routing ----

function route() {
  const hash = location.hash || "#/";
  const view = hash.startsWith("#/switch/") ? "switch" : hash === "#/hosts" ? "hosts" : "topology";
  for (const name of ["topology", "hosts", "switch"]) {
    document.getElementById("view-" + name).hidden = name !== view;
  }
  document.getElementById("nav-topology").classList.toggle("active", view === "topology");
  document.getElementById("nav-hosts").classList.toggle("active", view === "hosts");
  if (view === "hosts") renderHosts();
  if (view === "switch") renderSwitch();
}

window.addEventListener("hashchange", route);
route();
refresh();
streamEvents();
