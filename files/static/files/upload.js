// Direct uploads with a progress bar per file (files app). No inline scripts (CSP): every
// widget is a <div data-uploader> with its URLs and limits in data- attributes.
//
// Per file: 1. POST the ticket URL (JSON) -> {fileId, url, fields}; 2. POST fields + file to
// `url` (S3 or our own upload view) with XMLHttpRequest, for its upload progress; 3. POST
// the completion URL. Files go independently: one failing or cancelled leaves the others.
// After each completed file, a "files-changed" event on <body> makes htmx reload the lists.
(function () {
  "use strict";
  if (window.WellTrackUploader) { return; }
  window.WellTrackUploader = true;

  var PARALLEL = 3;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function formatSize(bytes) {
    if (bytes < 1024) { return bytes + " B"; }
    if (bytes < 1024 * 1024) { return (bytes / 1024).toFixed(1) + " KB"; }
    return (bytes / (1024 * 1024)).toFixed(1) + " MB";
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function apiMessage(status, body) {
    if (status === 403) { return "Not allowed: your role does not allow uploading here."; }
    if (status === 404) { return "Not allowed: this well is no longer available to you."; }
    if (status === 413) { return "Too big for the upload limit."; }
    if (body && body.detail) {
      if (typeof body.detail === "string") { return body.detail; }
      if (body.detail.length && body.detail[0].msg) { return body.detail[0].msg; }
    }
    if (status === 503) { return "The server is busy; nothing was saved. Try again in a minute."; }
    return "The server refused the upload (" + status + ").";
  }

  function postJSON(url, data) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: data === undefined ? null : JSON.stringify(data)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) { throw new Error(apiMessage(response.status, body)); }
        return body;
      });
    }, function () {
      throw new Error("Network error: the server could not be reached. Check the connection and try again.");
    });
  }

  function Uploader(root) {
    this.root = root;
    this.queue = root.querySelector("[data-queue]");
    this.maxBytes = parseInt(root.getAttribute("data-max-bytes"), 10) || 0;
    this.maxLabel = root.getAttribute("data-max-label") || "";
    this.waiting = [];
    this.running = 0;
    var self = this;
    var input = root.querySelector("[data-file-input]");
    var zone = root.querySelector("[data-dropzone]");
    input.addEventListener("change", function () {
      self.addFiles(input.files);
      input.value = "";
    });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("is-dragover");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.remove("is-dragover");
      });
    });
    zone.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files) { self.addFiles(event.dataTransfer.files); }
    });
  }

  Uploader.prototype.addFiles = function (files) {
    for (var i = 0; i < files.length; i++) { this.add(files[i]); }
  };

  Uploader.prototype.add = function (file) {
    var item = this.render(file);
    if (file.size > this.maxBytes) {
      this.fail(item, "Too big: " + file.size.toLocaleString() + " bytes is over the limit of " + this.maxLabel + " per file.");
      return;
    }
    if (file.size === 0) {
      this.fail(item, "The file is empty.");
      return;
    }
    this.waiting.push(item);
    this.next();
  };

  Uploader.prototype.render = function (file) {
    var li = el("li", "wt-upload-item");
    li.setAttribute("data-testid", "upload-item");
    var head = el("div", "d-flex justify-content-between align-items-center gap-2");
    var name = el("span", "wt-upload-name small fw-semibold", file.name);
    var side = el("span", "d-flex align-items-center gap-2 small text-body-secondary");
    var status = el("span", "", formatSize(file.size) + " · waiting");
    status.setAttribute("data-testid", "upload-status");
    var cancel = el("button", "btn btn-sm btn-link p-0 text-danger", "Cancel");
    cancel.type = "button";
    cancel.setAttribute("aria-label", "Cancel " + file.name);
    side.appendChild(status);
    side.appendChild(cancel);
    head.appendChild(name);
    head.appendChild(side);
    var progress = el("div", "progress mt-1");
    progress.setAttribute("role", "progressbar");
    progress.setAttribute("aria-label", "Upload of " + file.name);
    progress.setAttribute("aria-valuemin", "0");
    progress.setAttribute("aria-valuemax", "100");
    progress.setAttribute("aria-valuenow", "0");
    progress.setAttribute("data-testid", "upload-progress");
    var bar = el("div", "progress-bar");
    bar.style.width = "0%";  // CSSOM, not a style attribute: allowed by the CSP
    progress.appendChild(bar);
    var message = el("div", "small mt-1");
    message.hidden = true;
    li.appendChild(head);
    li.appendChild(progress);
    li.appendChild(message);
    this.queue.appendChild(li);
    var item = { file: file, li: li, status: status, cancel: cancel, progress: progress, bar: bar, message: message,
                 xhr: null, cancelled: false, done: false };
    var self = this;
    cancel.addEventListener("click", function () { self.cancel(item); });
    return item;
  };

  Uploader.prototype.setProgress = function (item, percent) {
    var value = Math.max(0, Math.min(100, Math.floor(percent)));  // 100 only once every byte went
    item.bar.style.width = value + "%";
    item.progress.setAttribute("aria-valuenow", String(value));
    item.status.textContent = formatSize(item.file.size) + " · " + value + " %";
  };

  Uploader.prototype.fail = function (item, text) {
    item.done = true;
    item.cancel.hidden = true;
    item.bar.classList.add("bg-danger");
    item.status.textContent = "failed";
    item.message.hidden = false;
    item.message.className = "small mt-1 text-danger";
    item.message.setAttribute("data-testid", "upload-error");
    item.message.textContent = text;
  };

  Uploader.prototype.cancel = function (item) {
    if (item.done) { return; }
    item.cancelled = true;
    item.done = true;
    if (item.xhr) { item.xhr.abort(); }
    var index = this.waiting.indexOf(item);
    if (index >= 0) { this.waiting.splice(index, 1); }
    item.cancel.hidden = true;
    item.bar.classList.add("bg-secondary");
    item.status.textContent = "cancelled";
  };

  Uploader.prototype.next = function () {
    while (this.running < PARALLEL && this.waiting.length) {
      var item = this.waiting.shift();
      this.running += 1;
      this.start(item);
    }
  };

  Uploader.prototype.finished = function () {
    this.running -= 1;
    this.next();
  };

  Uploader.prototype.start = function (item) {
    var self = this;
    var root = this.root;
    var payload = {
      wellId: root.getAttribute("data-well-id"),
      fileName: item.file.name,
      fileType: item.file.type || "application/octet-stream",
      fileSize: item.file.size
    };
    if (root.getAttribute("data-stage-id")) { payload.stageId = root.getAttribute("data-stage-id"); }
    if (root.getAttribute("data-event-id")) { payload.eventId = root.getAttribute("data-event-id"); }
    item.status.textContent = formatSize(item.file.size) + " · starting";
    postJSON(root.getAttribute("data-ticket-url"), payload)
      .then(function (ticket) {
        if (item.cancelled) { throw null; }
        return self.send(item, ticket).then(function () { return ticket; });
      })
      .then(function (ticket) {
        if (item.cancelled) { throw null; }
        item.cancel.hidden = true;
        item.status.textContent = formatSize(item.file.size) + " · sent · saving";
        return postJSON(root.getAttribute("data-complete-url").replace("__file__", encodeURIComponent(ticket.fileId)));
      })
      .then(function () {
        item.done = true;
        item.bar.classList.add("bg-success");
        item.status.textContent = formatSize(item.file.size) + " · uploaded";
        item.li.setAttribute("data-state", "uploaded");
        document.body.dispatchEvent(new CustomEvent("files-changed", { bubbles: true }));
      })
      .catch(function (error) {
        if (error && !item.cancelled) { self.fail(item, error.message); }
      })
      .then(function () { self.finished(); });
  };

  // Step 2: the file itself, straight to S3 (or our upload view), with progress events.
  Uploader.prototype.send = function (item, ticket) {
    var self = this;
    return new Promise(function (resolve, reject) {
      var form = new FormData();
      Object.keys(ticket.fields).forEach(function (name) { form.append(name, ticket.fields[name]); });
      form.append("file", item.file);  // S3 ignores every field after the file: it goes last
      var xhr = new XMLHttpRequest();
      item.xhr = xhr;
      xhr.open("POST", ticket.url);
      // The bar moves only with these events (the last one has loaded === total once every
      // byte is sent), so "100 %" means the bytes went, never a guess.
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { self.setProgress(item, (event.loaded / event.total) * 100); }
      });
      xhr.addEventListener("load", function () {
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve();
        } else if (xhr.status === 413 || /EntityTooLarge/.test(xhr.responseText || "")) {
          reject(new Error("Too big: the storage refused a file of this size."));
        } else if (xhr.status === 403 || xhr.status === 400) {
          reject(new Error("Not allowed: the storage refused the upload (the link may have expired). Try again."));
        } else {
          reject(new Error("The storage refused the upload (" + xhr.status + ")."));
        }
      });
      xhr.addEventListener("error", function () {
        reject(new Error("Network error during the upload. Check the connection and try again."));
      });
      xhr.addEventListener("abort", function () { reject(null); });
      xhr.send(form);
    });
  };

  function init(scope) {
    var roots = (scope || document).querySelectorAll("[data-uploader]");
    for (var i = 0; i < roots.length; i++) {
      if (!roots[i].wtUploader) { roots[i].wtUploader = new Uploader(roots[i]); }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(); });
  } else {
    init();
  }
  // Widgets that arrive in an htmx swap.
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
