// newskg: a small hand-written SPARQL highlighter for the query editor (no dependencies).
// The textarea stays the editor (the page works without this script); a <pre> behind it shows the
// same text with tokens coloured, redrawn on every input and scroll.
(function () {
  "use strict";
  var KEYWORDS = ("SELECT CONSTRUCT DESCRIBE ASK WHERE FROM NAMED PREFIX BASE DISTINCT REDUCED OPTIONAL UNION MINUS " +
    "GRAPH SERVICE FILTER BIND VALUES AS GROUP BY ORDER HAVING LIMIT OFFSET ASC DESC NOT EXISTS IN " +
    "COUNT SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE " +
    "REGEX REPLACE CONTAINS STRSTARTS STRENDS SUBSTR LCASE UCASE STRLEN CONCAT YEAR MONTH DAY NOW IF COALESCE " +
    "ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC TRUE FALSE A").split(" ");
  var KW = {};
  KEYWORDS.forEach(function (k) { KW[k] = true; });
  var TOKEN = new RegExp([
    "(#[^\\n]*)",                                   // 1 comment
    "(\"\"\"[\\s\\S]*?\"\"\"|'''[\\s\\S]*?'''|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*')", // 2 string
    "(<[^<>\"{}|^`\\\\\\s]*>)",                      // 3 IRI
    "([?$][A-Za-z0-9_\\u00C0-\\uFFFF]+)",            // 4 variable
    "([A-Za-z][\\w.-]*:[\\w.-]*|:[\\w.-]+)",          // 5 prefixed name
    "(\\b\\d+(?:\\.\\d+)?\\b)",                        // 6 number
    "([A-Za-z_]+)"                                   // 7 word
  ].join("|"), "g");

  function esc(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function highlight(text) {
    var out = "", last = 0, m;
    TOKEN.lastIndex = 0;
    while ((m = TOKEN.exec(text)) !== null) {
      if (m[0] === "") { TOKEN.lastIndex++; continue; }
      out += esc(text.slice(last, m.index));
      var cls = m[1] ? "com" : m[2] ? "str" : m[3] ? "iri" : m[4] ? "var" : m[5] ? "pn" : m[6] ? "num" :
        (KW[m[7].toUpperCase()] ? "kw" : null);
      out += cls ? '<span class="tok-' + cls + '">' + esc(m[0]) + "</span>" : esc(m[0]);
      last = m.index + m[0].length;
    }
    return out + esc(text.slice(last)) + "\n";
  }

  function attach(area) {
    var code = document.getElementById(area.id + "-hl");
    if (!code) { return; }
    var pre = code.parentNode;
    function redraw() { code.innerHTML = highlight(area.value); pre.scrollTop = area.scrollTop; }
    area.addEventListener("input", redraw);
    area.addEventListener("scroll", function () { pre.scrollTop = area.scrollTop; });
    area.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); if (area.form.requestSubmit) { area.form.requestSubmit(); } else { area.form.submit(); } }
    });
    area.form.addEventListener("submit", function () {
      // the answer is a new page: until it comes, say the query is running (a long one takes seconds)
      var running = document.getElementById("running");
      if (running) { running.hidden = false; }
      area.form.setAttribute("aria-busy", "true");
    });
    area.parentNode.classList.add("js-on");
    redraw();
  }

  window.newskgHighlight = highlight;
  document.addEventListener("DOMContentLoaded", function () {
    var area = document.getElementById("query");
    if (area) { attach(area); }
  });
})();
