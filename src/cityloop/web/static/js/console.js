// The console: select every case of a queue at once; the case page's map (the city's own
// polygons and the case's point, no tiles from another host). Bound here: the CSP forbids inline code.
(function () {
  "use strict";

  const all = document.getElementById("select-all");
  if (all) {
    const boxes = () => Array.from(document.querySelectorAll("#cases input[name=numbers]"));
    all.addEventListener("change", () => boxes().forEach((box) => { box.checked = all.checked; }));
    document.addEventListener("change", (event) => {
      if (event.target.name !== "numbers") return;
      const list = boxes();
      all.checked = list.length > 0 && list.every((box) => box.checked);
    });
  }

  const outcomes = document.getElementById("outcomes");
  if (outcomes) outcomes.focus();

  const mapBox = document.getElementById("case-map");
  if (!mapBox || !window.L) return;
  const LEVEL_STYLE = {
    district: { color: "#0b5cad", weight: 3, fill: false },
    street: { color: "#3d7cc9", weight: 2, fill: false },
    community: { color: "#7aa6d8", weight: 1.5, fill: false },
    grid: { color: "#9aa8b5", weight: 1, fillColor: "#dde6ee", fillOpacity: 0.35 },
  };
  const lon = Number(mapBox.dataset.lon);
  const lat = Number(mapBox.dataset.lat);
  const hasPoint = mapBox.dataset.lon !== undefined && Number.isFinite(lon) && Number.isFinite(lat);
  // The view is set once, before anything is drawn: no zoom animation under the first paint.
  const map = L.map(mapBox, { zoomSnap: 0.25 }).setView(hasPoint ? [lat, lon] : [30.25, 120.1], hasPoint ? 17 : 12);
  const point = hasPoint
    ? L.circleMarker([lat, lon], { radius: 8, className: "case-point", color: "#b3261e", fillColor: "#e53935", fillOpacity: 0.9 }).addTo(map)
    : null;
  fetch("/api/v1/cities/" + encodeURIComponent(mapBox.dataset.city) + "/areas.geojson", { headers: { Accept: "application/geo+json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (data && data.features && data.features.length) {
        const layer = L.geoJSON(data, { style: (f) => LEVEL_STYLE[f.properties.level] || LEVEL_STYLE.grid }).addTo(map);
        if (point) point.bringToFront();
        else map.fitBounds(layer.getBounds());
      }
      mapBox.dataset.ready = "1";
    });
})();
