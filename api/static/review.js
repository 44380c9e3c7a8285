// The review page: page images with field boxes, a crop beside each value, keyboard-first saving.
// Talks to the JSON API with the page's bearer token; every save carries the document's version.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("doc-data").textContent);
  const token = document.querySelector('meta[name="api-token"]').content;
  const base = "/api/documents/" + data.id;
  let version = data.version;
  const images = {};  // page number -> object URL

  function api(path, method, body) {
    const options = {method: method || "GET", headers: {"Authorization": "Bearer " + token}};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(base + path, options);
  }

  function say(text, kind) {
    const box = document.getElementById("message");
    box.textContent = text;
    box.className = "message " + (kind || "info");
    box.hidden = !text;
  }

  function inputs() { return Array.from(document.querySelectorAll("#fields-form input")); }
  function row(input) { return input.closest(".field"); }

  // -- images, boxes and crops --------------------------------------------------------------------
  function loadImages() {
    data.pages.forEach(function (n) {
      api("/pages/" + n + "/image").then(function (r) {
        if (!r.ok) { throw new Error("page " + n + ": " + r.status); }
        return r.blob();
      }).then(function (blob) {
        images[n] = URL.createObjectURL(blob);
        const img = document.querySelector('img[data-page="' + n + '"]');
        img.src = images[n];
        img.addEventListener("load", function () { drawBoxes(n, img); drawCrops(n); });
      }).catch(function (e) { say("The page image could not be loaded (" + e.message + ").", "error"); });
    });
  }

  function drawBoxes(n, img) {
    const size = data.page_sizes[n] || [img.naturalWidth, img.naturalHeight];
    const frame = img.parentElement;
    Object.keys(data.fields).forEach(function (key) {
      const f = data.fields[key];
      if (f.page !== n || !f.bbox) { return; }
      const box = document.createElement("div");
      box.className = "box status-" + f.status + (f.confidence < 0.5 ? " low" : "");
      box.dataset.key = key;
      box.title = key;
      box.style.left = (100 * f.bbox[0] / size[0]) + "%";
      box.style.top = (100 * f.bbox[1] / size[1]) + "%";
      box.style.width = (100 * (f.bbox[2] - f.bbox[0]) / size[0]) + "%";
      box.style.height = (100 * (f.bbox[3] - f.bbox[1]) / size[1]) + "%";
      frame.appendChild(box);
    });
  }

  function drawCrops(n) {
    const size = data.page_sizes[n];
    document.querySelectorAll(".crop").forEach(function (crop) {
      const f = data.fields[crop.dataset.key];
      if (!f || f.page !== n || !f.bbox || !size) { return; }
      const pad = 6, x0 = Math.max(0, f.bbox[0] - pad), y0 = Math.max(0, f.bbox[1] - pad);
      const w = f.bbox[2] - f.bbox[0] + 2 * pad, h = f.bbox[3] - f.bbox[1] + 2 * pad;
      const scale = Math.min(44 / h, 420 / w);
      crop.style.width = Math.round(w * scale) + "px";
      crop.style.height = Math.round(h * scale) + "px";
      crop.style.backgroundImage = "url(" + images[n] + ")";
      crop.style.backgroundSize = Math.round(size[0] * scale) + "px " + Math.round(size[1] * scale) + "px";
      crop.style.backgroundPosition = (-x0 * scale) + "px " + (-y0 * scale) + "px";
    });
  }

  function highlight(key) {
    document.querySelectorAll(".box").forEach(function (b) { b.classList.toggle("current", b.dataset.key === key); });
  }

  // -- saving -------------------------------------------------------------------------------------
  function applyRecord(record) {
    version = record.version;
    data.fields = record.fields;
    document.getElementById("version").textContent = version;
    document.getElementById("doc-status").textContent = record.status;
    inputs().forEach(function (input) {
      const f = record.fields[input.name];
      if (!f) { return; }
      const r = row(input);
      r.className = r.className.replace(/status-\S+/, "status-" + f.status);
      r.querySelector(".status").textContent = f.status;
      r.querySelector(".conf").textContent = f.confidence.toFixed(2);
      if (document.activeElement !== input) { input.value = f.value === null ? "" : f.value; }
      input.defaultValue = f.value === null ? "" : f.value;
    });
  }

  function conflict(body) {
    const theirs = body.current ? Object.keys(body.current.fields).map(function (k) {
      return k + " = " + (body.current.fields[k].value === null ? "∅" : body.current.fields[k].value);
    }).join("; ") : "";
    say("Conflict: someone else saved this document first. Your value was NOT stored and is still in the box; " +
        "their values: " + theirs + ". Check, then press Enter again to save yours over theirs.", "error");
    if (body.current) { version = body.current.version; document.getElementById("version").textContent = version; }
  }

  function handle(response) {
    return response.json().then(function (body) {
      if (response.status === 409) { conflict(body); return null; }
      if (!response.ok) {
        const detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail);
        say("Not saved: " + detail, "error");
        return null;
      }
      return body;
    });
  }

  function saveField(input) {
    const changed = input.value !== input.defaultValue;
    const body = changed ? {value: input.value, version: version} : {confirm: true, version: version};
    return api("/fields/" + encodeURIComponent(input.name), "POST", body).then(handle).then(function (record) {
      if (!record) { return false; }
      applyRecord(record);
      say(input.name + (changed ? " corrected." : " confirmed."), "info");
      refreshHistory();
      return true;
    });
  }

  function nextInput(after) {
    const list = inputs();
    const start = list.indexOf(after);
    const rest = list.slice(start + 1).concat(list.slice(0, start));
    return rest.find(function (i) { return row(i).classList.contains("status-needs_review"); }) || null;
  }

  function confirmAllAndNext() {
    const changed = inputs().filter(function (i) { return i.value !== i.defaultValue; });
    let chain = Promise.resolve(true);
    changed.forEach(function (input) {
      chain = chain.then(function (ok) { return ok ? saveField(input) : false; });
    });
    chain.then(function (ok) {
      if (!ok) { return; }
      return api("/confirm", "POST", {version: version}).then(handle).then(function (record) {
        if (!record) { return; }
        window.location.href = record.next ? "/documents/" + record.next : "/";
      });
    });
  }

  function refreshHistory() {
    api("/history").then(function (r) { return r.ok ? r.json() : []; }).then(function (entries) {
      const list = document.getElementById("history");
      list.textContent = "";
      entries.forEach(function (h) {
        const li = document.createElement("li");
        const strong = document.createElement("strong");
        strong.textContent = h.reviewer;
        li.append(h.at + " ", strong, " " + h.action + " " + (h.key || "") + ": " +
                  (h.old_value === null ? "∅" : h.old_value) + " → " + (h.new_value === null ? "∅" : h.new_value));
        list.appendChild(li);
      });
    });
  }

  // -- validation as you type ---------------------------------------------------------------------
  let timer = null;
  function checkSoon(input) {
    clearTimeout(timer);
    timer = setTimeout(function () {
      const values = {};
      inputs().forEach(function (i) { if (i.value !== i.defaultValue || i === input) { values[i.name] = i.value; } });
      api("/check", "POST", {values: values}).then(function (r) { return r.ok ? r.json() : {}; }).then(function (out) {
        Object.keys(out).forEach(function (key) {
          const el = document.getElementById("f-" + key);
          if (!el) { return; }
          const failed = Object.keys(out[key].checks).filter(function (c) { return !out[key].checks[c]; });
          const problem = out[key].error || (failed.length ? "check failed: " + failed.join(", ") : "");
          row(el).querySelector(".problem").textContent = problem;
          row(el).classList.toggle("invalid", !!problem);
        });
      });
    }, 250);
  }

  // -- keyboard -----------------------------------------------------------------------------------
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && data.can_write) {
      e.preventDefault();
      confirmAllAndNext();
    }
  });
  inputs().forEach(function (input) {
    input.addEventListener("focus", function () { highlight(input.name); });
    input.addEventListener("input", function () { checkSoon(input); });
    input.addEventListener("keydown", function (e) {
      if (e.key !== "Enter" || e.ctrlKey || e.metaKey || !data.can_write) { return; }
      e.preventDefault();
      saveField(input).then(function (ok) {
        if (!ok) { return; }
        const next = nextInput(input);
        if (next) { next.focus(); next.select(); }
      });
    });
  });

  function post(path, body) {
    body.version = version;
    api(path, "POST", body).then(handle).then(function (record) { if (record) { window.location.reload(); } });
  }
  const typeSave = document.getElementById("type-save");
  if (typeSave) {
    typeSave.addEventListener("click", function () { post("/type", {doc_type: document.getElementById("type-select").value}); });
    const unitSave = document.getElementById("unit-save");
    unitSave.addEventListener("click", function () { post("/receiving-unit", {unit: document.getElementById("unit-code").value}); });
    const moveSave = document.getElementById("move-save");
    if (moveSave) {
      moveSave.addEventListener("click", function () {
        post("/pages/" + document.getElementById("move-page").value + "/move",
             {target: parseInt(document.getElementById("move-target").value, 10)});
      });
    }
  }

  loadImages();
  const first = inputs().find(function (i) { return row(i).classList.contains("status-needs_review"); }) || inputs()[0];
  if (first) { first.focus(); first.select(); }
})();
