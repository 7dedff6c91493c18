/* papernotes explorer: a faceted filter over notes.json for the explore/ page.
 *
 * Our own small script: no library, nothing from other hosts. The page carries
 * <div id="pn-explorer" data-src="../notes.json" data-labels="{...}"> and a no-JavaScript list of
 * every note in #pn-all-notes, which is hidden once the explorer is drawn. The filters live in the
 * address bar (?tags=a,b&op=and&part=agents&chapter=5&status=draft&text=words), so a view can be
 * shared; loading such an address restores it. The words go in `text`, not `q`: Material's search
 * opens itself on any page loaded with `?q=`. The script starts from Material's `document$`
 * observable when there is one (it emits once per page load), else when the page is parsed.
 * As it runs on every page, it also gives Material's search dialog the accessible name it lacks, and
 * on a note page marks the note's place in the sidebar.
 */
(function () {
  "use strict";

  var FACETS = ["part", "chapter", "status"];
  var LEGENDS = { part: "Part", chapter: "Survey chapter", status: "Status" };
  var cache = {};

  /* --- state <-> address bar ------------------------------------------------------------------ */

  function emptyState() {
    return { tags: [], op: "and", part: "", chapter: "", status: "", text: "" };
  }

  function readState(search, known) {
    var params = new URLSearchParams(search);
    var state = emptyState();
    var tags = (params.get("tags") || "").split(",");
    state.tags = tags.filter(function (t, i) { return known.tags[t] && tags.indexOf(t) === i; });
    state.op = params.get("op") === "or" ? "or" : "and";
    FACETS.forEach(function (f) {
      var value = params.get(f) || "";
      state[f] = known[f][value] ? value : "";
    });
    state.text = (params.get("text") || "").trim();
    return state;
  }

  function writeState(state) {
    var params = new URLSearchParams();
    if (state.tags.length) {
      params.set("tags", state.tags.join(","));
      params.set("op", state.op);
    }
    FACETS.forEach(function (f) { if (state[f]) params.set(f, state[f]); });
    if (state.text) params.set("text", state.text);
    var query = params.toString().replace(/%2C/g, ",");
    var url = location.pathname + (query ? "?" + query : "") + location.hash;
    if (url === location.pathname + location.search + location.hash) return;
    try {
      history.replaceState(history.state, "", url);
    } catch (e) {
      /* Safari refuses more than 100 replaceState calls in 30 s; the view still works */
    }
  }

  /* --- matching --------------------------------------------------------------------------------- */

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(Boolean);
  }

  /* Does a note pass every filter, leaving out the facet named by `skip`? */
  function matches(note, state, skip) {
    if (skip !== "tags" && state.tags.length) {
      var has = function (t) { return note.tags.indexOf(t) >= 0; };
      if (state.op === "and" ? !state.tags.every(has) : !state.tags.some(has)) return false;
    }
    if (skip !== "part" && state.part && note.part !== state.part) return false;
    if (skip !== "chapter" && state.chapter && note.chapters.indexOf(state.chapter) < 0) return false;
    if (skip !== "status" && state.status && note.status !== state.status) return false;
    if (skip !== "text" && state.text) {
      var hay = note.haystack;
      if (!words(state.text).every(function (w) { return hay.indexOf(w) >= 0; })) return false;
    }
    return true;
  }

  /* How many notes an option would show: for AND tags, within the current results; for OR tags
   * and for the single-choice facets, within the results of every other facet. */
  function optionCount(notes, state, facet, value) {
    var skip = facet === "tags" && state.op === "and" ? null : facet;
    return notes.filter(function (n) {
      if (!matches(n, state, skip)) return false;
      if (facet === "tags") return n.tags.indexOf(value) >= 0;
      if (facet === "chapter") return value === "" || n.chapters.indexOf(value) >= 0;
      return value === "" || n[facet] === value;
    }).length;
  }

  /* --- drawing ---------------------------------------------------------------------------------- */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function choice(type, name, id, value, label) {
    var input = el("input", { type: type, name: name, id: id, value: value });
    var count = el("span", { "class": "pn-count" });
    var text = el("span", { text: label + " " }, [count]);
    var wrap = el("label", { "for": id, "class": "pn-choice" }, [input, text]);
    return { input: input, count: count, label: wrap };
  }

  function facetOptions(notes, labels, facet) {
    var seen = {};
    notes.forEach(function (n) {
      (facet === "chapter" ? n.chapters : [n[facet]]).forEach(function (v) { seen[v] = true; });
    });
    var named = (facet === "part" ? labels.parts : facet === "chapter" ? labels.chapters : []) || [];
    var options = named.filter(function (p) { return seen[p[0]]; }).map(function (p) {
      return [p[0], facet === "chapter" ? p[0] + " · " + p[1] : p[1]];
    });
    Object.keys(seen).sort().forEach(function (v) {
      if (!options.some(function (o) { return o[0] === v; })) options.push([v, v]);
    });
    return options;
  }

  function tagGroups(notes, labels) {
    var used = {};
    notes.forEach(function (n) { n.tags.forEach(function (t) { used[t] = true; }); });
    var groups = (labels.groups || []).map(function (g) {
      return [g[0], g[1].filter(function (t) { return used[t]; })];
    }).filter(function (g) { return g[1].length; });
    var listed = {};
    groups.forEach(function (g) { g[1].forEach(function (t) { listed[t] = true; }); });
    var rest = Object.keys(used).filter(function (t) { return !listed[t]; }).sort();
    if (rest.length) groups.push(["Other", rest]);
    return groups;
  }

  function buildForm(ui, notes, labels) {
    var form = el("form", { "class": "pn-filters", role: "search", "aria-label": "Filter notes" });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    ui.text = el("input", { type: "search", id: "pn-text", name: "text", autocomplete: "off", spellcheck: "false" });
    form.appendChild(el("div", { "class": "pn-field" }, [el("label", { "for": "pn-text", text: "Words in the title or summary" }), ui.text]));

    var tags = el("fieldset", { "class": "pn-facet pn-facet-tags" }, [el("legend", { text: "Tags" })]);
    var op = el("fieldset", { "class": "pn-op" }, [el("legend", { text: "Show notes with" })]);
    ui.op = {};
    [["and", "all the chosen tags (AND)"], ["or", "any chosen tag (OR)"]].forEach(function (o) {
      var c = choice("radio", "pn-op", "pn-op-" + o[0], o[0], o[1]);
      ui.op[o[0]] = c.input;
      op.appendChild(c.label);
    });
    tags.appendChild(op);
    var groupsBox = el("div", { "class": "pn-tag-groups" });
    ui.tags = {};
    tagGroups(notes, labels).forEach(function (g) {
      var box = el("fieldset", { "class": "pn-tag-group" }, [el("legend", { text: g[0] })]);
      g[1].forEach(function (t) {
        ui.tags[t] = choice("checkbox", "pn-tag", "pn-tag-" + t, t, t);
        box.appendChild(ui.tags[t].label);
      });
      groupsBox.appendChild(box);
    });
    tags.appendChild(groupsBox);
    /* The facets fold into one panel: open beside the results on a desk, closed above them on a
     * phone, so that the first result is on the first screen either way. */
    ui.panel = el("details", { "class": "pn-panel" }, [el("summary", { text: "Filter by tag, part, chapter and status" })]);
    if (window.matchMedia && window.matchMedia("(min-width: 60em)").matches) ui.panel.open = true;
    ui.panel.appendChild(tags);

    var row = el("div", { "class": "pn-facet-row" });
    FACETS.forEach(function (f) {
      var box = el("fieldset", { "class": "pn-facet pn-facet-" + f }, [el("legend", { text: LEGENDS[f] })]);
      ui[f] = {};
      [["", "Any"]].concat(facetOptions(notes, labels, f)).forEach(function (o) {
        ui[f][o[0]] = choice("radio", "pn-" + f, "pn-" + f + "-" + (o[0] || "any"), o[0], o[1]);
        box.appendChild(ui[f][o[0]].label);
      });
      row.appendChild(box);
    });
    ui.panel.appendChild(row);
    ui.clear = el("button", { type: "button", "class": "md-button pn-clear", text: "Clear filters" });
    form.appendChild(ui.clear);
    form.appendChild(ui.panel);
    return form;
  }

  /* A result's tag chips are buttons that add their tag to the filter. */
  function resultItem(note, state, prefix, partTitle, addTag) {
    var chips = el("span", { "class": "pn-result-tags" });
    note.tags.forEach(function (t) {
      var on = state.tags.indexOf(t) >= 0;
      var chip = el("button", { type: "button", "class": on ? "pn-chip pn-chip-on" : "pn-chip", "aria-pressed": on ? "true" : "false", title: "Show notes tagged " + t, text: t });
      chip.addEventListener("click", function () { addTag(t); });
      chips.appendChild(chip);
    });
    var sections = note.sections.map(function (s) { return "§" + s; }).join(", ");
    return el("li", { "class": "pn-result", "data-note-id": note.id }, [
      el("a", { "class": "pn-result-title", href: prefix + note.url, text: note.title }),
      el("p", { "class": "pn-result-summary", text: note.summary }),
      el("p", { "class": "pn-result-meta" }, [
        el("span", { "class": "pn-result-part", text: partTitle[note.part] || note.part }),
        el("span", { text: " · " + sections + " · " }),
        chips,
      ]),
    ]);
  }

  /* --- the explorer ----------------------------------------------------------------------------- */

  function known(notes) {
    var k = { tags: {}, part: {}, chapter: {}, status: {} };
    notes.forEach(function (n) {
      n.tags.forEach(function (t) { k.tags[t] = true; });
      n.chapters.forEach(function (c) { k.chapter[c] = true; });
      k.part[n.part] = true;
      k.status[n.status] = true;
    });
    return k;
  }

  function explorer(root, fallback, notes, labels, prefix) {
    notes.forEach(function (n) { n.haystack = (n.title + " " + n.summary).toLowerCase(); });
    var partTitle = {};
    (labels.parts || []).forEach(function (p) { partTitle[p[0]] = p[1]; });
    var valid = known(notes);
    var state = readState(location.search, valid);
    var ui = {};
    var form = buildForm(ui, notes, labels);
    var status = el("p", { "class": "pn-status", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    var list = el("ol", { "class": "pn-results", "aria-labelledby": "pn-results-heading" });
    root.textContent = "";
    root.appendChild(form);
    root.appendChild(el("div", { "class": "pn-results-column" }, [el("h2", { id: "pn-results-heading", text: "Matching notes" }), status, list]));

    /* An option that would show no note is hidden, unless it is chosen. */
    function setCount(option, count, chosen) {
      option.count.textContent = "(" + count + ")";
      option.label.hidden = count === 0 && !chosen;
    }

    function addTag(t) {
      if (state.tags.indexOf(t) < 0) state.tags.push(t);
      update();
      root.scrollIntoView({ block: "start" });
    }

    function paint() {
      if (ui.text.value.trim() !== state.text) ui.text.value = state.text;
      ui.op[state.op].checked = true;
      Object.keys(ui.tags).forEach(function (t) {
        ui.tags[t].input.checked = state.tags.indexOf(t) >= 0;
        setCount(ui.tags[t], optionCount(notes, state, "tags", t), ui.tags[t].input.checked);
      });
      FACETS.forEach(function (f) {
        Object.keys(ui[f]).forEach(function (v) {
          ui[f][v].input.checked = state[f] === v;
          setCount(ui[f][v], optionCount(notes, state, f, v), state[f] === v);
        });
      });
      var shown = notes.filter(function (n) { return matches(n, state, null); });
      list.textContent = "";
      shown.forEach(function (n) { list.appendChild(resultItem(n, state, prefix, partTitle, addTag)); });
      status.textContent = shown.length
        ? shown.length + (shown.length === 1 ? " note" : " notes") + " of " + notes.length + " match."
        : "No notes match. Remove a filter, or show notes with any chosen tag.";
      root.setAttribute("data-shown", String(shown.length));
    }

    var pending = null;
    /* Redraw now; write the address now, or once typing pauses (`later`), so typing is not one
     * history entry replacement per key. */
    function update(later) {
      clearTimeout(pending);
      if (later) pending = setTimeout(function () { if (root.isConnected) writeState(state); }, 400);
      else writeState(state);
      paint();
    }

    ui.text.addEventListener("input", function () { state.text = ui.text.value.trim(); update(true); });
    Object.keys(ui.op).forEach(function (o) {
      ui.op[o].addEventListener("change", function () { state.op = o; update(); });
    });
    Object.keys(ui.tags).forEach(function (t) {
      ui.tags[t].input.addEventListener("change", function () {
        state.tags = state.tags.filter(function (x) { return x !== t; });
        if (ui.tags[t].input.checked) state.tags.push(t);
        update();
      });
    });
    FACETS.forEach(function (f) {
      Object.keys(ui[f]).forEach(function (v) {
        ui[f][v].input.addEventListener("change", function () { state[f] = v; update(); });
      });
    });
    ui.clear.addEventListener("click", function () {
      state = emptyState();
      update();
      ui.text.focus();
    });

    paint();
    [fallback, document.getElementById("pn-all-notes-title")].forEach(function (node) { if (node) node.hidden = true; });
    root.setAttribute("data-ready", "true");
  }

  function load(src) {
    if (!cache[src]) {
      cache[src] = fetch(src).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      });
      cache[src].catch(function () { delete cache[src]; });
    }
    return cache[src];
  }

  /* Material's search dialog has no accessible name (axe: aria-dialog-name); give it one. */
  function labelSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "Search");
  }

  /* A note page is not in the navigation (a nav of every note costs too much to build), so its
   * part is marked in the sidebar here, with the note's sections under it: on a phone, the drawer
   * then leads to them too. The breadcrumbs name the part; without JavaScript they are the way. */
  function markPlace() {
    var old = document.querySelectorAll(".pn-place");
    for (var i = 0; i < old.length; i++) old[i].remove();
    var crumbs = document.querySelectorAll("article .pn-crumbs a");
    if (crumbs.length < 2) return;
    var part = new URL(crumbs[crumbs.length - 1].getAttribute("href"), location.href).href;
    var link = Array.prototype.filter.call(document.querySelectorAll(".md-sidebar--primary a.md-nav__link[href]"), function (a) {
      return a.href === part;
    })[0];
    if (!link) return;
    link.classList.add("md-nav__link--active");
    link.setAttribute("aria-current", "location");
    var title = document.querySelector("article h1");
    var list = el("ul", { "class": "md-nav__list pn-place", "aria-label": "This note" });
    var heads = [[location.pathname, title ? title.textContent.replace("¶", "").trim() : ""]];
    Array.prototype.forEach.call(document.querySelectorAll("article h2[id]"), function (h) {
      heads.push(["#" + h.id, h.textContent.replace("¶", "").trim()]);
    });
    heads.forEach(function (h, i) {
      var a = el("a", { href: h[0], "class": "md-nav__link" + (i ? "" : " pn-place-note"), text: h[1] });
      if (!i) a.setAttribute("aria-current", "page");
      list.appendChild(el("li", { "class": "md-nav__item" }, [a]));
    });
    link.parentElement.appendChild(list);
  }

  function init() {
    labelSearchDialog();
    markPlace();
    var root = document.getElementById("pn-explorer");
    if (!root || root.getAttribute("data-started")) return;
    root.setAttribute("data-started", "true");
    var src = root.getAttribute("data-src") || "../notes.json";
    var prefix = src.slice(0, src.lastIndexOf("/") + 1); /* notes.json sits at the site root */
    var labels = {};
    try { labels = JSON.parse(root.getAttribute("data-labels") || "{}"); } catch (e) { labels = {}; }
    load(new URL(src, location.href).href).then(function (records) {
      if (document.getElementById("pn-explorer") !== root) return; /* the reader has moved on */
      var notes = records.map(function (r) { return Object.assign({}, r); });
      explorer(root, document.getElementById("pn-all-notes"), notes, labels, prefix);
    }, function () {
      root.appendChild(el("p", { "class": "pn-status", text: "The filters could not load the list of notes; every note is listed below." }));
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
