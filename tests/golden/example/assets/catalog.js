/* badgepress catalog filters and search.
 *
 * Progressive enhancement: the page lists every credential in HTML, and the filter form is
 * there from the first paint (so nothing moves when this script arrives). This script reads
 * the catalog's index (catalog.json) and hides the credentials that do not match; without the
 * index the form says filters are off and the full list stays. The filter state lives in the query string, so a filtered view can be shared.
 * No dependencies, nothing loaded from another origin.
 */
(function () {
  "use strict";
  var form = document.getElementById("finder");
  if (!form || !window.fetch || !window.URLSearchParams || !window.history) return;
  var count = document.getElementById("finder-count");
  var none = document.getElementById("finder-none");
  var active = document.getElementById("finder-active");
  var chips = document.getElementById("finder-chips");
  var items = Array.prototype.slice.call(document.querySelectorAll("li[data-slug]"));
  var sections = Array.prototype.slice.call(document.querySelectorAll("section[data-stack]"));
  // Query-string name → field of a catalog.json credential.
  var FACETS = { grade: "grades", format: "format", role: "audience", topic: "topics" };
  var credentials = {};

  function fold(text) {
    // Case- and accent-insensitive search ("practica" finds "práctica").
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function checked(name) {
    return Array.prototype.slice
      .call(form.querySelectorAll('input[name="' + name + '"]:checked'))
      .map(function (input) { return input.value; });
  }

  function readForm() {
    var state = { q: form.elements.q.value.trim(), fee: "", hours_min: "", hours_max: "" };
    Object.keys(FACETS).forEach(function (name) { state[name] = checked(name); });
    var fee = form.querySelector('input[name="fee"]:checked');
    state.fee = fee ? fee.value : "";
    if (form.elements.hours_min) state.hours_min = form.elements.hours_min.value;
    if (form.elements.hours_max) state.hours_max = form.elements.hours_max.value;
    return state;
  }

  function writeForm(params) {
    form.elements.q.value = params.get("q") || "";
    Object.keys(FACETS).forEach(function (name) {
      var wanted = params.getAll(name);
      form.querySelectorAll('input[name="' + name + '"]').forEach(function (input) {
        input.checked = wanted.indexOf(input.value) !== -1;
      });
    });
    var fee = params.get("fee") || "";
    form.querySelectorAll('input[name="fee"]').forEach(function (input) {
      input.checked = input.value === fee;
    });
    ["hours_min", "hours_max"].forEach(function (name) {
      var select = form.elements[name];
      if (!select) return;
      var value = params.get(name) || "";
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
      select.value = known ? value : "";
    });
  }

  function feeFor(credential, who) {
    var fee = credential.fee;
    if (!fee) return null;
    // A fee without a members' price is the same for everyone (see the credential page).
    if (who === "members") return fee.members !== null ? fee.members : fee.non_members;
    return fee.non_members;
  }

  function matches(credential, state, words) {
    for (var name in FACETS) {
      var wanted = state[name];
      if (!wanted.length) continue;
      var have = credential[FACETS[name]];
      have = Array.isArray(have) ? have : have === null ? [] : [have];
      if (!wanted.some(function (value) { return have.indexOf(value) !== -1; })) return false;
    }
    if (state.hours_min !== "" && !(credential.hours !== null && credential.hours >= Number(state.hours_min))) return false;
    if (state.hours_max !== "" && !(credential.hours !== null && credential.hours <= Number(state.hours_max))) return false;
    if (state.fee === "free-members" && feeFor(credential, "members") !== 0) return false;
    if (state.fee === "free-non-members" && feeFor(credential, "non_members") !== 0) return false;
    return words.every(function (word) { return credential.haystack.indexOf(word) !== -1; });
  }

  function toQuery(state) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    Object.keys(FACETS).forEach(function (name) {
      state[name].forEach(function (value) { params.append(name, value); });
    });
    ["hours_min", "hours_max", "fee"].forEach(function (name) {
      if (state[name]) params.set(name, state[name]);
    });
    return params.toString();
  }

  function activeFilters(state) {
    // The filters in use, as the page names them (the folded panel's summary line and the
    // chips above the list), each with what removing it does to the form.
    var filters = [];
    if (state.q) {
      filters.push({ label: "\u201c" + state.q + "\u201d", remove: function () { form.elements.q.value = ""; } });
    }
    form.querySelectorAll("input:checked").forEach(function (input) {
      if (input.value === "") return; // "Any fee"
      filters.push({
        label: input.parentNode.textContent.trim(),
        remove: function () {
          var any = input.type === "radio" && form.querySelector('input[name="' + input.name + '"][value=""]');
          if (any) any.checked = true;
          else input.checked = false;
        }
      });
    });
    ["hours_min", "hours_max"].forEach(function (name) {
      var select = form.elements[name];
      if (!select || !select.value) return;
      var label = form.querySelector('label[for="' + select.id + '"]');
      filters.push({
        label: (label ? label.textContent.trim() + " " : "") + select.options[select.selectedIndex].text,
        remove: function () { select.value = ""; }
      });
    });
    return filters;
  }

  function showChips(filters) {
    // One removable chip per filter; focus moves to the next chip (or the count) on removal.
    if (!chips) return;
    chips.textContent = "";
    chips.hidden = !filters.length;
    filters.forEach(function (filter, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "chip";
      button.setAttribute("aria-label", form.dataset.remove.replace("{value}", filter.label));
      button.textContent = filter.label;
      var cross = document.createElement("span");
      cross.className = "chip-x";
      cross.setAttribute("aria-hidden", "true");
      cross.textContent = "\u00d7";
      button.appendChild(cross);
      button.addEventListener("click", function () {
        filter.remove();
        apply();
        var left = chips.querySelectorAll("button");
        (left[Math.min(index, left.length - 1)] || count).focus();
      });
      var item = document.createElement("li");
      item.appendChild(button);
      chips.appendChild(item);
    });
  }

  function apply() {
    var state = readForm();
    var words = fold(state.q).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var credential = credentials[item.dataset.slug];
      var visible = !credential || matches(credential, state, words);
      item.hidden = !visible;
      if (visible) shown += 1;
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector("li[data-slug]:not([hidden])");
    });
    var query = toQuery(state);
    count.textContent = query
      ? form.dataset.count.replace("{shown}", String(shown))
      : form.dataset.countAll;
    none.hidden = shown !== 0;
    var filters = activeFilters(state);
    showChips(filters);
    if (active) {
      var labels = filters.map(function (filter) { return filter.label; });
      var template = labels.length === 1 ? form.dataset.activeOne : form.dataset.activeMany;
      active.textContent = labels.length
        ? template.replace("{num}", String(labels.length)).replace("{list}", labels.join(", "))
        : "";
    }
    var url = location.pathname + (query ? "?" + query : "") + location.hash;
    if (url !== location.pathname + location.search + location.hash) {
      history.replaceState(null, "", url);
    }
  }

  fetch(form.dataset.index)
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(function (index) {
      index.credentials.forEach(function (c) {
        var text = [c.name, c.summary, c.developer].concat(
          c.requirements.map(function (r) { return r.title + " " + r.description; }));
        c.haystack = fold(text.join(" "));
        credentials[c.slug] = c;
      });
      writeForm(new URLSearchParams(location.search));
      form.dataset.ready = "true";
      form.addEventListener("input", apply);
      form.addEventListener("change", apply);
      form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
      // Reset restores the defaults after this event; filter once they are in place.
      form.addEventListener("reset", function () { setTimeout(apply, 0); });
      window.addEventListener("popstate", function () {
        writeForm(new URLSearchParams(location.search));
        apply();
      });
      apply();
    })
    .catch(function () {
      // Without the index the full list stays as it is (nothing is lost); the controls that
      // cannot work give way to the note that says so.
      form.classList.add("finder-off");
    });
})();
