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

  // htmx: show the server's error fragment for 4xx/5xx instead of silently doing nothing.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 409 || status === 422 || status === 400 || status === 403 || status === 404 || status === 429 || status === 503) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
