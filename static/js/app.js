// WellTrack's small shared behaviours. Loaded on every page; no inline scripts (CSP).
(function () {
  "use strict";

  // <form data-confirm="Delete this well?"> asks before submitting.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // <select data-searchable> becomes a select you can type into (Tom Select, from npm): long
  // lists such as time zones and operation codes. Without JavaScript it stays a plain select.
  function searchable(root) {
    if (!window.TomSelect) { return; }
    root.querySelectorAll("select[data-searchable]:not(.tomselected)").forEach(function (select) {
      new window.TomSelect(select, { maxOptions: null, allowEmptyOption: true, create: false });
    });
  }
  searchable(document);
  document.addEventListener("htmx:afterSwap", function (event) { searchable(event.target); });

  // htmx: show the server's error fragment for 4xx/5xx instead of silently doing nothing.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422 || status === 400 || status === 403 || status === 404 || status === 429 || status === 503) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
