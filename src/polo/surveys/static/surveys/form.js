/* The survey form, made livelier where a script runs. The page works without it:
 * the server applies relevance, filters options and checks every answer when a
 * section is saved (polo/surveys/validation.py). With it, as a person types:
 *
 * - questions appear and disappear as their `relevant` changes, options are
 *   filtered by `choice_filter` (region -> municipality), values computed by
 *   calculations are shown in labels (${name});
 * - an answer is checked when leaving it (required, number format, constraint),
 *   with the messages the server would give;
 * - what is typed is kept in this device's localStorage, per response and
 *   section, until the server has it: after a failed send or a closed tab, the
 *   page brings it back and says so;
 * - "Usar mi ubicación" fills a geopoint where the browser can locate.
 *
 * The expressions are the server's compiled trees (in #polo-logica), evaluated
 * by window.PoloExpressions (expressions.js) with the server's rules. */
(function () {
  "use strict";

  const STORAGE_PREFIX = "polo:respuesta:";

  function storage() {
    try {
      return window.localStorage;
    } catch (error) {
      return null;
    }
  }

  // --- Pages without the form: forget what the server already has. -----------

  function forgetSent() {
    // The start page lists the drafts still open: a copy kept for any other
    // response is of one the server already has in full (sent or gone).
    const store = storage();
    const drafts = document.querySelector("[data-polo-borradores]");
    if (!store || !drafts) return;
    const open = new Set(drafts.getAttribute("data-polo-borradores").split(/\s+/).filter(Boolean));
    for (let i = store.length - 1; i >= 0; i -= 1) {
      const key = store.key(i);
      if (key && key.indexOf(STORAGE_PREFIX) === 0 && !open.has(key.slice(STORAGE_PREFIX.length).split(":")[0])) {
        store.removeItem(key);
      }
    }
  }

  // A page drawn again with problems: the keyboard starts at their list, whose
  // links lead to each answer to correct.
  const summary = document.getElementById("errores");
  if (summary) summary.focus();

  const form = document.getElementById("polo-formulario");
  const logicElement = document.getElementById("polo-logica");
  if (!form || !logicElement) {
    forgetSent();
    return;
  }
  const E = window.PoloExpressions;
  const logic = JSON.parse(logicElement.textContent);
  const nodes = {};
  logic.nodes.forEach(function (node) { nodes[node.name] = node; });
  const messages = logic.messages;
  const hiddenInput = form.querySelector("input[name=_ocultas]");

  // --- Reading the form --------------------------------------------------------

  function wrappers() {
    return Array.prototype.slice.call(form.querySelectorAll("[data-q]"));
  }

  function rowOf(element) {
    const value = element.getAttribute("data-row");
    return value === null ? null : parseInt(value, 10);
  }

  function fieldValue(wrapper) {
    const name = wrapper.getAttribute("data-name");
    const widget = wrapper.getAttribute("data-widget");
    const inputs = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
    if (widget === "radios" || widget === "range_radios") {
      const checked = Array.prototype.find.call(inputs, function (input) { return input.checked; });
      return checked ? checked.value : "";
    }
    if (widget === "checkboxes") {
      return Array.prototype.filter.call(inputs, function (input) { return input.checked; })
        .map(function (input) { return input.value; }).join(" ");
    }
    if (widget === "acknowledge") {
      return inputs[0] && inputs[0].checked ? "OK" : "";
    }
    if (widget === "geopoint") {
      const part = function (key) {
        const input = form.querySelector('[name="' + CSS.escape(name + "/" + key) + '"]');
        return input ? input.value.trim() : "";
      };
      if (!part("lat") && !part("lon")) return "";
      return [part("lat") || "?", part("lon") || "?", part("alt") || "0", part("acc") || "0"].join(" ");
    }
    if (widget === "image" || widget === "file") {
      const file = inputs[0] && inputs[0].files && inputs[0].files[0];
      const current = form.querySelector('[name="' + CSS.escape(name + "/actual") + '"]');
      return file ? file.name : (current ? current.value : "");
    }
    if (widget === "readonly" || widget === "note") return null;
    return inputs[0] ? inputs[0].value.trim() : "";
  }

  function currentData() {
    const data = JSON.parse(JSON.stringify(logic.data || {}));
    const rowsSeen = {};
    form.querySelectorAll("[data-repeat]").forEach(function (section) {
      const repeat = section.getAttribute("data-repeat");
      const count = section.querySelectorAll(":scope > .q-row").length;
      const rows = Array.isArray(data[repeat]) ? data[repeat] : [];
      data[repeat] = rows.slice(0, count);
      while (data[repeat].length < count) data[repeat].push({});
      rowsSeen[repeat] = true;
    });
    wrappers().forEach(function (wrapper) {
      if (!wrapper.hasAttribute("data-name")) return;
      const name = wrapper.getAttribute("data-q");
      const value = fieldValue(wrapper);
      if (value === null) return;
      const row = rowOf(wrapper);
      const node = nodes[name];
      if (row === null || !node || !node.repeat) {
        data[name] = value;
      } else if (rowsSeen[node.repeat]) {
        data[node.repeat][row][name] = value;
      }
    });
    return data;
  }

  // --- Evaluating --------------------------------------------------------------

  function env(data, row, extra) {
    const base = {
      values: data,
      row: row === null ? null : ((data[extra.repeat] || [])[row] || {}),
      position: row === null ? null : row + 1,
      today: logic.today,
    };
    return Object.assign(base, extra.env || {});
  }

  function safeBool(tree, environment, fallback) {
    try {
      return E.evaluateBool(tree, environment);
    } catch (error) {
      return fallback;
    }
  }

  function safeString(tree, environment) {
    try {
      return E.asString(E.evaluate(tree, environment));
    } catch (error) {
      return "";
    }
  }

  function relevant(node, data, row) {
    if (!node || !node.relevant) return true;
    return safeBool(node.relevant, env(data, row, { repeat: node.repeat }), true);
  }

  function computeCalculations(data) {
    const calculated = logic.nodes.filter(function (node) {
      return node.calculation && (node.type === "calculate" || node.type === "hidden" || node.readonly);
    });
    for (let pass = 0; pass < 3; pass += 1) {
      calculated.forEach(function (node) {
        if (node.repeat) return;
        const value = safeString(node.calculation, env(data, null, {}));
        if (value === "" || value === "NaN") delete data[node.name];
        else data[node.name] = value;
      });
    }
  }

  // --- Choice filters ----------------------------------------------------------

  function filterChoices(wrapper, node, data, row) {
    const list = logic.choices[node.list] || [];
    const environment = env(data, row, { repeat: node.repeat });
    const allowed = new Set(list.filter(function (item) {
      return safeBool(node.choice_filter, Object.assign({}, environment, { choice_item: item }), false);
    }).map(function (item) { return item.name; }));
    const widget = wrapper.getAttribute("data-widget");
    let changed = false;
    if (widget === "dropdown") {
      const select = wrapper.querySelector("select");
      const chosen = select.value;
      const keep = list.filter(function (item) { return allowed.has(item.name); });
      const present = Array.prototype.slice.call(select.options, 1).map(function (option) { return option.value; });
      if (present.join("\n") !== keep.map(function (item) { return item.name; }).join("\n")) {
        while (select.options.length > 1) select.remove(1);
        keep.forEach(function (item) { select.add(new Option(item._label, item.name)); });
        select.value = allowed.has(chosen) ? chosen : "";
        changed = select.value !== chosen;
      }
    } else {
      wrapper.querySelectorAll(".q-option").forEach(function (holder) {
        const input = holder.querySelector("input");
        const shown = allowed.has(input.value);
        holder.hidden = !shown;
        input.disabled = !shown;
        if (!shown && input.checked) {
          input.checked = false;
          changed = true;
        }
      });
    }
    return { empty: allowed.size === 0, changed: changed };
  }

  // --- Showing and hiding --------------------------------------------------------

  function refresh() {
    if (!E) return currentData(); // expressions.js did not load: the server decides
    let data = currentData();
    computeCalculations(data);
    const hidden = [];
    let again = false;
    wrappers().forEach(function (wrapper) {
      const name = wrapper.getAttribute("data-q");
      const node = nodes[name];
      const row = rowOf(wrapper);
      const parentHidden = wrapper.parentElement.closest("[data-q][data-no-aplica]");
      let show = !parentHidden && relevant(node, data, row);
      if (show) wrapper.removeAttribute("data-no-aplica");
      else wrapper.setAttribute("data-no-aplica", "");
      let waiting = false;
      if (show && node && node.choice_filter && node.list) {
        const result = filterChoices(wrapper, node, data, row);
        waiting = result.empty;
        again = again || result.changed;
      }
      if (!show && node && node.kind === "question" && node.repeat == null) {
        // As the server does: an answer that does not apply is not there for the
        // questions after it.
        delete data[name];
      }
      wrapper.hidden = !show || waiting;
      if (wrapper.hidden) {
        hidden.push(wrapper.getAttribute("data-name") ? (wrapper.id || "").replace(/\/campo$/, "") : wrapper.id);
      }
    });
    if (again) {
      data = currentData();
      computeCalculations(data);
    }
    if (hiddenInput) hiddenInput.value = hidden.join(" ");
    document.querySelectorAll("[data-output]").forEach(function (output) {
      const name = output.getAttribute("data-output");
      let value = data[name];
      const rowElement = output.closest(".q-row");
      const repeatElement = rowElement && rowElement.closest("[data-repeat]");
      if (repeatElement) {
        const rowData = (data[repeatElement.getAttribute("data-repeat")] || [])[rowOf(rowElement)];
        if (rowData && Object.prototype.hasOwnProperty.call(rowData, name)) value = rowData[name];
      }
      const text = Array.isArray(value) ? String(value.length) : (value == null ? "" : String(value));
      if (output.textContent !== text) output.textContent = text;
    });
    return data;
  }

  // --- Checking one answer --------------------------------------------------------

  function problem(wrapper) {
    const name = wrapper.getAttribute("data-q");
    const node = nodes[name];
    if (!E || !node || wrapper.hidden || node.kind !== "question") return "";
    const data = refresh();
    const row = rowOf(wrapper);
    const value = fieldValue(wrapper);
    if (value === null) return "";
    const environment = env(data, row, { repeat: node.repeat });
    if (value === "") {
      const required = node.required ? safeBool(node.required, environment, true) : !!node.required_flag;
      return required ? (node.required_message || messages.required) : "";
    }
    if (value.length > logic.max_text) return messages.too_long;
    if (node.type === "integer" && !/^[+-]?\d{1,15}$/.test(value)) return messages.integer;
    if (node.type === "decimal" && !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value)) return messages.decimal;
    if (node.constraint) {
      const ok = safeBool(node.constraint, Object.assign({}, environment, { current: value }), false);
      if (!ok) return node.constraint_message || messages.constraint;
    }
    return "";
  }

  function showProblem(wrapper, message) {
    const box = wrapper.querySelector(".errorlist");
    if (!box) return;
    const describedId = box.id;
    box.textContent = message;
    box.hidden = !message;
    wrapper.classList.toggle("has-error", !!message);
    wrapper.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (input) {
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
    const described = wrapper.querySelector("fieldset[aria-describedby], fieldset") || wrapper.querySelector("input, select, textarea");
    if (!described) return;
    const ids = (described.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean)
      .filter(function (id) { return id !== describedId; });
    if (message) ids.push(describedId);
    if (ids.length) described.setAttribute("aria-describedby", ids.join(" "));
    else described.removeAttribute("aria-describedby");
  }

  form.addEventListener("focusout", function (event) {
    const wrapper = event.target.closest && event.target.closest("[data-name]");
    if (!wrapper) return;
    // Leaving one radio for the next of the same group is not leaving the question.
    if (event.relatedTarget && wrapper.contains(event.relatedTarget)) return;
    showProblem(wrapper, problem(wrapper));
  });

  // --- Keeping what is typed on this device -------------------------------------

  const store = storage();
  const key = form.getAttribute("data-storage-key");
  const version = form.getAttribute("data-version");

  function snapshot() {
    const values = {};
    form.querySelectorAll("input, select, textarea").forEach(function (input) {
      const name = input.name;
      if (!name || name.charAt(0) === "_" || name === "csrfmiddlewaretoken" || input.type === "file" || input.type === "hidden") return;
      if (input.type === "radio" || input.type === "checkbox") {
        values[name + "=" + input.value] = input.checked;
      } else {
        values[name] = input.value;
      }
    });
    return values;
  }

  function apply(values) {
    let changed = false;
    form.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (input.type === "radio" || input.type === "checkbox") {
        const saved = values[input.name + "=" + input.value];
        if (typeof saved === "boolean" && saved !== input.checked) {
          input.checked = saved;
          changed = true;
        }
      } else if (Object.prototype.hasOwnProperty.call(values, input.name) && input.type !== "file" && input.type !== "hidden") {
        if (input.value !== values[input.name]) {
          input.value = values[input.name];
          changed = true;
        }
      }
    });
    return changed;
  }

  function save() {
    if (!store || !key) return;
    try {
      store.setItem(key, JSON.stringify({ version: version, values: snapshot() }));
    } catch (error) {
      // Full or forbidden storage: the server keeps what each save sends.
    }
  }

  function restore() {
    if (!store || !key) return;
    let saved = null;
    try {
      saved = JSON.parse(store.getItem(key) || "null");
    } catch (error) {
      saved = null;
    }
    if (!saved || saved.version !== version) {
      // The server has saved since: what it sent is newer than this device's copy.
      store.removeItem(key);
      return;
    }
    const before = snapshot();
    if (!apply(saved.values || {})) return;
    // A restored answer may open options (a region's municipalities) that the
    // restored choice among them needs: once more after they are drawn.
    refresh();
    apply(saved.values || {});
    const box = document.getElementById("polo-recuperado");
    if (!box) return;
    box.className = "notice notice-warning";
    const text = document.createElement("p");
    text.textContent = messages.restored;
    const undo = document.createElement("button");
    undo.type = "button";
    undo.className = "btn btn-secondary";
    undo.textContent = messages.discard;
    undo.addEventListener("click", function () {
      apply(before);
      store.removeItem(key);
      box.textContent = "";
      box.className = "";
      refresh();
    });
    box.appendChild(text);
    box.appendChild(undo);
  }

  // --- Location -------------------------------------------------------------------

  function locate(button) {
    const name = button.getAttribute("data-geolocate");
    const status = button.closest("fieldset").querySelector("[data-geo-status]");
    const set = function (part, value) {
      const input = form.querySelector('[name="' + CSS.escape(name + "/" + part) + '"]');
      if (input && value != null && isFinite(value)) input.value = String(Math.round(value * 1e6) / 1e6);
    };
    status.textContent = messages.locating;
    navigator.geolocation.getCurrentPosition(function (position) {
      const c = position.coords;
      set("lat", c.latitude);
      set("lon", c.longitude);
      set("alt", c.altitude == null ? 0 : c.altitude);
      set("acc", c.accuracy);
      status.textContent = messages.located;
      refresh();
      save();
    }, function () {
      status.textContent = messages.location_failed;
    }, { enableHighAccuracy: true, timeout: 30000, maximumAge: 60000 });
  }

  if (navigator.geolocation) {
    form.querySelectorAll("[data-geolocate]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { locate(button); });
    });
  }

  // --- Wiring ---------------------------------------------------------------------

  restore();
  refresh();
  form.addEventListener("input", function () { refresh(); save(); });
  form.addEventListener("change", function () { refresh(); save(); });
  form.addEventListener("submit", function () {
    refresh();
    save();
  });
})();
