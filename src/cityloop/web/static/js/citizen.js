// The citizen's report page: the city's own polygons on a Leaflet map (no tiles from another
// host), a pin, photo uploads, similar cases (an htmx fragment), following, and submitting to
// the public API. No inline handlers: everything is bound here (the pages' CSP forbids them).
(function () {
  "use strict";

  const form = document.getElementById("report-form");
  if (!form) return;
  const city = form.dataset.city;
  const msg = form.dataset;
  const $ = (id) => document.getElementById(id);
  const LEVEL_STYLE = {
    district: { color: "#0b5cad", weight: 3, fill: false },
    street: { color: "#3d7cc9", weight: 2, fill: false },
    community: { color: "#7aa6d8", weight: 1.5, fill: false },
    grid: { color: "#9aa8b5", weight: 1, fillColor: "#dde6ee", fillOpacity: 0.35 },
  };

  function refreshSimilar() {
    if (window.htmx) window.htmx.trigger("#similar", "refresh");
  }

  // Map and pin ---------------------------------------------------------------------------
  let marker = null;
  const map = L.map("map", { keyboard: true, zoomSnap: 0.25 }).setView([30.25, 120.1], 12);

  function setPin(latlng) {
    if (marker) marker.setLatLng(latlng);
    else marker = L.marker(latlng, { keyboard: false }).addTo(map);
    $("lat").value = latlng.lat.toFixed(6);
    $("lon").value = latlng.lng.toFixed(6);
    $("pin-status").textContent = msg.msgPinned + " " + $("lat").value + ", " + $("lon").value;
    refreshSimilar();
  }

  map.on("click", (event) => setPin(event.latlng));
  $("pin-centre").addEventListener("click", () => setPin(map.getCenter()));

  fetch("/api/v1/cities/" + encodeURIComponent(city) + "/areas.geojson", { headers: { Accept: "application/geo+json" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (!data || !data.features || !data.features.length) return;
      const layer = L.geoJSON(data, {
        style: (feature) => LEVEL_STYLE[feature.properties.level] || LEVEL_STYLE.grid,
        // A click anywhere, on a polygon too, places the pin.
        onEachFeature: (feature, polygon) => polygon.on("click", (event) => setPin(event.latlng)),
      }).addTo(map);
      map.fitBounds(layer.getBounds());
      form.dataset.mapReady = "1";
    });

  // Similar cases follow the pin, the category and the description -----------------------
  let typing = null;
  form.addEventListener("change", (event) => {
    if (event.target.name === "category") refreshSimilar();
  });
  $("description").addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => { if ($("lat").value) refreshSimilar(); }, 600);
  });

  // Contact or anonymous ------------------------------------------------------------------
  $("anonymous").addEventListener("change", (event) => {
    $("contact-fields").hidden = event.target.checked;
  });

  // Photos: uploaded at once, cited by their sha256 ---------------------------------------
  $("photos").addEventListener("change", (event) => {
    for (const file of Array.from(event.target.files).slice(0, 6)) uploadPhoto(file);
    event.target.value = "";
  });

  function uploadPhoto(file) {
    const item = document.createElement("li");
    item.textContent = msg.msgUploading;
    $("photo-list").appendChild(item);
    const body = new FormData();
    body.append("file", file, file.name);
    fetch("/api/v1/cities/" + encodeURIComponent(city) + "/media", { method: "POST", body })
      .then((response) => response.json().then((data) => ({ ok: response.ok, data })))
      .then(({ ok, data }) => {
        if (!ok) throw new Error((data.error && data.error.message) || "upload");
        item.textContent = "";
        const img = document.createElement("img");
        img.src = data.thumbnail_url;
        img.alt = file.name;
        const hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = "media";
        hidden.value = data.sha256;
        item.append(img, hidden);
        item.dataset.sha256 = data.sha256;
      })
      .catch((error) => { item.textContent = msg.msgUploadFailed + ": " + error.message; });
  }

  // Follow a similar case instead of reporting it again ----------------------------------
  function followerRef() {
    let ref = localStorage.getItem("cityloop.ref");
    if (!ref) {
      ref = "web:" + crypto.randomUUID();
      localStorage.setItem("cityloop.ref", ref);
    }
    return ref;
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.follow");
    if (!button) return;
    button.disabled = true;
    const url = "/api/v1/cities/" + encodeURIComponent(button.dataset.city) + "/cases/" +
      encodeURIComponent(button.dataset.number) + "/followers";
    fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ref: followerRef() }) })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        button.textContent = msg.msgFollowing;
        button.classList.add("following");
      })
      .catch(() => { button.disabled = false; });
  });

  // Submit --------------------------------------------------------------------------------
  function payload() {
    const data = new FormData(form);
    const body = { description: (data.get("description") || "").trim(), client_id: crypto.randomUUID() };
    const chosen = data.get("category");
    if (chosen) {
      const [kind, code] = chosen.split(":");
      body.category_kind = kind;
      body.category_code = code;
    }
    if (data.get("lat") && data.get("lon")) {
      body.lat = Number(data.get("lat"));
      body.lon = Number(data.get("lon"));
    }
    const address = (data.get("address") || "").trim();
    if (address) body.address = address;
    body.media = data.getAll("media");
    body.anonymous = data.get("anonymous") === "1";
    if (!body.anonymous) {
      for (const key of ["name", "phone", "email"]) {
        const value = (data.get(key) || "").trim();
        if (value) body[key] = value;
      }
    }
    return body;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const body = payload();
    const status = $("form-status");
    if (!body.description) {
      $("description").setAttribute("aria-invalid", "true");
      $("description").focus();
      return;
    }
    $("submit").disabled = true;
    status.textContent = msg.msgSubmitting;
    fetch("/api/v1/cities/" + encodeURIComponent(city) + "/reports/citizen", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Idempotency-Key": body.client_id },
      body: JSON.stringify(body),
    })
      .then((response) => response.json().then((data) => ({ ok: response.ok, data })))
      .then(({ ok, data }) => {
        if (!ok) throw new Error((data.error && data.error.message) || "error");
        showDone(data.case_number || data.master_case_number);
      })
      .catch((error) => {
        status.textContent = msg.msgSubmitFailed + ": " + error.message;
        $("submit").disabled = false;
      });
  });

  function showDone(number) {
    form.hidden = true;
    const done = $("done");
    done.hidden = false;
    if (number) {
      $("done-number").textContent = number;
      $("done-link").href = "/track/" + encodeURIComponent(number);
    } else {
      $("done-number-row").hidden = true;
      $("done-link").hidden = true;
      $("done-waiting").hidden = false;
    }
    done.focus();
  }
})();
