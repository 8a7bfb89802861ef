// The field page: the distance from where the phone is to each task (when the person lets the
// page know), the map of one case's point over the city's own polygons, and no double posts.
// No inline handlers: everything is bound here (the pages' CSP forbids them).
(function () {
  "use strict";

  // Distance to each task -----------------------------------------------------------------
  function metres(a, b) {
    const rad = Math.PI / 180;
    const dLat = (b.lat - a.lat) * rad;
    const dLon = (b.lon - a.lon) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * 6371000 * Math.asin(Math.sqrt(h));
  }

  function distanceText(m) {
    return m < 1000 ? Math.round(m) + " m" : (m / 1000).toFixed(1) + " km";
  }

  function showDistances(position) {
    const here = { lat: position.coords.latitude, lon: position.coords.longitude };
    document.querySelectorAll(".task[data-lat]").forEach((task) => {
      const there = { lat: parseFloat(task.dataset.lat), lon: parseFloat(task.dataset.lon) };
      const cell = task.querySelector(".distance");
      const row = task.querySelector(".distance-row");
      if (!cell || !row || Number.isNaN(there.lat) || Number.isNaN(there.lon)) return;
      cell.textContent = distanceText(metres(here, there));
      cell.hidden = false;
      row.hidden = false;
    });
  }

  const tasks = document.getElementById("tasks");
  if (tasks && navigator.geolocation && document.querySelector(".task[data-lat]")) {
    // Without a position (refused, unavailable) the page simply shows no distance.
    navigator.geolocation.getCurrentPosition(showDistances, () => {}, { maximumAge: 60000, timeout: 10000 });
  }

  // One post per form: a second tap while the first is on its way does nothing -------------
  document.querySelectorAll("form.act").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (form.dataset.sent) {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "1";
      form.querySelectorAll("button[type=submit]").forEach((button) => { button.disabled = true; });
    });
  });

  // The map of one case ---------------------------------------------------------------------
  const box = document.getElementById("case-map");
  if (box && window.L) {
    const point = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
    const map = L.map(box, { keyboard: true, zoomSnap: 0.25 }).setView(point, 16);
    L.marker(point, { keyboard: false }).addTo(map);
    const style = (feature) => ({
      color: feature.properties.level === "grid" ? "#9aa8b5" : "#0b5cad",
      weight: feature.properties.level === "grid" ? 1 : 2,
      fill: feature.properties.level === "grid",
      fillColor: "#dde6ee",
      fillOpacity: 0.35,
    });
    fetch("/api/v1/cities/" + encodeURIComponent(box.dataset.city) + "/areas.geojson", { headers: { Accept: "application/geo+json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (data && data.features && data.features.length) L.geoJSON(data, { style }).addTo(map).bringToBack();
        box.dataset.mapReady = "1";
      })
      .catch(() => { box.dataset.mapReady = "0"; });
  }
})();
