// The earner page's status seal. The page says the status it had when it was built; here it is
// re-checked against the reader's clock (expiry) and the issuer's live revocation list. A failed
// fetch (offline, blocked) leaves the built status. It also loads verify.js on the first
// "Verify this badge", since most readers never use it.
(function () {
  "use strict";
  var article = document.querySelector("article.earned[data-status]");
  var seal = document.getElementById("status");

  function flip(status, label, reason) {
    article.dataset.status = status;
    seal.className = "status seal status-" + status;
    seal.querySelector(".seal-label").textContent = label;
    document.querySelectorAll("[data-share]").forEach(function (node) { node.hidden = true; });
    document.querySelectorAll("[data-banner]").forEach(function (node) { node.hidden = true; });
    var banner = document.querySelector("[data-banner='" + status + "']");
    if (banner) {
      var why = banner.querySelector("[data-reason]");
      if (why && reason) why.textContent = reason;
      banner.hidden = false;
    }
  }

  // Both notes sit in the same grid cell (style.css): swapping them never resizes the seal.
  function checked() { seal.classList.add("is-live"); }

  /** The reason an OB 2.0 RevocationList gives for `id`, "" when revoked without one; null when not listed. */
  function revocation(list, id) {
    var entries = list && Array.isArray(list.revokedAssertions) ? list.revokedAssertions : [];
    for (var i = 0; i < entries.length; i++) {
      var entry = entries[i];
      if (entry === id) return "";
      if (entry && entry.id === id) return typeof entry.revocationReason === "string" ? entry.revocationReason : "";
    }
    return null;
  }

  if (article && seal && article.dataset.status === "valid") {
    if (article.dataset.expires && new Date(article.dataset.expires) <= new Date()) {
      flip("expired", article.dataset.expiredText);
    }
    if (window.fetch && article.dataset.revocations && article.dataset.assertion) {
      var id = article.dataset.assertion;
      fetch(article.dataset.revocations, { cache: "no-store" })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (list) {
          var reason = revocation(list, id);
          if (reason !== null) flip("revoked", article.dataset.revokedText, reason);
          checked();
        })
        .catch(function () { /* the built status stands */ });
    }
  }

  var form = document.querySelector("form[data-verify-in-place][data-script]");
  if (form && !window.badgepressVerify) {
    form.addEventListener("submit", function load(event) {
      event.preventDefault();
      form.removeEventListener("submit", load);
      var script = document.createElement("script");
      script.src = form.dataset.script;
      // verify.js wires the form as it runs; then the reader's submit is replayed.
      script.addEventListener("load", function () { form.requestSubmit(); });
      document.head.appendChild(script);
    });
  }
})();
