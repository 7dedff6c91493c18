/* papernotes: the header's search, on Pagefind's JavaScript API (pagefind/ is written by the pagefind
   binary, over the search documents of build/search/, beside the site engine's build).

   What it loads, and when, is the point of this script:
   - nothing until the reader focuses the box or presses "/";
   - then Pagefind's engine (pagefind.js, its WebAssembly and the index's metadata);
   - one search per pause in typing (250 ms), never one per key: a search for "r", then "re", then "rep"
     would fetch the index chunks of every word that starts with each prefix;
   - the text of a result only for the results shown (eight at a time);
   - the filter index only when the reader opens "Filters": at 10,000 notes it outweighs a query;
   - of a query with several words, not the entries of the words that are in most notes (common-words.json,
     written by papernotes beside the index): Pagefind fetches a word's whole entry, every position on every
     page, and at 10,000 notes the entry of "training" alone is 136 KB, while a word in most notes hardly
     changes which notes match or how they rank. The reader is told which words were left out.
   Every address is resolved against this script's own URL, so the site works under any sub-path.
   Text from the index is put on the page as text; of an excerpt, only Pagefind's <mark> is kept. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var root = new URL("..", script.src); // assets/search.js -> the site's root
  var engineUrl = new URL("pagefind/pagefind.js", root).href;
  var PAGE = 8;
  var PAUSE = 250;
  var GROUPS = [["part", "Part"], ["chapter", "Chapter"], ["status", "Status"], ["tag", "Tag"]];

  var commonUrl = new URL("pagefind/common-words.json", root).href;
  var engine = null; // the promise of Pagefind's module, once asked for
  var common = {}; // word -> share of the notes its stem is in, for the words left out of longer queries
  var state = { term: "", filters: {}, results: [], left: [], shown: 0, generation: 0, filtersLoaded: false, total: null };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function box() { return document.getElementById("pn-search"); }
  function part(name) { var b = box(); return b && b.querySelector(".pn-search__" + name); }

  function load() {
    if (!engine) {
      var words = fetch(commonUrl).then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; });
      engine = import(engineUrl).then(function (pagefind) {
        return pagefind.options({ baseUrl: root.pathname, excerptLength: 26 }).then(function () {
          // The engine's WebAssembly and the index's metadata load now, while the reader types, not with the first query.
          return Promise.all([typeof pagefind.init === "function" ? pagefind.init() : null, words]);
        }).then(function (loaded) {
          var list = loaded[1] && loaded[1].words;
          common = list && typeof list === "object" ? list : {};
          return pagefind;
        });
      });
      engine.catch(function () { engine = null; message("Search could not be loaded."); });
    }
    return engine;
  }

  function message(text) {
    var node = part("message");
    if (node) node.textContent = text;
  }

  function open() {
    var panel = part("panel");
    var input = part("input");
    if (!panel || !input) return;
    panel.hidden = false;
    if (!state.term && !part("results").children.length) message("Type a name or a topic. Filters narrow the notes by part, chapter, status or tag.");
    load();
  }

  function close() {
    var panel = part("panel");
    if (panel) panel.hidden = true;
  }

  /* A pattern for the words a search left out, so that the excerpt marks them too (Pagefind marks what it searched):
     a word that starts with one of them. Null when none was left out. */
  function leftPattern(left) {
    if (!left || !left.length) return null;
    var escaped = left.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return new RegExp("(^|[^\\p{L}\\p{N}])((?:" + escaped.join("|") + ")[\\p{L}\\p{N}]*)", "giu");
  }

  /* Text into `out`, with the matches of `pattern` (if any) in <mark>. */
  function appendText(out, text, pattern) {
    if (!pattern) { out.appendChild(document.createTextNode(text)); return; }
    var at = 0;
    text.replace(pattern, function (whole, before, word, offset) {
      var start = offset + before.length;
      if (start > at) out.appendChild(document.createTextNode(text.slice(at, start)));
      out.appendChild(el("mark", "", word));
      at = start + word.length;
      return whole;
    });
    if (at < text.length) out.appendChild(document.createTextNode(text.slice(at)));
  }

  /* An excerpt is HTML with <mark> around the matches: parse it inertly, keep text and <mark> only. */
  function excerpt(html, left) {
    var out = el("p", "pn-search__excerpt");
    var template = document.createElement("template");
    var pattern = leftPattern(left);
    template.innerHTML = html;
    template.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") out.appendChild(el("mark", "", node.textContent));
      else appendText(out, node.textContent || "", pattern);
    });
    return out;
  }

  function resultItem(data, left) {
    var item = el("li", "pn-search__result");
    var link = el("a", "pn-search__result-link", (data.meta && data.meta.title) || data.url);
    link.href = data.url;
    item.appendChild(link);
    var where = (data.filters && data.filters.part) || [];
    if (where.length) item.appendChild(el("span", "pn-search__result-part", where.join(", ")));
    if (data.excerpt) item.appendChild(excerpt(data.excerpt, left));
    return item;
  }

  function showMore(generation) {
    var list = part("results");
    var more = part("more");
    var batch = state.results.slice(state.shown, state.shown + PAGE);
    state.shown += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (datas) {
      if (generation !== state.generation) return;
      datas.forEach(function (data) { list.appendChild(resultItem(data, state.left)); });
      list.setAttribute("aria-busy", "false");
      if (more) more.hidden = state.shown >= state.results.length;
    });
  }

  /* The words of `term` to search for, and those left out: a plain word that is in most notes is left out when
     the query has another word; of a query made only of such words, the rarest is kept. A quoted query is kept whole. */
  function plan(term) {
    var words = term.split(/\s+/).filter(Boolean);
    if (term.indexOf('"') >= 0 || words.length < 2) return { query: term, left: [] };
    function share(word) { return /^[a-z]+$/i.test(word) && Object.prototype.hasOwnProperty.call(common, word.toLowerCase()) ? Number(common[word.toLowerCase()]) : null; }
    var kept = words.filter(function (w) { return share(w) === null; });
    if (!kept.length) {
      kept = [words.reduce(function (best, w) { return share(w) < share(best) ? w : best; })];
    }
    return { query: kept.join(" "), left: words.filter(function (w) { return kept.indexOf(w) < 0; }) };
  }

  function describe(count, left) {
    var what = state.term ? "“" + state.term + "”" : "the chosen filters";
    var text = !count ? "No notes match " + what : (count === 1 ? "1 note matches " : count + " notes match ") + what;
    if (left && left.length) {
      var names = left.map(function (w) { return "“" + w + "”"; });
      var quoted = names.length > 1 ? names.slice(0, -1).join(", ") + " and " + names[names.length - 1] : names[0];
      text += (left.length === 1 ? ". " + quoted + " is" : ". " + quoted + " are") + " in most notes, so the search left " + (left.length === 1 ? "it" : "them") + " out";
    }
    return text;
  }

  function activeFilters() {
    var out = {};
    Object.keys(state.filters).forEach(function (name) {
      if (state.filters[name].length) out[name] = { any: state.filters[name].slice() };
    });
    return out;
  }

  function search(immediately) {
    var generation = ++state.generation;
    var filters = activeFilters();
    var term = state.term;
    var list = part("results");
    if (!term && !Object.keys(filters).length) {
      list.textContent = "";
      message("");
      part("more").hidden = true;
      if (state.total) counts(state.total);
      return Promise.resolve();
    }
    var left = [];
    return load().then(function (pagefind) {
      var options = { filters: filters };
      var planned = plan(term);
      var query = planned.query || null;
      left = planned.left;
      // Our own pause, not Pagefind's debouncedSearch: that one preloads the index for every keystroke, so typing
      // "repository agents" fetched the chunks of every word starting with r, re, rep, … and a (540 KB at 10,000 notes).
      var pause = immediately ? Promise.resolve() : new Promise(function (done) { setTimeout(done, PAUSE); });
      return pause.then(function () {
        return generation === state.generation ? pagefind.search(query, options) : null;
      });
    }).then(function (found) {
      if (!found || generation !== state.generation) return; // a later search replaced this one
      state.results = found.results;
      state.left = left;
      state.shown = 0;
      list.textContent = "";
      list.setAttribute("aria-busy", "true");
      if (state.filtersLoaded) counts(found.filters || {});
      return showMore(generation).then(function () {
        if (generation === state.generation) message(describe(found.results.length, left));
      });
    });
  }

  /* The filter panel: built on first opening, from the filter index (loaded then, not before). */
  function buildFilters(available) {
    var holder = part("groups");
    holder.textContent = "";
    GROUPS.forEach(function (pair) {
      var name = pair[0];
      var values = available[name] || {};
      var keys = Object.keys(values).sort(function (a, b) {
        return name === "chapter" ? Number(a) - Number(b) : a.localeCompare(b);
      });
      if (!keys.length) return;
      var group = el("fieldset", "pn-search__group");
      group.dataset.filter = name;
      group.appendChild(el("legend", "", pair[1]));
      keys.forEach(function (value) {
        var label = el("label", "pn-search__value");
        var input = el("input");
        input.type = "checkbox";
        input.value = value;
        input.dataset.filter = name;
        label.appendChild(input);
        label.appendChild(document.createTextNode(" " + (name === "chapter" ? "§" : "") + value + " "));
        label.appendChild(el("span", "pn-search__count", "(" + values[value] + ")"));
        group.appendChild(label);
      });
      holder.appendChild(group);
    });
  }

  /* Counts for the current search; a value no result has is hidden (unless ticked), and so is a group left empty. */
  function counts(available) {
    var holder = part("groups");
    if (!holder) return;
    holder.querySelectorAll("input[type=checkbox]").forEach(function (input) {
      var n = (available[input.dataset.filter] || {})[input.value] || 0;
      var label = input.parentNode;
      label.querySelector(".pn-search__count").textContent = "(" + n + ")";
      label.hidden = n === 0 && !input.checked;
    });
    holder.querySelectorAll(".pn-search__group").forEach(function (group) {
      group.hidden = !group.querySelector(".pn-search__value:not([hidden])");
    });
  }

  function openFilters() {
    if (state.filtersLoaded) return;
    state.filtersLoaded = true;
    part("groups").textContent = "Loading filters…";
    load().then(function (pagefind) { return pagefind.filters(); }).then(function (available) {
      state.total = available;
      buildFilters(available);
      if (state.term || Object.keys(activeFilters()).length) search(true);
    });
  }

  function editing(target) {
    return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function results() { var b = box(); return b ? Array.prototype.slice.call(b.querySelectorAll(".pn-search__result-link")) : []; }

  document.addEventListener("focusin", function (event) {
    if (event.target instanceof Element && event.target.classList.contains("pn-search__input")) open();
  });
  document.addEventListener("input", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || !box() || !box().contains(target)) return;
    if (target.classList.contains("pn-search__input")) {
      state.term = target.value.trim();
      open();
      search(false);
    } else if (target.matches("input[type=checkbox][data-filter]")) {
      var name = target.dataset.filter;
      var chosen = state.filters[name] || [];
      state.filters[name] = target.checked ? chosen.concat([target.value]) : chosen.filter(function (v) { return v !== target.value; });
      search(true);
    }
  });
  document.addEventListener("toggle", function (event) {
    if (event.target instanceof Element && event.target.classList.contains("pn-search__filters") && event.target.open) openFilters();
  }, true);
  document.addEventListener("keydown", function (event) {
    var input = part("input");
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !editing(event.target)) {
      event.preventDefault();
      if (input) input.focus();
    } else if (event.key === "Escape" && box() && box().contains(document.activeElement)) {
      if (input && input.value && document.activeElement === input) {
        input.value = "";
        state.term = "";
        search(true);
      } else {
        close();
        if (input) input.focus();
      }
    } else if ((event.key === "ArrowDown" || event.key === "ArrowUp") && box() && box().contains(document.activeElement)) {
      var links = results();
      if (!links.length) return;
      var at = links.indexOf(document.activeElement);
      var next = event.key === "ArrowDown" ? (at < 0 ? 0 : Math.min(at + 1, links.length - 1)) : at - 1;
      event.preventDefault();
      if (next < 0) { if (input) input.focus(); } else links[next].focus();
    }
  });
  document.addEventListener("click", function (event) {
    var element = box();
    if (!element || !(event.target instanceof Node)) return;
    if (!element.contains(event.target)) close();
    else if (event.target instanceof Element && event.target.closest(".pn-search__more")) showMore(state.generation);
  });
})();
