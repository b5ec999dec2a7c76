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
  var notice = document.getElementById("wt-calendar-notice");
  var zoneHint = document.getElementById("wt-calendar-zone-hint");
  var statusSelect = document.getElementById("wt-calendar-status");
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
    if (data.status) { extra.status = data.status; }
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

  // What the feed could not show: more events than one request reads (it answers them up to a
  // cut-off and names it), or more wells than one calendar shows.
  function showNotice(response) {
    if (!notice) { return; }
    var parts = [];
    var until = response.headers.get("X-Calendar-Shown-Until");
    if (until) {
      var when = new Date(until + "Z").toLocaleString("en-GB", {
        timeZone: "UTC", weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hour12: false,
      }).replace(",", "");
      parts.push("Too many events in this range: showing those that start before " + when + ". Zoom in (week or day) or filter to see the rest.");
    }
    var wells = (response.headers.get("X-Calendar-Wells") || "").match(/^(\d+) of (\d+)(\+?)$/);
    if (wells && (Number(wells[2]) > Number(wells[1]) || wells[3])) {
      parts.push("Showing " + wells[1] + " of " + wells[2] + wells[3] + " wells (the first by name): tick the wells you want.");
    }
    notice.textContent = parts.join(" ");
    notice.hidden = parts.length === 0;
  }

  // The window goes to the feed as wall-clock times of the zone shown, without an offset: in
  // UTC mode FullCalendar's own strings end in "Z", which the feed (like /api/events) would
  // rightly read as UTC instants.
  var latestFetch = 0;
  function fetchEvents(info, success, failure) {
    var params = new URLSearchParams(filterParams());
    params.set("start", info.startStr.slice(0, 19));
    params.set("end", info.endStr.slice(0, 19));
    var fetchNumber = ++latestFetch;
    fetch(data.feedUrl + "?" + params.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (payload) {
          if (!response.ok) {
            say("The calendar could not load its events: " + (payload.detail || ("error " + response.status)) + ".");
            failure(new Error(String(response.status)));
            return;
          }
          if (fetchNumber === latestFetch) { showNotice(response); }
          success(payload);
        });
      }, function (error) {
        say("The calendar could not load its events (the network failed). Reload to try again.");
        failure(error);
      });
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
    height: "auto",
    nowIndicator: true,
    // Day-first dates beside 24-hour times (rigs work around the clock): "Mon 2 Mar", "4 March 2026".
    locale: "en-GB",
    eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    views: {
      dayGridMonth: { dayHeaderFormat: { weekday: "short" } },
      timeGridWeek: { dayHeaderFormat: { weekday: "short", day: "numeric", month: "short", omitCommas: true } },
      timeGridDay: { dayHeaderFormat: { weekday: "long", day: "numeric", month: "long", omitCommas: true } },
      listWeek: { listDayFormat: { weekday: "long", day: "numeric", month: "long", omitCommas: true }, listDaySideFormat: false },
      listMonth: { listDayFormat: { weekday: "long", day: "numeric", month: "long", omitCommas: true }, listDaySideFormat: false },
    },
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
    events: fetchEvents,
    eventDidMount: function (info) {
      // Shapes come from the feed: classNames wt-instant / wt-range / wt-stage-span and display.
      var props = info.event.extendedProps;
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
  function showZoneHint() { if (zoneHint && zoneSelect) { zoneHint.hidden = zoneSelect.value !== "well"; } }
  showZoneHint();
  if (statusSelect) {
    // The list of wells to tick depends on the status: the page is rendered again for it.
    statusSelect.addEventListener("change", function () {
      var url = new URL(window.location.href);
      url.searchParams.set("status", statusSelect.value);
      window.location.assign(url.toString());
    });
  }
  if (zoneSelect) {
    zoneSelect.addEventListener("change", function () {
      showZoneHint();
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
