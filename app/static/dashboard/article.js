/* frontwire article view: the article text with every extracted span highlighted.
 *
 * API calls (see README "Dashboard"):
 *   GET /v1/articles/{id}                        the text every offset points into
 *   GET /v1/events?article_id={id}&include_background=true&limit=500
 *                                                its events: mentions (every sentence that
 *                                                reports each one), place, actors
 *   GET /v1/figures?article_id={id}&limit=500    its figures: the figure's own words (start/end)
 * Offsets are character offsets into article.text, so text.slice(start, end) is the span.
 */
"use strict";

(() => {
  const view = document.getElementById("article-view");
  const articleId = decodeURIComponent(window.location.pathname.split("/").filter(Boolean).pop());

  /** Figures as non-overlapping marks; a figure sharing another's exact span joins its mark. */
  function figureMarks(figures) {
    const marks = [];
    const sorted = [...figures].sort((a, b) => a.start - b.start || b.end - a.end);
    for (const figure of sorted) {
      const last = marks[marks.length - 1];
      if (last && last.start === figure.start && last.end === figure.end) last.ids.push(figure.id);
      else if (!last || figure.start >= last.end) marks.push({ start: figure.start, end: figure.end, ids: [figure.id] });
    }
    return marks;
  }

  /** Every sentence that reports the event (the excerpt is one of them). */
  function mentionsOf(event) {
    return event.mentions && event.mentions.length ? event.mentions : [event.excerpt];
  }

  /** Cut the text at every span boundary; each piece knows its events and its figure mark. */
  function segments(text, events, marks) {
    const inside = (offset) => marks.some((m) => offset > m.start && offset < m.end);
    const cuts = new Set([0, text.length]);
    for (const m of marks) { cuts.add(m.start); cuts.add(m.end); }
    for (const e of events) {
      for (const m of mentionsOf(e)) {
        for (const offset of [m.start, m.end]) if (!inside(offset)) cuts.add(offset);
      }
    }
    const sorted = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((a, b) => a - b);
    const pieces = [];
    for (let i = 0; i + 1 < sorted.length; i += 1) {
      const [start, end] = [sorted[i], sorted[i + 1]];
      if (start === end) continue;
      pieces.push({
        start, end,
        events: events.filter((e) => mentionsOf(e).some((m) => m.start <= start && m.end >= end))
          .map((e) => e.id),
        mark: marks.find((m) => m.start <= start && m.end >= end) || null,
      });
    }
    return pieces;
  }

  function renderPiece(text, piece) {
    let node = document.createTextNode(text.slice(piece.start, piece.end));
    if (piece.mark) {
      node = fw.el("mark", { class: "fig", "data-figure-ids": piece.mark.ids.join(" "),
        id: `figure-${piece.mark.ids[0]}` }, node);
    }
    if (piece.events.length) {
      node = fw.el("span", { class: "ex", "data-events": piece.events.join(" ") }, node);
    }
    return node;
  }

  function renderText(article, events, figures) {
    const target = document.getElementById("article-text");
    const pieces = segments(article.text, events, figureMarks(figures));
    target.replaceChildren(...pieces.map((piece) => renderPiece(article.text, piece)));
    for (const event of events) {  // anchor #event-ID on the first piece of its excerpt
      const first = target.querySelector(`.ex[data-events~="${event.id}"]`);
      if (first && !first.id) first.id = `event-${event.id}`;
    }
  }

  function activate(eventId, on) {
    for (const node of document.querySelectorAll(`.ex[data-events~="${eventId}"]`)) {
      node.classList.toggle("active", on);
    }
  }

  /** The event's sentences, grouped under it; a click scrolls the text to that sentence. */
  function mentionList(event, text) {
    const mentions = mentionsOf(event);
    return fw.el("details", { class: "mentions" },
      fw.el("summary", {}, `${mentions.length} sentence${mentions.length === 1 ? "" : "s"} report it`),
      fw.el("ol", {}, mentions.map((m) => fw.el("li", {
        class: m.start === event.excerpt.start ? "main" : "", "data-start": m.start },
      text.slice(m.start, m.end)))));
  }

  function eventItem(event, figuresById, text) {
    const figures = event.figures.map((f) => figuresById.get(f.id) || f);
    const deaths = event.fatalities === null ? null : `${event.fatalities} killed`;
    const item = fw.el("li", { "data-event-id": event.id, class: event.background ? "background" : "" },
      fw.el("strong", {}, `#${event.id} ${event.type.replaceAll("_", " ")}`),
      event.background ? fw.el("span", { class: "badge background" }, "background") : null,
      fw.el("div", { class: "meta" }, [fw.dateLabel(event.date), event.place ? event.place.name : "no place",
        fw.actorPair(event), deaths].filter(Boolean).join(" · ")),
      mentionList(event, text),
      figures.length ? fw.el("ul", { class: "figs" }, figures.map((f) => fw.el("li", {},
        `${fw.figureLabel(f)} ${f.counts}`, f.scope && f.scope !== "event" ? ` (${f.scope})` : "",
        f.hedge ? ` — hedge “${f.hedge}”` : "",
        f.claimant ? ` — per ${f.claimant}` : ""))) : null);
    item.addEventListener("mouseenter", () => activate(event.id, true));
    item.addEventListener("mouseleave", () => activate(event.id, false));
    item.addEventListener("click", () => {
      const anchor = document.getElementById(`event-${event.id}`);
      if (anchor) anchor.scrollIntoView({ block: "center", behavior: "smooth" });
    });
    return item;
  }

  /** " · source" linking to the article's URL; only http(s) URLs become links (stored
   *  data is not trusted: older rows were not checked), anything else is shown as text. */
  function sourceLink(url) {
    if (!url) return "";
    const href = fw.webUrl(url);
    if (!href) return fw.el("span", { class: "source", title: url }, " · source: not a web link");
    return fw.el("span", { class: "source" }, " · ",
      fw.el("a", { href, rel: "noreferrer noopener", class: "source-link" }, "source"));
  }

  function renderMeta(article, events, figures) {
    document.title = `${article.title || `Article ${article.id}`} — frontwire`;
    document.getElementById("article-title").textContent = article.title || `Article ${article.id}`;
    const meta = [article.publisher, article.author, article.published, article.language,
      `${events.length} events, ${figures.length} figures`].filter(Boolean).join(" · ");
    document.getElementById("article-meta").replaceChildren(meta, sourceLink(article.url));
    document.getElementById("event-count").textContent = `${events.length}`;
  }

  /** #figure-ID or #event-ID (the dashboard's links): outline that span and scroll to it. */
  function focusHash() {
    const match = /^#(figure|event)-(\d+)$/.exec(window.location.hash);
    if (!match) return;
    const selector = match[1] === "figure" ? `mark.fig[data-figure-ids~="${match[2]}"]`
      : `.ex[data-events~="${match[2]}"]`;
    const target = document.querySelector(`#article-text ${selector}`);
    if (!target) return;
    target.classList.add("focus");
    target.scrollIntoView({ block: "center" });
  }

  async function start() {
    try {
      const [article, events, figures] = await Promise.all([
        fw.api(`/v1/articles/${encodeURIComponent(articleId)}`),
        fw.pages("/v1/events", { article_id: articleId, include_background: "true" }),
        fw.pages("/v1/figures", { article_id: articleId }),
      ]);
      const figuresById = new Map(figures.items.map((f) => [f.id, f]));
      renderMeta(article, events.items, figures.items);
      renderText(article, events.items, figures.items);
      document.getElementById("event-list").replaceChildren(
        ...events.items.map((e) => eventItem(e, figuresById, article.text)));
      focusHash();
      view.dataset.state = "ready";
    } catch (error) {
      view.dataset.state = "error";
      fw.fail(document.getElementById("article-text"), error);
    }
  }

  start();
})();
