/* papernotes: link previews. Resting the pointer on a link in the text (or reaching it with the
 * keyboard) that leads to another page of this site shows that page's title and summary, or the
 * section or bibliography entry its #hash names, in Material's own tooltip. The page is fetched
 * once, when first previewed, from the site itself; nothing is fetched before, so the first visit
 * costs no sitemap. Works under any sub-path: the site's root is resolved from this script's URL. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch || !window.DOMParser) return;
  var root = new URL("..", script.src); // assets/preview.js -> the site's root
  var REST = 250; // ms the pointer rests on a link before the preview, and lingers after leaving it
  // what runs or loads, and what a preview leaves out of a note: its breadcrumbs and collapsed blocks
  var DROP = "script, style, iframe, frame, frameset, object, embed, applet, link, meta, base, noscript, template, "
    + "animate, set, animateMotion, animateTransform, details.pn-about, details.pn-contents, .pn-crumbs, .headerlink, [hidden]";
  // ids and what points at ids (they would repeat or miss the page's own), and inline style
  var STRIP = ["id", "for", "name", "headers", "list", "form", "usemap", "aria-labelledby", "aria-describedby", "aria-controls",
    "aria-owns", "aria-activedescendant", "aria-details", "aria-errormessage", "aria-flowto", "style"];
  var BLOCK = "p, li, dt, dd, tr, blockquote, figure, div";
  var HEADING = /^H[1-6]$/;
  var pages = new Map(); // page URL (no hash, no query) -> Promise of its parsed document
  var count = 0;
  var armed = null; // the link the pointer or the focus rests on, waiting for its preview
  var armTimer = 0;
  var wanted = null; // the link whose page is being fetched
  var shown = null; // { link, tip, by: "pointer" or "focus" } while a preview is open
  var hideTimer = 0;
  var pointerIn = false; // is the pointer over the shown link or its preview?
  var lastTouch = 0;

  /* The page a link leads to, when it is one of this site's pages other than this one; else null. */
  function target(link) {
    if (!(link instanceof HTMLAnchorElement) || !link.closest("article") || link.hasAttribute("download")) return null;
    if (link.classList.contains("headerlink") || link.closest(".md-tooltip2")) return null;
    var url;
    try { url = new URL(link.href); } catch (e) { return null; }
    if (url.origin !== root.origin || url.pathname.indexOf(root.pathname) !== 0) return null;
    if (!/(\/|\.html)$/.test(url.pathname)) return null;
    if (url.pathname === location.pathname && !url.hash) return null;
    return url;
  }

  function linkAt(node) {
    if (!(node instanceof Element) || node.closest("abbr[title]")) return null; // a glossary term keeps its own tooltip
    var link = node.closest("a[href]");
    return link && target(link) ? link : null;
  }

  function load(page) {
    if (!pages.has(page)) {
      var done = fetch(page, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.text();
      }).then(function (html) {
        return new DOMParser().parseFromString(html, "text/html");
      });
      done.catch(function () { pages.delete(page); });
      pages.set(page, done);
    }
    return pages.get(page);
  }

  /* A heading as h3 and what follows it up to the next heading: for a note, its title and summary. */
  function section(heading) {
    var title = heading.ownerDocument.createElement("h3");
    for (var c = heading.firstChild; c; c = c.nextSibling) title.appendChild(c.cloneNode(true));
    var nodes = [title];
    for (var next = heading.nextElementSibling; next && !HEADING.test(next.tagName); next = next.nextElementSibling) nodes.push(next.cloneNode(true));
    return nodes;
  }

  /* A block on its own, inside the list, definition list or table it needs to stay valid. */
  function wrapped(block) {
    var doc = block.ownerDocument;
    var tag = block.tagName;
    var box;
    if (tag === "LI") box = doc.createElement(block.parentElement && block.parentElement.tagName === "OL" ? "ol" : "ul");
    else if (tag === "DT" || tag === "DD") box = doc.createElement("dl");
    else if (tag === "TR") {
      box = doc.createElement("table");
      var table = block.closest("table");
      var head = table && table.tHead;
      if (head && !head.contains(block)) box.appendChild(head.cloneNode(true));
      var body = doc.createElement("tbody");
      body.appendChild(block.cloneNode(true));
      box.appendChild(body);
      return [box];
    } else return [block.cloneNode(true)];
    box.appendChild(block.cloneNode(true));
    if (tag === "DT") { // a glossary term: the term and its definitions
      for (var dd = block.nextElementSibling; dd && dd.tagName === "DD"; dd = dd.nextElementSibling) box.appendChild(dd.cloneNode(true));
    }
    return [box];
  }

  /* What a preview shows of `doc` for `url`: the #hash's element, or the page's title. */
  function extract(doc, url) {
    var article = doc.querySelector("article");
    if (!article) return null;
    var el = article.querySelector("h1");
    if (url.hash) {
      var id = url.hash.slice(1);
      try { id = decodeURIComponent(id); } catch (e) { /* keep it as written */ }
      el = doc.getElementById(id);
      if (!el || !article.contains(el)) return null;
    }
    if (!el) return null;
    if (HEADING.test(el.tagName)) return section(el);
    var block = el.closest(BLOCK);
    if (!block || !article.contains(block) || block.querySelector("h1, h2, h3, h4, h5, h6")) return [el.cloneNode(true)];
    if (!block.textContent.trim()) { // an empty anchor paragraph stands for what follows it
      var next = block.nextElementSibling;
      if (!next) return null;
      return HEADING.test(next.tagName) ? section(next) : wrapped(next);
    }
    return wrapped(block);
  }

  /* Notes come from many hands: nothing that runs, no handlers, no ids, no inline style, and
   * addresses made absolute against the page they were fetched from. */
  function sanitise(box, base) {
    Array.prototype.forEach.call(box.querySelectorAll(DROP), function (node) { node.remove(); });
    Array.prototype.slice.call(box.children).forEach(function (node) { // what is left of a dropped block
      if (!node.textContent.trim() && !node.querySelector("img, svg, math")) node.remove();
    });
    Array.prototype.forEach.call(box.querySelectorAll("*"), function (node) {
      Array.prototype.slice.call(node.attributes).forEach(function (attr) {
        var name = attr.name.toLowerCase();
        if (name.indexOf("on") === 0 || STRIP.indexOf(name) >= 0) node.removeAttribute(attr.name);
        else if (name === "href" || name === "src" || name === "xlink:href" || name === "action" || name === "formaction") {
          var value = attr.value.trim();
          if (/^\s*(javascript|vbscript|data):/i.test(value) && !(name === "src" && /^data:image\//i.test(value))) node.removeAttribute(attr.name);
          else if (name !== "xlink:href") {
            try { node.setAttribute(attr.name, new URL(value, base).href); } catch (e) { node.removeAttribute(attr.name); }
          }
        } else if (name === "srcset") node.removeAttribute(attr.name);
      });
    });
  }

  function place(link, tip) {
    var rect = link.getBoundingClientRect();
    var below = rect.top < window.innerHeight / 2;
    var y = below ? 16 + rect.height : -16 - tip.offsetHeight;
    tip.style.setProperty("--md-tooltip-host-x", rect.left + window.scrollX + "px");
    tip.style.setProperty("--md-tooltip-host-y", rect.top + window.scrollY + "px");
    tip.style.setProperty("--md-tooltip-x", rect.width / 2 + "px");
    tip.style.setProperty("--md-tooltip-y", y + "px");
    tip.classList.toggle("md-tooltip2--bottom", below);
    tip.classList.toggle("md-tooltip2--top", !below);
  }

  /* Built and cleaned in the fetched document, which runs nothing, then copied into this one. */
  function render(link, nodes, base, by) {
    var inner = nodes[0].ownerDocument.createElement("div");
    inner.className = "md-tooltip2__inner md-typeset";
    nodes.forEach(function (node) { inner.appendChild(node); });
    sanitise(inner, base);
    var title = inner.querySelector("h3");
    var tip = document.createElement("div");
    tip.className = "md-tooltip2 md-tooltip2--bottom";
    tip.id = "pn-preview-" + ++count;
    tip.setAttribute("role", "dialog");
    tip.setAttribute("aria-label", "Preview: " + ((title || link).textContent || "").trim());
    tip.appendChild(document.importNode(inner, true));
    document.body.appendChild(tip);
    place(link, tip);
    link.setAttribute("aria-controls", tip.id);
    link.setAttribute("aria-haspopup", "dialog");
    shown = { link: link, tip: tip, by: by };
    void tip.offsetWidth; // start the transition from the hidden state
    tip.classList.add("md-tooltip2--active");
  }

  function show(link, by) {
    var url = target(link);
    if (!url || (shown && shown.link === link)) return;
    hide();
    var page = new URL(url.href);
    page.hash = page.search = "";
    wanted = link;
    load(page.href).then(function (doc) {
      if (wanted !== link) return; // the reader moved on before the page arrived
      wanted = null;
      var nodes = extract(doc, url);
      if (nodes && nodes.length) render(link, nodes, page.href, by);
    }, function () { if (wanted === link) wanted = null; });
  }

  function hide() {
    stay();
    wanted = null;
    if (!shown) return;
    var tip = shown.tip;
    shown.link.removeAttribute("aria-controls");
    shown.link.removeAttribute("aria-haspopup");
    shown = null;
    pointerIn = false;
    tip.classList.remove("md-tooltip2--active");
    setTimeout(function () { tip.remove(); }, REST);
  }

  function arm(link, by) {
    clearTimeout(armTimer);
    armed = link;
    armTimer = setTimeout(function () { armed = null; show(link, by); }, REST);
  }

  function disarm() {
    clearTimeout(armTimer);
    armed = null;
  }

  /* Hide once the pointer has been away from the link and its preview for a moment. */
  function later() {
    if (!hideTimer) hideTimer = setTimeout(function () { hideTimer = 0; hide(); }, REST);
  }

  function stay() {
    clearTimeout(hideTimer);
    hideTimer = 0;
  }

  /* Where the pointer now is: over the shown preview or its link, over another link, or elsewhere. */
  function pointerAt(node) {
    if (shown && node instanceof Node && (shown.tip.contains(node) || shown.link.contains(node))) {
      pointerIn = true;
      stay();
      if (wanted && wanted !== shown.link) wanted = null;
      if (armed && armed !== shown.link) disarm();
      return;
    }
    pointerIn = false;
    if (wanted && !wanted.contains(node) && wanted !== document.activeElement) wanted = null;
    var link = linkAt(node);
    if (link) { if (link !== armed) arm(link, "pointer"); } else if (armed && armed !== document.activeElement) disarm();
    if (shown && shown.by === "pointer") later(); /* a preview opened from the keyboard stays until blur or Escape */
  }

  document.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "touch") lastTouch = Date.now();
  }, true);
  document.addEventListener("pointerover", function (event) {
    if (event.pointerType === "touch") return; // a tap follows the link
    pointerAt(event.target);
  });
  document.addEventListener("pointerout", function (event) {
    if (event.pointerType !== "touch" && !event.relatedTarget) pointerAt(null); // the pointer left the window
  });
  document.addEventListener("pointermove", function (event) {
    if (armed && event.pointerType !== "touch" && armed.contains(event.target)) arm(armed, "pointer"); // wait for the pointer to rest
  }, { passive: true });
  document.addEventListener("focusin", function (event) {
    var node = event.target;
    if (shown && node instanceof Node && shown.tip.contains(node)) { stay(); return; }
    var link = node instanceof HTMLAnchorElement ? linkAt(node) : null;
    if (!link || Date.now() - lastTouch < 1000) return;
    var visible = true;
    try { visible = link.matches(":focus-visible"); } catch (e) { /* an older browser: treat focus as the keyboard's */ }
    if (visible) arm(link, "focus");
  });
  document.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (shown && next instanceof Node && (shown.tip.contains(next) || shown.link.contains(next))) return;
    if (armed === event.target) disarm();
    if (wanted === event.target) wanted = null;
    if (!shown || (event.target !== shown.link && !shown.tip.contains(event.target))) return;
    if (pointerIn) shown.by = "pointer"; // the pointer holds it open now, and closes it when it leaves
    else hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && (shown || armed || wanted)) { disarm(); hide(); }
  });
  window.addEventListener("resize", function () { if (shown) place(shown.link, shown.tip); });
})();
