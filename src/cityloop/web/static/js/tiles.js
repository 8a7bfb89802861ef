// A city with a tile server (city parameter map_tile_url) gets it under every map of its pages;
// without one the maps draw the city's own polygons only. Loaded right after Leaflet.
(function () {
  "use strict";
  const url = document.body.dataset.tiles;
  if (!url || !window.L) {
    return;
  }
  const attribution = document.body.dataset.tilesAttribution || "";
  L.Map.addInitHook(function () {
    L.tileLayer(url, { attribution: attribution, maxZoom: 19 }).addTo(this);
  });
})();
