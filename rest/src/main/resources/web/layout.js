// A small force-directed layout (Fruchterman-Reingold): nodes repel, edges pull, the
// temperature caps each step and cools. Deterministic (no random start), and it starts from
// the previous positions so a graph that changes a little keeps its shape.
"use strict";

function forceLayout(nodes, edges, previous, width, height) {
  const n = nodes.length;
  const pos = new Map();
  if (n === 0) return pos;
  const cx = width / 2, cy = height / 2;
  const k = Math.sqrt((width * height) / n) * 0.6;
  nodes.forEach((node, i) => {
    const old = previous.get(node.id);
    if (old) {
      pos.set(node.id, { x: old.x, y: old.y });
    } else {
      const angle = (2 * Math.PI * i) / n;
      const r = Math.min(width, height) * 0.35;
      pos.set(node.id, { x: cx + r * Math.cos(angle), y: cy + r * Math.sin(angle) });
    }
  });
  const iterations = n > 300 ? 60 : 250;
  let temperature = Math.min(width, height) / 8;
  for (let it = 0; it < iterations; it++) {
    const disp = new Map(nodes.map(node => [node.id, { x: 0, y: 0 }]));
    for (let i = 0; i < n; i++) {
      const a = pos.get(nodes[i].id), da = disp.get(nodes[i].id);
      for (let j = i + 1; j < n; j++) {
        const b = pos.get(nodes[j].id), db = disp.get(nodes[j].id);
        let dx = a.x - b.x, dy = a.y - b.y;
        let d = Math.hypot(dx, dy);
        if (d < 0.01) { dx = 0.01 * (i - j); dy = 0.01; d = Math.hypot(dx, dy); }
        const force = (k * k) / d;
        da.x += (dx / d) * force; da.y += (dy / d) * force;
        db.x -= (dx / d) * force; db.y -= (dy / d) * force;
      }
    }
    for (const e of edges) {
      const a = pos.get(e.source), b = pos.get(e.target);
      if (!a || !b || a === b) continue;
      const dx = a.x - b.x, dy = a.y - b.y;
      const d = Math.max(Math.hypot(dx, dy), 0.01);
      const force = ((d * d) / k) * (e.weight || 1);
      const da = disp.get(e.source), db = disp.get(e.target);
      da.x -= (dx / d) * force; da.y -= (dy / d) * force;
      db.x += (dx / d) * force; db.y += (dy / d) * force;
    }
    for (const node of nodes) {
      const p = pos.get(node.id), d = disp.get(node.id);
      // a weak pull to the centre keeps unconnected parts on the canvas
      d.x += (cx - p.x) * 0.05 * k / 50; d.y += (cy - p.y) * 0.05 * k / 50;
      const len = Math.hypot(d.x, d.y);
      if (len > 0) {
        const step = Math.min(len, temperature);
        p.x += (d.x / len) * step; p.y += (d.y / len) * step;
      }
      p.x = Math.min(width - 40, Math.max(40, p.x));
      p.y = Math.min(height - 30, Math.max(30, p.y));
    }
    temperature = Math.max(temperature * 0.97, 1);
  }
  return pos;
}
