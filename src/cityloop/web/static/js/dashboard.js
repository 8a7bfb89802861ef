// The command centre: the city's grid polygons on a Leaflet map coloured by open cases or
// overdue share, ECharts charts, tables, all filled from /dashboard/data.json and kept live by
// the server-sent events of /dashboard/events. No tiles and no request to another host.
(function () {
  "use strict";

  const root = document.getElementById("dashboard");
  if (!root) return;
  const tiers = JSON.parse(root.dataset.tiers || "{}");
  const msg = root.dataset;
  const city = msg.city;
  const sources = JSON.parse(msg.sources || "{}");
  const $ = (id) => document.getElementById(id);
  const LIGHT_COLOUR = { red: "#c62828", yellow: "#f9a825", green: "#2e7d32", none: "#607d8b" };
  let latest = null;

  function percent(value) {
    return value === null || value === undefined ? "—" : (value * 100).toFixed(1) + "%";
  }

  function setText(id, value) {
    $(id).textContent = value === null || value === undefined ? "—" : String(value);
  }

  // Map ------------------------------------------------------------------------------------
  const map = L.map("dash-map", { zoomSnap: 0.25, attributionControl: false }).setView([30.25, 120.1], 12);
  let grids = null;
  const points = L.layerGroup().addTo(map);

  function gridColour(share) {
    // From pale (none) to deep red (the most), in five steps.
    const steps = ["#f1f5f9", "#fde0c5", "#f9a66c", "#e4572e", "#a4161a"];
    if (!share) return steps[0];
    return steps[Math.min(4, 1 + Math.floor(share * 3.999))];
  }

  function styleGrids() {
    if (!grids || !latest) return;
    const by = $("color-by").value;
    const values = latest.grids;
    const most = Math.max(1, ...Object.values(values).map((g) => g.open));
    grids.setStyle((feature) => {
      const g = values[feature.properties.code] || { open: 0, red: 0, overdue_share: null };
      const share = by === "overdue" ? g.overdue_share || 0 : g.open / most;
      return { color: "#5b6775", weight: 1, fillColor: gridColour(share), fillOpacity: 0.75 };
    });
    grids.eachLayer((layer) => {
      const code = layer.feature.properties.code;
      const g = values[code] || { open: 0, red: 0, overdue_share: null };
      layer.setTooltipContent(code + " · " + msg.msgOpen + " " + g.open + " · " + msg.msgOverdue + " " + percent(g.overdue_share));
    });
    $("dash-map").dataset.colouredBy = by;
  }

  function drawPoints() {
    points.clearLayers();
    for (const p of latest.points) {
      L.circleMarker([p.lat, p.lon], {
        radius: 5, weight: 1, color: "#fff", fillColor: LIGHT_COLOUR[p.light], fillOpacity: 0.95,
      }).bindTooltip(p.number).addTo(points);
    }
    $("dash-map").dataset.points = String(latest.points.length);
  }

  fetch("/api/v1/cities/" + encodeURIComponent(city) + "/areas.geojson?level=grid", { headers: { Accept: "application/geo+json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (!data || !data.features || !data.features.length) return;
      grids = L.geoJSON(data, {
        onEachFeature: (feature, layer) => layer.bindTooltip(feature.properties.code),
      }).addTo(map);
      grids.bringToBack();
      map.fitBounds(grids.getBounds());
      $("dash-map").dataset.grids = String(data.features.length);
      styleGrids();
    });
  $("color-by").addEventListener("change", styleGrids);

  // Charts ---------------------------------------------------------------------------------
  const charts = {
    intake: echarts.init($("chart-intake")),
    trend: echarts.init($("chart-trend")),
    categories: echarts.init($("chart-categories")),
  };
  window.addEventListener("resize", () => Object.values(charts).forEach((c) => c.resize()));
  const AXIS = { axisLabel: { color: "#1d2733" } };

  function drawCharts(s) {
    const channels = Object.keys(s.intake_today);
    charts.intake.setOption({
      animation: false,
      grid: { left: 48, right: 16, top: 16, bottom: 32 },
      tooltip: {},
      xAxis: { type: "category", data: channels.map((c) => sources[c] || c), ...AXIS },
      yAxis: { type: "value", minInterval: 1, ...AXIS },
      series: [{ type: "bar", name: msg.msgCases, data: channels.map((c) => s.intake_today[c]), itemStyle: { color: "#0b5cad" } }],
    }, true);
    charts.trend.setOption({
      animation: false,
      grid: { left: 48, right: 16, top: 32, bottom: 32 },
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [msg.msgReported, msg.msgClosed] },
      xAxis: { type: "category", data: s.trend.days.map((d) => d.slice(5)), ...AXIS },
      yAxis: { type: "value", minInterval: 1, ...AXIS },
      series: [
        { type: "line", name: msg.msgReported, data: s.trend.reported, itemStyle: { color: "#0b5cad" } },
        { type: "line", name: msg.msgClosed, data: s.trend.closed, itemStyle: { color: "#2e7d32" } },
      ],
    }, true);
    const cats = s.categories.slice().reverse();
    charts.categories.setOption({
      animation: false,
      grid: { left: 120, right: 24, top: 8, bottom: 24 },
      tooltip: {},
      xAxis: { type: "value", minInterval: 1, ...AXIS },
      yAxis: { type: "category", data: cats.map((c) => c.name), ...AXIS },
      series: [{ type: "bar", name: msg.msgCases, data: cats.map((c) => c.count), itemStyle: { color: "#e4572e" } }],
    }, true);
    root.dataset.intakeTotal = String(channels.reduce((n, c) => n + s.intake_today[c], 0));
  }

  // Tables ---------------------------------------------------------------------------------
  function fillTable(id, rows) {
    const body = $(id).querySelector("tbody");
    body.replaceChildren();
    if (!rows.length) {
      const tr = body.insertRow();
      const td = tr.insertCell();
      td.colSpan = $(id).querySelectorAll("thead th").length;
      td.className = "empty";
      td.textContent = msg.msgEmpty;
      return;
    }
    for (const row of rows) {
      const tr = body.insertRow();
      tr.dataset.key = row[0];
      for (const value of row.slice(1)) tr.insertCell().textContent = String(value);
    }
  }

  // Everything -----------------------------------------------------------------------------
  function show(s) {
    latest = s;
    setText("kpi-open", s.open);
    for (const light of ["red", "yellow", "green", "none"]) setText("light-" + light, s.lights[light]);
    setText("kpi-today", Object.values(s.intake_today).reduce((a, b) => a + b, 0));
    setText("kpi-closure", percent(s.rates.closure_rate));
    setText("kpi-ontime", percent(s.rates.on_time_rate));
    setText("kpi-auto-rate", percent(s.automation.auto_dispatch_rate));
    setText("kpi-auto-accuracy", percent(s.automation.auto_dispatch_accuracy));
    $("updated-at").textContent = new Date(s.at).toLocaleString(msg.locale);
    $("updated-at").dateTime = s.at;
    drawCharts(s);
    drawPoints();
    styleGrids();
    root.dataset.casesTotal = String(s.cases_total);
    root.dataset.ready = "1";
  }

  // The ranking and hot spots: slower figures of their own endpoint, refreshed every minute.
  function showInsights(data) {
    const again = data.hot_spots.recurrence;
    $("recurrence-rate").textContent = percent(again.rate);
    $("recurrence-count").textContent = again.recurring + " / " + again.closed;
    fillTable("hot-spots", data.hot_spots.cells.map((c) => [c.cell, c.rank, c.count, c.category || "—"]));
    const body = $("departments").querySelector("tbody");
    body.replaceChildren();
    for (const d of data.ranking) {
      const tr = body.insertRow();
      tr.dataset.key = d.id;
      const link = document.createElement("a");
      link.href = "/dashboard/portrait/department/" + encodeURIComponent(d.id);
      link.textContent = d.name;
      tr.insertCell().append(link);
      tr.insertCell().textContent = d.composite === null ? "—" : d.composite.toFixed(1);
      tr.insertCell().textContent = d.grade || "—";
      tr.insertCell().textContent = d.tier ? tiers[d.tier] || d.tier : "—";
    }
    root.dataset.insights = "1";
  }

  function loadInsights() {
    fetch("/dashboard/insights.json", { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => { if (data) showInsights(data); });
  }
  loadInsights();
  window.setInterval(loadInsights, 60000);

  fetch("/dashboard/data.json", { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => { if (data) show(data); });

  const status = $("live-status");
  const events = new EventSource("/dashboard/events");
  events.addEventListener("summary", (event) => {
    status.textContent = msg.msgLive;
    status.dataset.state = "live";
    show(JSON.parse(event.data));
  });
  events.addEventListener("error", () => {
    status.textContent = msg.msgOffline;
    status.dataset.state = "offline";
  });
  window.addEventListener("pagehide", () => events.close());
})();

// A portrait: the composite and each indicator score by month on one ECharts line chart.
(function () {
  "use strict";

  const root = document.getElementById("portrait");
  if (!root) return;
  const data = JSON.parse(root.dataset.chart);
  const labels = JSON.parse(root.dataset.labels);
  const chart = echarts.init(document.getElementById("chart-portrait"));
  const series = [{ type: "line", name: labels.composite, data: data.composite, lineStyle: { width: 4 }, connectNulls: true }];
  for (const [name, values] of Object.entries(data.scores)) {
    series.push({ type: "line", name: labels[name] || name, data: values, connectNulls: true });
  }
  chart.setOption({
    animation: false,
    grid: { left: 48, right: 16, top: 48, bottom: 32 },
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    xAxis: { type: "category", data: data.months, axisLabel: { color: "#1d2733" } },
    yAxis: { type: "value", min: 0, max: 100, axisLabel: { color: "#1d2733" } },
    series: series,
  });
  window.addEventListener("resize", () => chart.resize());
  root.dataset.series = String(series.length);
  root.dataset.ready = "1";
})();
