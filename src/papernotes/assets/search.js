/* papernotes: the header's search box, on Pagefind (pagefind/ is written by the pagefind binary after
   `mkdocs build`). Nothing is fetched until the reader focuses the box or presses "/"; then Pagefind's
   own UI is loaded from the site itself and replaces the box. Works under any sub-path: every address
   is resolved against this script's own URL, once, so instant navigation cannot make it stale. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var root = new URL("..", script.src); // assets/search.js -> the site's root
  var bundle = new URL("pagefind/", root);
  var ui = null;
  var loading = null;

  function box() { return document.getElementById("pn-search"); }

  function load() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = new URL("pagefind-ui.css", bundle).href;
      document.head.appendChild(css);
      var js = document.createElement("script");
      js.src = new URL("pagefind-ui.js", bundle).href;
      js.onload = resolve;
      js.onerror = reject;
      document.head.appendChild(js);
    });
    return loading;
  }

  function open() {
    var element = box();
    if (!element || ui) return;
    var stub = element.querySelector(".pn-search__stub");
    var typed = stub ? stub.value : "";
    load().then(function () {
      if (ui) return;
      ui = new window.PagefindUI({
        element: "#pn-search",
        bundlePath: bundle.pathname,
        baseUrl: root.pathname,
        showSubResults: false,
        showImages: false,
        resetStyles: false,
        autofocus: true,
        pageSize: 8,
        translations: { placeholder: "Search" },
      });
      if (stub) stub.remove();
      var input = element.querySelector(".pagefind-ui__search-input");
      if (input) {
        input.setAttribute("aria-keyshortcuts", "/");
        input.focus();
        if (typed) { input.value = typed; ui.triggerSearch(typed); }
      }
    });
  }

  function close() {
    var element = box();
    var input = element && element.querySelector(".pagefind-ui__search-input");
    var clear = element && element.querySelector(".pagefind-ui__search-clear");
    if (input && input.value && clear) clear.click();
    if (input) input.blur();
  }

  function editing(target) {
    return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  document.addEventListener("focusin", function (event) {
    if (event.target instanceof Element && event.target.classList.contains("pn-search__stub")) open();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !editing(event.target)) {
      event.preventDefault();
      var input = box() && box().querySelector(".pagefind-ui__search-input, .pn-search__stub");
      if (input) input.focus();
      open();
    } else if (event.key === "Escape" && box() && box().contains(document.activeElement)) {
      close();
    }
  });
  document.addEventListener("click", function (event) {
    var element = box();
    if (!element || !(event.target instanceof Node)) return;
    if (!element.contains(event.target)) close();
    else if (event.target instanceof Element && event.target.closest(".pagefind-ui__result-link")) setTimeout(close, 0);
  });
})();
