/* frontwire dashboard: helpers shared by the dashboard and the article view.
 *
 * Everything here talks to the public v1 API with fetch() on the same origin, and builds DOM
 * nodes with createElement/textContent (never innerHTML): article text and claims are
 * untrusted input, so nothing from the API is ever parsed as HTML.
 */
"use strict";

const fw = (() => {
  const MAX_PAGE = 500; // the API's largest JSON page

  /** "/v1/events" + {country: "UA", actor: ["a", "b"]} -> "/v1/events?country=UA&actor=a&actor=b" */
  function url(path, params) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params || {})) {
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) {
        if (v !== undefined && v !== null && v !== "") query.append(name, String(v));
      }
    }
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  }

  /** GET a JSON document; a non-2xx answer throws with the API's error detail. */
  async function api(path, params) {
    const response = await fetch(url(path, params), { headers: { Accept: "application/json" } });
    if (!response.ok) {
      let detail = response.statusText;
      try { detail = JSON.stringify((await response.json()).detail); } catch (_) { /* keep text */ }
      throw new Error(`${response.status} from ${path}: ${detail}`);
    }
    return response.json();
  }

  /** Every item of a paged list, following next_cursor, at most maxPages pages of 500. */
  async function pages(path, params, maxPages = 20) {
    const items = [];
    let cursor = null;
    let truncated = false;
    for (let page = 0; ; page += 1) {
      if (page >= maxPages) { truncated = true; break; }
      const body = await api(path, { ...params, limit: MAX_PAGE, cursor });
      items.push(...body.items);
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    return { items, truncated };
  }

  const WEB_PROTOCOLS = new Set(["http:", "https:"]);

  /** ``value`` when it is an absolute http(s) URL, else null: a stored article URL is data,
   *  and a javascript: or data: URL in an href would run when clicked. */
  function webUrl(value) {
    try {
      return WEB_PROTOCOLS.has(new URL(String(value)).protocol) ? String(value) : null;
    } catch (_) {
      return null; // not an absolute URL at all
    }
  }

  /** True when an href (relative ones resolved against this page) leads to http(s). */
  function safeHref(value) {
    try {
      return WEB_PROTOCOLS.has(new URL(String(value), document.baseURI).protocol);
    } catch (_) {
      return false;
    }
  }

  /** A DOM element: el("a", {href: "/x", class: "y"}, "text", otherNode).
   *  Attribute values are set as text, never parsed; an href that does not lead to
   *  http(s) is left out, so no data can turn a link into a script. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "href" && !safeHref(value)) continue;
      if (/^on/i.test(name)) throw new Error(`el(): event handler attribute ${name}`);
      if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function number(value) {
    if (value === null || value === undefined) return "";
    return Number(value).toLocaleString("en-US", { maximumFractionDigits: 2 });
  }

  /** A figure as a reader says it: "500 sq_mile", "2,000–9,000 person", "≤ 300 person". */
  function figureLabel(f) {
    let amount;
    if (f.value !== null && f.value !== undefined) amount = number(f.value);
    else if (f.low !== null && f.high !== null) amount = `${number(f.low)}–${number(f.high)}`;
    else if (f.low !== null) amount = `≥ ${number(f.low)}`;
    else if (f.high !== null) amount = `≤ ${number(f.high)}`;
    else amount = "?";
    return `${amount} ${(f.unit || "").replaceAll("_", " ")}`.trim();
  }

  /** excerpt.text with [start, end) (absolute offsets into the article) wrapped in <mark>. */
  function highlighted(excerpt, start, end, markAttrs) {
    const from = start - excerpt.start;
    const to = end - excerpt.start;
    const text = excerpt.text;
    if (from < 0 || to > text.length || from >= to) return [text];
    return [text.slice(0, from), el("mark", markAttrs, text.slice(from, to)), text.slice(to)];
  }

  function dateLabel(date) {
    if (!date || !date.start) return date && date.text ? `undated ("${date.text}")` : "undated";
    if (date.precision === "reported") return `reported by ${date.end}`;
    return date.end && date.end !== date.start ? `${date.start} – ${date.end}` : date.start;
  }

  /** "JNIM → civilians": who acted on whom; the other actors when neither is known. */
  function actorPair(event) {
    if (!event.actor1 && !event.actor2) return event.actors.map((a) => a.name).join(", ");
    return `${event.actor1 ? event.actor1.name : "?"} → ${event.actor2 ? event.actor2.name : "—"}`;
  }

  function articleHref(articleId, anchor) {
    return `/dashboard/article/${encodeURIComponent(articleId)}${anchor ? `#${anchor}` : ""}`;
  }

  /** Show a failure where the reader looks, and in the console for developers. */
  function fail(target, error) {
    console.error(error);
    target.replaceChildren(el("p", { class: "error" }, `Could not load: ${error.message}`));
  }

  return { url, api, pages, el, webUrl, number, figureLabel, highlighted, dateLabel, actorPair,
    articleHref, fail };
})();
