// The project map: Leaflet (from npm) with one marker per well, coloured by status.
// Data come from a JSON script element (type application/json is data, not script: CSP-safe).
(function () {
  "use strict";

  var el = document.getElementById("wt-map");
  if (!el || !window.L) { return; }
  var wells = JSON.parse(document.getElementById("wt-map-data").textContent);
  var colours = { PLANNING: "#6c757d", DRILLING: "#e07a1f", COMPLETED: "#198754", ABANDONED: "#343a40" };
  var map = L.map(el, { zoomControl: true, attributionControl: !!el.dataset.tileUrl });

  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: el.dataset.tileAttribution || "" }).addTo(map);
  } else {
    el.classList.add("wt-map-plain");
  }

  var bounds = [];
  wells.forEach(function (well) {
    if (well.latitude === null || well.longitude === null) { return; }
    var marker = L.circleMarker([well.latitude, well.longitude], {
      radius: 9, weight: 2, color: "#ffffff", fillColor: colours[well.status] || "#0d6efd", fillOpacity: 0.95,
    }).addTo(map);
    var popup = document.createElement("div");
    var title = document.createElement("a");
    title.href = well.url;
    title.textContent = well.name;
    title.className = "fw-semibold";
    var meta = document.createElement("div");
    meta.className = "small";
    meta.textContent = (well.wellNumber ? well.wellNumber + " · " : "") + well.status;
    popup.appendChild(title);
    popup.appendChild(meta);
    marker.bindPopup(popup);
    // Leaflet puts a string into a tooltip as HTML; an element (its documented other type)
    // goes in as it is, so the name stays text.
    var tooltip = document.createElement("span");
    tooltip.textContent = well.name;
    marker.bindTooltip(tooltip);
    marker.getElement && marker.on("add", function () {});
    bounds.push([well.latitude, well.longitude]);
  });
  el.dataset.markers = String(bounds.length);
  if (bounds.length === 1) {
    map.setView(bounds[0], 11);
  } else if (bounds.length > 1) {
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 13 });
  } else {
    map.setView([0, 0], 2);
  }
})();
