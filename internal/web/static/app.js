// wiredesk dashboard enhancements. Everything works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Ask before removing a feed.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) { e.preventDefault(); }
    });
  });
  // "/" focuses the search box.
  var q = document.querySelector(".search input[type=search]");
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && q && document.activeElement !== q && !(e.target instanceof HTMLInputElement)) {
      e.preventDefault(); q.focus();
    }
  });
  // Filter selects submit on change.
  document.querySelectorAll(".search select").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });
});
