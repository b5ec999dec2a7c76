// The WellTrack calendar: FullCalendar (global bundle from npm) fed by our JSON feeds.
// Everything it needs comes from data- attributes on #wt-calendar (no inline script: CSP).
(function () {
  "use strict";

  var el = document.getElementById("wt-calendar");
  if (!el || !window.FullCalendar) { return; }

  var data = el.dataset;
  var params = new URLSearchParams(window.location.search);
  var VIEWS = ["dayGridMonth", "timeGridWeek", "timeGridDay", "listWeek", "listMonth"];
  var mini = el.classList.contains("wt-mini-calendar");
  var initialView = !el.classList.contains("wt-mini-calendar") && VIEWS.indexOf(params.get("view")) >= 0
    ? params.get("view") : (data.initialView || "dayGridMonth");
  var initialDate = !mini && /^\d{4}-\d{2}-\d{2}$/.test(params.get("date") || "") ? params.get("date") : (data.initialDate || undefined);
  var filterForm = document.getElementById("wt-calendar-filters");
  var zoneSelect = document.getElementById("wt-calendar-zone");
  var zoneLabel = document.getElementById("wt-calendar-zone-label");
  var message = document.getElementById("wt-calendar-message");
  if (zoneSelect && params.get("zone")) {
    for (var i = 0; i < zoneSelect.options.length; i++) {
      if (zoneSelect.options[i].value === params.get("zone")) { zoneSelect.value = params.get("zone"); }
    }
  }
  var csrf = (function () {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  })();

  // The calendar runs in FullCalendar's UTC mode and the feed sends wall-clock times already
  // in the chosen zone ("well": each well's own zone), so what is shown is what the server said.
  function zoneMode() {
    if (zoneSelect && zoneSelect.value) { return zoneSelect.value; }
    return data.zone || "well";
  }

  function filterParams() {
    var extra = { timeZone: zoneMode() };
    if (!filterForm) { return extra; }
    new FormData(filterForm).forEach(function (value, key) {
      if (value === "") { return; }
      extra[key] = extra[key] ? extra[key] + "," + value : value;
    });
    return extra;
  }

  function say(text, kind) {
    if (!message) { return; }
    message.textContent = text;
    message.className = "alert alert-" + (kind || "danger") + " py-2 mb-2";
    message.hidden = !text;
  }

  function keepStateInUrl(info) {
    var url = new URL(window.location.href);
    url.searchParams.set("view", info.view.type);
    url.searchParams.set("date", calendar.formatIso(info.view.currentStart).slice(0, 10));
    if (zoneSelect) { url.searchParams.set("zone", zoneSelect.value); }
    window.history.replaceState(null, "", url.toString());
  }

  function reschedule(info) {
    var event = info.event;
    var url = event.extendedProps.rescheduleUrl;
    if (!url) { info.revert(); return; }
    var body = new URLSearchParams();
    body.set("start", event.startStr.slice(0, 19));
    body.set("end", event.end ? event.endStr.slice(0, 19) : "");
    body.set("all_day", event.allDay ? "1" : "");
    body.set("time_zone", event.extendedProps.timeZone);
    body.set("version", event.extendedProps.version);
    fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (payload) {
        if (!response.ok) {
          info.revert();
          say(payload.detail || ("The change was refused (" + response.status + ")."), "danger");
          return;
        }
        event.setExtendedProp("version", payload.version);
        say("Moved “" + event.title + "”.", "success");
      });
    }).catch(function () {
      info.revert();
      say("The network failed; the event was not moved.", "danger");
    });
  }

  var calendar = new FullCalendar.Calendar(el, {
    initialView: initialView,
    initialDate: initialDate,
    timeZone: "UTC",
    timeZoneParam: "calendarZone",
    height: "auto",
    nowIndicator: true,
    // Rigs work around the clock: 24-hour times everywhere.
    eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    navLinks: true,
    weekNumbers: false,
    firstDay: 1,
    dayMaxEvents: 4,
    headerToolbar: mini ? { left: "prev,next today", center: "title", right: "listMonth,dayGridMonth" }
      : { left: "prev,next today", center: "title", right: "dayGridMonth,timeGridWeek,timeGridDay,listWeek" },
    noEventsContent: "Nothing recorded in this period",
    buttonText: { today: "Today", month: "Month", week: "Week", day: "Day", list: "List" },
    editable: data.editable === "true",
    eventDurationEditable: data.editable === "true",
    eventStartEditable: data.editable === "true",
    events: { url: data.feedUrl, extraParams: filterParams, failure: function () { say("The calendar could not load its events. Reload to try again."); } },
    eventDidMount: function (info) {
      var props = info.event.extendedProps;
      if (props.kind === "stage") { info.el.classList.add("wt-stage-span"); }
      if (props.isRange === false) { info.el.classList.add("wt-instant"); }
      if (props.tooltip) { info.el.setAttribute("title", props.tooltip); }
    },
    eventAllow: function (dropInfo, draggedEvent) { return draggedEvent.extendedProps.kind === "event" && !!draggedEvent.extendedProps.rescheduleUrl; },
    eventDrop: reschedule,
    eventResize: reschedule,
    eventClick: function (info) {
      var props = info.event.extendedProps;
      if (props.panelUrl && window.htmx) {
        info.jsEvent.preventDefault();
        window.htmx.ajax("GET", props.panelUrl, { target: "#wt-event-panel", swap: "innerHTML" });
        var panel = document.getElementById("wt-event-panel");
        if (panel) { panel.hidden = false; panel.focus(); }
      }
    },
    datesSet: function (info) { if (!mini) { keepStateInUrl(info); } },
  });
  calendar.render();
  window.wtCalendar = calendar;

  if (filterForm) {
    filterForm.addEventListener("change", function () { calendar.refetchEvents(); });
    filterForm.addEventListener("submit", function (e) { e.preventDefault(); calendar.refetchEvents(); });
  }
  if (zoneSelect) {
    zoneSelect.addEventListener("change", function () {
      if (zoneLabel) { zoneLabel.textContent = zoneSelect.options[zoneSelect.selectedIndex].text; }
      calendar.refetchEvents();
      keepStateInUrl({ view: calendar.view });
    });
  }
  document.addEventListener("click", function (e) {
    if (e.target && e.target.closest && e.target.closest("[data-close-panel]")) {
      var panel = document.getElementById("wt-event-panel");
      if (panel) { panel.hidden = true; panel.innerHTML = ""; }
    }
  });
})();
