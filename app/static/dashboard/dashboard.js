/* frontwire dashboard: map, timeline, claims ledger and events, all from the public v1 API.
 *
 * API calls (see README "Dashboard"):
 *   GET /v1/meta                          event types (taxonomy) and the `counts` vocabulary
 *   GET /v1/stats/country?limit=500       countries with events, for the country filter
 *   GET /v1/stats/actor?limit=500         actors with events, for the actor filter
 *   GET /v1/events?<filters>&limit=500    every matching event (follows next_cursor)
 *   GET /v1/stats/timeline?interval=...   dated events per day/week/month
 *   GET /v1/claims?<filters>&min_claims=1 every figure, grouped into the claims ledger
 * Map outlines come from the vendored world-atlas TopoJSON (/static/vendor/world-atlas/).
 */
"use strict";

(() => {
  const FILTERS = ["date_from", "date_to", "country", "actor", "type", "counts", "include_background"];
  const COARSE = new Set(["country", "admin1"]); // ACLED geo_precision 3: drawn as dashed rings
  const MAX_TABLE_ROWS = 1000;
  const CHAR_PX = 6.2; // width of one tick-label character at 10px
  const TIMELINE_MAX_SLOTS = 400; // beyond this many buckets, bars are drawn side by side
  const SVG = "http://www.w3.org/2000/svg";
  const ANTARCTICA = "010"; // ISO 3166 numeric; it circles the pole and only wastes space
  const main = document.getElementById("dashboard");
  const form = document.getElementById("filters");
  const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
  let generation = 0; // only the latest refresh may write to the page
  let map = null;
  let markers = null;

  /* ---------- filters ---------- */

  function currentFilters() {
    const filters = {};
    for (const name of FILTERS) {
      const value = form.elements[name].value.trim();
      if (value) filters[name] = value;
    }
    return filters;
  }

  function countryName(code) {
    try { return regionNames.of(code) || code; } catch (_) { return code; }
  }

  function fillSelect(select, options) {
    for (const [value, label] of options) select.append(fw.el("option", { value }, label));
  }

  /** Select ``value`` in ``select``, adding it when the option list does not have it. */
  function choose(select, value) {
    if (![...select.options].some((o) => o.value === value)) {
      select.append(fw.el("option", { value }, value));
    }
    select.value = value;
  }

  async function loadFilterOptions() {
    const [meta, countries, actors] = await Promise.all([
      fw.api("/v1/meta"),
      fw.api("/v1/stats/country", { limit: 500 }),
      fw.api("/v1/stats/actor", { limit: 500 }),
    ]);
    fillSelect(form.elements.country, countries.map((c) => [c.key, `${countryName(c.key)} (${c.events})`]));
    fillSelect(form.elements.actor, actors.map((a) => [a.key, `${a.key} (${a.events})`]));
    fillSelect(form.elements.type, meta.taxonomy.map((t) => [t.type, t.type.replaceAll("_", " ")]));
    fillSelect(form.elements.counts, Object.keys(meta.vocabularies.counts).map((c) => [c, c.replaceAll("_", " ")]));
  }

  function filtersFromLocation() {
    const query = new URLSearchParams(window.location.search);
    for (const name of [...FILTERS, "interval"]) {
      const value = query.get(name);
      if (!value) continue;
      const field = form.elements[name];
      if (field.tagName === "SELECT") choose(field, value); else field.value = value;
    }
  }

  /* ---------- map ---------- */

  async function setUpMap() {
    map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 10 }).setView([30, 20], 2);
    map.attributionControl.setPrefix("Leaflet");
    const world = await fw.api("/static/vendor/world-atlas/countries-110m.json");
    const countries = topojson.feature(world, world.objects.countries);
    countries.features = countries.features.filter((f) => f.id !== ANTARCTICA);
    countries.features.forEach((f) => unwrapRings(f.geometry));
    L.geoJSON(countries, {
      interactive: false,
      attribution: "Natural Earth (world-atlas)",
      style: { className: "country", color: "#7d8a96", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1 },
    }).addTo(map);
    markers = L.layerGroup().addTo(map);
  }

  /** Keep rings continuous across the antimeridian (Russia, Fiji): no stripes across the map. */
  function unwrapRings(geometry) {
    const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    for (const polygon of polygons) {
      for (const ring of polygon) {
        for (let i = 1; i < ring.length; i += 1) {
          const jump = ring[i][0] - ring[i - 1][0];
          if (Math.abs(jump) > 180) ring[i][0] -= 360 * Math.round(jump / 360);
        }
      }
    }
  }

  /** Events grouped by place id: one circle per place, sized by its number of events. */
  function byPlace(events) {
    const places = new Map();
    for (const event of events) {
      const place = event.place;
      if (!place || place.lat === null || place.lon === null) continue;
      if (!places.has(place.id)) places.set(place.id, { place, events: [] });
      places.get(place.id).events.push(event);
    }
    return [...places.values()];
  }

  function popup({ place, events }) {
    const where = [place.name, place.admin1, place.country && countryName(place.country)]
      .filter(Boolean).join(", ");
    const list = fw.el("ul", {}, events.slice(0, 12).map((e) => fw.el("li", {},
      fw.el("a", { href: fw.articleHref(e.article_id, `event-${e.id}`) }, `#${e.id} ${e.type}`),
      ` · ${fw.dateLabel(e.date)}`)));
    const more = events.length > 12 ? fw.el("p", {}, `and ${events.length - 12} more`) : null;
    return fw.el("div", { class: "popup" }, fw.el("strong", {}, where),
      fw.el("p", {}, `${events.length} event${events.length === 1 ? "" : "s"} (${place.kind})`), list, more);
  }

  /** A town or point is a filled circle; an event placed only at region or country level
   *  (ACLED geo_precision 3) is a wide dashed ring: it happened somewhere in that area. */
  function markerStyle(place, count) {
    const radius = 5 + 3 * Math.sqrt(count);
    if (COARSE.has(place.kind)) {
      return { radius: radius + 8, className: "event-marker coarse", color: "#5b3f99", weight: 2,
        dashArray: "5 4", fillColor: "#8e7cc3", fillOpacity: 0.12 };
    }
    return { radius, className: "event-marker point", color: "#8b1e1e", weight: 1.5,
      fillColor: "#d7301f", fillOpacity: 0.6 };
  }

  function drawMarkers(events) {
    markers.clearLayers();
    const groups = byPlace(events);
    const bounds = [];
    for (const group of groups) {
      const { place } = group;
      const marker = L.circleMarker([place.lat, place.lon], markerStyle(place, group.events.length))
        .bindPopup(popup(group)).addTo(markers);
      const path = marker.getElement();
      path.setAttribute("data-place-id", place.id);
      path.setAttribute("data-events", group.events.length);
      path.setAttribute("data-precision", COARSE.has(place.kind) ? "area" : "point");
      bounds.push([place.lat, place.lon]);
    }
    if (bounds.length) map.fitBounds(L.latLngBounds(bounds).pad(0.6), { maxZoom: 4 });
    return groups;
  }

  /* ---------- timeline ---------- */

  /** Position of bucket ``key`` (YYYY-MM-DD) counted in ``interval`` steps from ``first``. */
  function slot(first, key, interval) {
    const a = new Date(`${first}T00:00:00Z`);
    const b = new Date(`${key}T00:00:00Z`);
    if (interval === "month") {
      return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
    }
    const days = Math.round((b - a) / 86400000);
    return interval === "week" ? Math.round(days / 7) : days;
  }

  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
    node.append(...children);
    return node;
  }

  /** Where each bucket goes: its own slot counted from the first bucket when the span is
   *  short enough, else side by side with a half-slot break wherever periods are missing.
   *  Returns the positions, the slot count and the gaps [from, to) in slot units. */
  function layout(buckets, interval) {
    const slots = buckets.map((b) => slot(buckets[0].key, b.key, interval));
    const gaps = [];
    if (slots[slots.length - 1] < TIMELINE_MAX_SLOTS) {
      for (let i = 1; i < slots.length; i += 1) {
        if (slots[i] - slots[i - 1] > 1) gaps.push([slots[i - 1] + 1, slots[i], slots[i] - slots[i - 1] - 1]);
      }
      return { positions: slots, total: slots[slots.length - 1] + 1, gaps };
    }
    const positions = [0];
    for (let i = 1; i < slots.length; i += 1) {
      const missing = slots[i] - slots[i - 1] - 1;
      const at = positions[i - 1] + 1 + (missing > 0 ? 0.5 : 0);
      if (missing > 0) gaps.push([positions[i - 1] + 1, at, missing]);
      positions.push(at);
    }
    return { positions, total: positions[positions.length - 1] + 1, gaps };
  }

  function drawTimeline(buckets, interval) {
    const target = document.getElementById("timeline");
    const width = Math.max(280, target.clientWidth || 600);
    const height = width < 500 ? 240 : 400;
    const pad = { left: 34, right: 10, top: 12, bottom: 34 };
    const chart = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`, class: "timeline" });
    if (!buckets.length) {
      chart.append(svg("text", { x: width / 2, y: height / 2, "text-anchor": "middle", class: "empty" },
        "no dated events for these filters"));
      target.replaceChildren(chart);
      return;
    }
    const { positions, total, gaps } = layout(buckets, interval);
    const step = (width - pad.left - pad.right) / total;
    const top = Math.max(...buckets.map((b) => b.events));
    const plot = height - pad.top - pad.bottom;
    const base = height - pad.bottom;
    let labelsEnd = -Infinity;
    chart.append(svg("line", { x1: pad.left, x2: width - pad.right, y1: base, y2: base, class: "axis" }));
    for (const [from, to, missing] of gaps) {  // periods with no dated event: a hatched strip
      chart.append(svg("rect", { x: pad.left + from * step, y: base - 4, width: Math.max(2, (to - from) * step),
        height: 4, class: "gap", "data-missing": missing },
      svg("title", {}, `${missing} ${interval}${missing === 1 ? "" : "s"} with no dated event`)));
    }
    chart.append(svg("text", { x: pad.left - 4, y: pad.top + 8, "text-anchor": "end", class: "tick" }, String(top)));
    buckets.forEach((bucket, index) => {
      const barHeight = Math.max(2, (bucket.events / top) * plot);
      const barWidth = Math.min(48, Math.max(1, step * 0.8)); // few buckets: no slabs
      const x = pad.left + positions[index] * step + (step - barWidth) / 2;
      const rect = svg("rect", { x, y: base - barHeight, width: barWidth,
        height: barHeight, class: "bar", "data-key": bucket.key, "data-events": bucket.events },
      svg("title", {}, `${bucket.key}: ${bucket.events} event(s), ${bucket.figures} figure(s)`));
      chart.append(rect);
      const label = interval === "month" ? bucket.key.slice(0, 7) : bucket.key;
      const left = Math.min(x, width - pad.right - label.length * CHAR_PX);
      if (left >= labelsEnd + 8) {  // label a bar only where its text has room
        chart.append(svg("text", { x: left, y: base + 14, class: "tick" }, label));
        labelsEnd = left + label.length * CHAR_PX;
      }
    });
    target.replaceChildren(chart);
  }

  /* ---------- tables ---------- */

  function drawClaims(groups) {
    const body = document.querySelector("#claims tbody");
    const rows = [];
    for (const group of groups) {
      const about = group.place ? group.place.name : group.event_id ? `event #${group.event_id}` : group.country || "";
      const range = group.min_value === group.max_value ? fw.number(group.min_value)
        : `${fw.number(group.min_value)}–${fw.number(group.max_value)}`;
      rows.push(fw.el("tr", { class: `claim-group${group.contested ? " contested" : ""}` },
        fw.el("th", { colspan: 5 }, `${group.counts.replaceAll("_", " ")} · ${about}`,
          fw.el("span", { class: "range" }, ` ${range} ${group.measure}`),
          group.contested ? fw.el("span", { class: "badge" }, "contested") : null)));
      for (const claim of group.claims) {
        rows.push(fw.el("tr", { class: "claim", "data-claim-id": claim.id },
          fw.el("td", { class: "claimant" }, claim.claimant || fw.el("em", {}, "unattributed")),
          fw.el("td", { class: "figure" }, fw.figureLabel(claim)),
          fw.el("td", { class: "hedge" }, claim.hedge || "—"),
          fw.el("td", { class: "excerpt" }, fw.highlighted(claim.excerpt, claim.start, claim.end,
            { class: "figure-words" })),
          fw.el("td", {}, fw.el("a", { class: "article-link",
            href: fw.articleHref(claim.article_id, `figure-${claim.id}`) }, "article"))));
      }
    }
    if (!rows.length) rows.push(fw.el("tr", {}, fw.el("td", { colspan: 5 }, "No figures for these filters.")));
    body.replaceChildren(...rows);
  }

  function drawEvents(events, truncated) {
    const shown = events.slice(0, MAX_TABLE_ROWS);
    const body = document.querySelector("#events tbody");
    body.replaceChildren(...shown.map((e) => fw.el("tr", { class: "event", "data-event-id": e.id },
      fw.el("td", {}, String(e.id)),
      fw.el("td", {}, fw.dateLabel(e.date)),
      fw.el("td", {}, e.type.replaceAll("_", " ")),
      fw.el("td", { class: e.place && COARSE.has(e.place.kind) ? "place coarse" : "place" },
        e.place ? e.place.name : "—"),
      fw.el("td", {}, fw.actorPair(e)),
      fw.el("td", { class: "fatalities" }, e.fatalities === null ? "—" : String(e.fatalities)),
      fw.el("td", { class: "mentions" }, String(e.mentions.length)),
      fw.el("td", { class: "excerpt" }, e.excerpt.text, e.background
        ? fw.el("span", { class: "badge background" }, "background") : null),
      fw.el("td", {}, fw.el("a", { class: "article-link", href: fw.articleHref(e.article_id, `event-${e.id}`) },
        "article")))));
    const more = events.length > shown.length || truncated;
    document.getElementById("events-note").textContent = more
      ? `first ${shown.length} of the matching events` : `${events.length} matching`;
  }

  /* ---------- refresh ---------- */

  async function refreshTimeline(filters, mine) {
    const interval = form.elements.interval.value;
    const buckets = await fw.api("/v1/stats/timeline", { ...filters, interval });
    if (mine === generation) drawTimeline(buckets, interval);
    return buckets;
  }

  async function refresh() {
    const mine = ++generation;
    const filters = currentFilters();
    const query = fw.url("", filters).replace(/^\?/, "");
    main.dataset.state = "loading";
    history.replaceState(null, "", fw.url("/dashboard", { ...filters, interval: form.elements.interval.value }));
    try {
      const [events, buckets, claims] = await Promise.all([
        fw.pages("/v1/events", filters),
        refreshTimeline(filters, mine),
        fw.pages("/v1/claims", { ...filters, min_claims: 1 }, 10),
      ]);
      if (mine !== generation) return;
      const places = drawMarkers(events.items);
      drawEvents(events.items, events.truncated);
      drawClaims(claims.items);
      const placed = places.reduce((n, p) => n + p.events.length, 0);
      const dated = buckets.reduce((n, b) => n + b.events, 0);
      const figures = claims.items.reduce((n, g) => n + g.claims.length, 0);
      const mentions = events.items.reduce((n, e) => n + e.mentions.length, 0);
      document.getElementById("summary").textContent =
        `${events.items.length} events (reported in ${mentions} sentences): ` +
        `${placed} on the map at ${places.length} places, ` +
        `${dated} dated on the timeline · ${figures} figures in ${claims.items.length} claim groups`;
      main.dataset.query = query;
      main.dataset.interval = form.elements.interval.value;
      main.dataset.state = "ready";
    } catch (error) {
      if (mine !== generation) return;
      main.dataset.state = "error";
      fw.fail(document.getElementById("summary"), error);
    }
  }

  function resetFilters() {
    for (const name of FILTERS) form.elements[name].value = "";
    refresh();
  }

  async function start() {
    form.addEventListener("submit", (event) => { event.preventDefault(); refresh(); });
    document.getElementById("f-reset").addEventListener("click", (event) => {
      event.preventDefault();
      resetFilters();
    });
    form.elements.interval.addEventListener("change", () => refresh());
    try {
      await Promise.all([loadFilterOptions(), setUpMap()]);
    } catch (error) {
      main.dataset.state = "error";
      fw.fail(document.getElementById("summary"), error);
      return;
    }
    filtersFromLocation();
    await refresh();
  }

  start();
})();
